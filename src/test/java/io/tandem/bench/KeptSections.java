package io.tandem.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The hand-written part of docs/benchmarks.md that bench/failover keeps when it writes the file again:
 * everything from the "Where the memory goes" heading on (bench/footprint's breakdown, measured
 * separately), so a regenerated table does not drop it.
 */
final class KeptSections {
    static final String HEADING = "## Where the memory goes";

    private KeptSections() {
    }

    /** The kept tail of the file now at {@code out} ("" when it has none), to append to the new text. */
    static String of(Path out) {
        try {
            if (!Files.isRegularFile(out)) {
                return "";
            }
            String text = Files.readString(out);
            int at = text.indexOf("\n" + HEADING + "\n");
            return at < 0 ? "" : "\n" + text.substring(at + 1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
