package io.tandem.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The hand-written part of docs/benchmarks.md that bench/failover keeps when it writes the file again:
 * everything from the first of its kept headings on ("Where the memory goes": bench/footprint's breakdown;
 * "HTTP API and dashboard footprint": {@code bench/footprint --lab --api}; "The address step, before and after":
 * bench/failover runs of the builds before and after the fast address step; all measured separately), so a
 * regenerated table does not drop them.
 */
final class KeptSections {
    static final String HEADING = "## Where the memory goes";
    static final String API_HEADING = "## HTTP API and dashboard footprint";
    /** The fast address step's before/after figures (bench/failover runs of two builds, written by hand). */
    static final String ADDRESS_HEADING = "## The address step, before and after";

    private KeptSections() {
    }

    /** The kept tail of the file now at {@code out} ("" when it has none), to append to the new text. */
    static String of(Path out) {
        try {
            if (!Files.isRegularFile(out)) {
                return "";
            }
            String text = Files.readString(out);
            int at = -1;
            for (String heading : java.util.List.of(HEADING, API_HEADING, ADDRESS_HEADING)) {
                int i = text.indexOf("\n" + heading + "\n");
                if (i >= 0 && (at < 0 || i < at)) {
                    at = i;
                }
            }
            return at < 0 ? "" : "\n" + text.substring(at + 1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
