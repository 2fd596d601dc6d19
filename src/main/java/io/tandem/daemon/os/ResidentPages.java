package io.tandem.daemon.os;

import com.sun.jna.LastErrorException;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Gives back the page-table entries of the clean, read-only file mappings a JVM fills while it starts:
 * libjvm's code, the class-data archives' read-only parts, the JDK's {@code modules} image, the C
 * libraries' text. Most of those pages served class loading and linking once; they stay in the page
 * cache (shared with every other process that maps the files), but they count in the daemon's RSS for
 * as long as they are mapped. {@code madvise(MADV_DONTNEED)} unmaps them; a page used again faults back
 * in from the page cache (a minor fault, no I/O) with the file's unchanged contents.
 *
 * <p>Only mappings that can hold nothing of the process's own are touched: read-only or read-execute,
 * backed by a file that stays mapped as long as the JVM runs, and without a single dirty, anonymous or swapped page
 * (relocated read-only data that the loader wrote before protecting it, for instance, is dirty, so it is
 * left alone). Such a mapping cannot become dirty without an {@code mprotect} first, which HotSpot never
 * does to these files.
 *
 * <p>Reading {@code smaps} walks the page tables (a few milliseconds); it is read on the first call and
 * every {@value #RESCAN}th after that. In between, a mapping found clean is dropped again when
 * {@code /proc/self/maps} still shows it exactly as it was (same range, permissions, inode and file).
 * Not thread-safe: one caller.
 */
public final class ResidentPages {
    static final int RESCAN = 10;
    private static final Path SMAPS = Path.of("/proc/self/smaps");
    private static final Path MAPS = Path.of("/proc/self/maps");

    /** One mapping that may be dropped: its range, its resident size in kB when found, and its maps line (spaces collapsed). */
    record Mapping(long start, long length, long rssKb, String line) {
    }

    private List<Mapping> clean = List.of();
    private int calls;

    /** Drops this process's clean read-only file pages (see the class comment); returns how many mappings it dropped. */
    public int dropCleanFilePages() throws IOException {
        if (calls++ % RESCAN == 0) {
            clean = candidates(Files.readAllLines(SMAPS));
        }
        Set<String> mapped = new HashSet<>();
        for (String line : Files.readAllLines(MAPS)) {
            mapped.add(normal(line));
        }
        int dropped = 0;
        for (Mapping m : clean) {
            if (!mapped.contains(m.line())) {
                continue; // gone or changed since smaps was read
            }
            try {
                Libc.C.madvise(new Pointer(m.start()), new NativeLong(m.length()), Libc.MADV_DONTNEED);
                dropped++;
            } catch (LastErrorException e) {
                throw new IOException("madvise " + m.line() + ": " + Libc.describe(e), e);
            }
        }
        return dropped;
    }

    /** The mappings of an smaps text that {@link #dropCleanFilePages()} may drop. */
    static List<Mapping> candidates(List<String> smaps) {
        List<Mapping> out = new ArrayList<>();
        String header = null;
        long rss = 0;
        boolean clean = true;
        for (String line : smaps) {
            if (isHeader(line)) {
                add(out, header, rss, clean);
                header = line;
                rss = 0;
                clean = true;
                continue;
            }
            int colon = line.indexOf(':');
            if (header == null || colon < 0) {
                continue;
            }
            String key = line.substring(0, colon);
            long value = kb(line.substring(colon + 1));
            switch (key) {
                case "Rss" -> rss = value;
                case "Private_Dirty", "Shared_Dirty", "Anonymous", "Swap", "Locked" -> clean &= value == 0;
                default -> {
                    // sizes that do not decide
                }
            }
        }
        add(out, header, rss, clean);
        return out;
    }

    private static void add(List<Mapping> out, String header, long rss, boolean clean) {
        if (header == null || !clean || rss == 0) {
            return;
        }
        String[] h = header.trim().split("\\s+", 6);
        if (h.length < 6) {
            return;
        }
        String perms = h[1];
        if (!(perms.equals("r-xp") || perms.equals("r--p") || perms.equals("r--s")) || h[4].equals("0") || !lastsAsLongAsTheJvm(h[5])) {
            return;
        }
        int dash = h[0].indexOf('-');
        long start = Long.parseUnsignedLong(h[0].substring(0, dash), 16);
        long end = Long.parseUnsignedLong(h[0].substring(dash + 1), 16);
        out.add(new Mapping(start, end - start, rss, String.join(" ", h)));
    }

    /** A maps line with its columns' padding collapsed (the file's name kept as it is). */
    static String normal(String line) {
        return String.join(" ", line.trim().split("\\s+", 6));
    }

    /**
     * Files that stay mapped until the JVM exits: shared libraries (never unloaded here), the class-data
     * archives and the JDK's modules image. Others (the loader's ld.so.cache, mapped only while a library
     * loads) could be unmapped and their addresses reused between reading smaps and the madvise.
     */
    static boolean lastsAsLongAsTheJvm(String file) {
        return file.startsWith("/") && !file.endsWith(" (deleted)")
                && (file.endsWith(".jsa") || file.endsWith("/lib/modules") || SHARED_LIBRARY.matcher(file).matches());
    }

    private static final java.util.regex.Pattern SHARED_LIBRARY = java.util.regex.Pattern.compile(".*/[^/]+\\.so(\\.[0-9]+)*");

    /** A mapping's first line: {@code start-end perms offset dev inode [path]}. */
    private static boolean isHeader(String line) {
        int dash = line.indexOf('-');
        int space = line.indexOf(' ');
        if (dash <= 0 || space <= dash) {
            return false;
        }
        for (int i = 0; i < space; i++) {
            char c = line.charAt(i);
            if (i != dash && Character.digit(c, 16) < 0) {
                return false;
            }
        }
        return true;
    }

    private static long kb(String value) {
        String v = value.trim();
        int space = v.indexOf(' ');
        try {
            return Long.parseLong(space < 0 ? v : v.substring(0, space));
        } catch (NumberFormatException e) {
            return -1; // not a size (VmFlags and the like): never taken for clean
        }
    }
}
