package io.tandem.daemon.os;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResidentPagesTest {
    private static List<String> mapping(String header, long rss, long privateDirty, long anonymous) {
        return List.of(header, "Size:               1024 kB", "Rss:                " + rss + " kB", "Pss:                 10 kB",
                "Shared_Clean:        " + rss + " kB", "Shared_Dirty:          0 kB", "Private_Dirty:       " + privateDirty + " kB",
                "Anonymous:           " + anonymous + " kB", "Swap:                  0 kB", "Locked:                0 kB",
                "THPeligible:    0", "VmFlags: rd ex mr mw me sd");
    }

    @Test
    void only_clean_read_only_mappings_of_libraries_archives_and_modules_are_candidates() {
        List<String> smaps = new java.util.ArrayList<>();
        smaps.addAll(mapping("7f0000000000-7f0000100000 r-xp 00010000 fe:00 123 /usr/lib/jvm/lib/server/libjvm.so", 900, 0, 0));
        smaps.addAll(mapping("7f0000100000-7f0000110000 r--p 00110000 fe:00 123 /usr/lib/jvm/lib/server/libjvm.so", 64, 60, 60)); // relro: written
        smaps.addAll(mapping("7f0000110000-7f0000120000 rw-p 00120000 fe:00 123 /usr/lib/jvm/lib/server/libjvm.so", 64, 0, 0)); // writable
        smaps.addAll(mapping("800000000-800455000 r--p 00456000 fe:00 77 /usr/lib/jvm/lib/server/classes.jsa", 7640, 0, 0));
        smaps.addAll(mapping("7f0000200000-7f0000300000 rw-p 00000000 00:00 0 ", 500, 500, 500)); // anonymous
        smaps.addAll(mapping("7f0000300000-7f0000301000 r--s 00000000 fe:00 88 /tmp/shared map", 4, 0, 0)); // not a library
        smaps.addAll(mapping("7f0000600000-7f0000700000 r--s 00000000 fe:00 87 /usr/lib/jvm/lib/modules", 1200, 0, 0));
        smaps.addAll(mapping("7f0000700000-7f0000701000 r--p 00000000 fe:00 86 /etc/ld.so.cache", 40, 0, 0)); // mapped while loading
        smaps.addAll(mapping("7f0000800000-7f0000900000 r-xp 00000000 fe:00 85 /usr/lib/x86_64-linux-gnu/libc.so.6", 800, 0, 0));
        smaps.addAll(mapping("7f0000900000-7f0000901000 r-xp 00000000 fe:00 84 /usr/lib/gone.so (deleted)", 4, 0, 0));
        smaps.addAll(mapping("7ffd00000000-7ffd00002000 r-xp 00000000 00:00 0                          [vdso]", 8, 0, 0));
        smaps.addAll(mapping("7f0000400000-7f0000401000 r--p 00000000 fe:00 99 /opt/with space/libx.so", 4, 0, 0));
        smaps.addAll(mapping("7f0000500000-7f0000501000 r--p 00000000 fe:00 98 /usr/lib/x.so", 0, 0, 0)); // nothing resident
        assertThat(ResidentPages.candidates(smaps)).containsExactly(
                new ResidentPages.Mapping(0x7f0000000000L, 0x100000, 900, "7f0000000000-7f0000100000 r-xp 00010000 fe:00 123 /usr/lib/jvm/lib/server/libjvm.so"),
                new ResidentPages.Mapping(0x800000000L, 0x455000, 7640, "800000000-800455000 r--p 00456000 fe:00 77 /usr/lib/jvm/lib/server/classes.jsa"),
                new ResidentPages.Mapping(0x7f0000600000L, 0x100000, 1200, "7f0000600000-7f0000700000 r--s 00000000 fe:00 87 /usr/lib/jvm/lib/modules"),
                new ResidentPages.Mapping(0x7f0000800000L, 0x100000, 800, "7f0000800000-7f0000900000 r-xp 00000000 fe:00 85 /usr/lib/x86_64-linux-gnu/libc.so.6"),
                new ResidentPages.Mapping(0x7f0000400000L, 0x1000, 4, "7f0000400000-7f0000401000 r--p 00000000 fe:00 99 /opt/with space/libx.so"));
    }

    /** In this JVM: the pages go, the JVM goes on running the code they held, and libjvm's resident size shrinks. */
    @Test
    void maps_lines_compare_with_their_padding_collapsed() {
        assertThat(ResidentPages.normal("7f0000000000-7f0000100000 r-xp 00010000 fe:00 123                 /usr/lib/a b/libjvm.so"))
                .isEqualTo("7f0000000000-7f0000100000 r-xp 00010000 fe:00 123 /usr/lib/a b/libjvm.so");
    }

    @Test
    void this_jvm_keeps_running_after_its_clean_file_pages_are_dropped() throws Exception {
        ResidentPages pages = new ResidentPages();
        long before = libjvmRssKb();
        assertThat(pages.dropCleanFilePages()).isPositive();
        long after = libjvmRssKb();
        assertThat(after).isLessThan(before);
        for (int i = 1; i < ResidentPages.RESCAN + 1; i++) { // from the mappings found clean, then a new smaps
            assertThat(pages.dropCleanFilePages()).as("call " + i).isPositive();
        }
        StringBuilder work = new StringBuilder(); // runs interpreter, JIT and library code again
        for (int i = 0; i < 10_000; i++) {
            work.append(Integer.toHexString(i * 31));
        }
        assertThat(work.toString()).startsWith("01f3e5d");
        assertThat(ResidentPages.candidates(Files.readAllLines(Path.of("/proc/self/smaps")))).isNotEmpty();
    }

    private static long libjvmRssKb() throws Exception {
        long kb = 0;
        boolean in = false;
        for (String line : Files.readAllLines(Path.of("/proc/self/smaps"))) {
            if (line.matches("^[0-9a-f]+-[0-9a-f]+ .*")) {
                in = line.endsWith("/libjvm.so");
            } else if (in && line.startsWith("Rss:")) {
                kb += Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return kb;
    }
}
