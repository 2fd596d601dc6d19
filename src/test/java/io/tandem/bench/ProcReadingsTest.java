package io.tandem.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProcReadingsTest {
    @Test
    void cpuTicksAreUtimePlusStimeEvenWhenTheCommandNameHasSpacesAndParentheses() {
        String stat = "4242 (java (x) y) S 1 4242 4242 0 -1 4194560 9060 0 12 0 1234 567 0 0 39 19 27 0 123456 3000000000 13000 "
                + "18446744073709551615 1 1 0 0 0 0 0 4096 17663 0 0 0 17 1 0 0 0 0 0";
        assertThat(ProcReadings.cpuTicks(stat)).isEqualTo(1234 + 567);
    }

    @Test
    void smapsRollupLinesAreReadByKey() {
        String rollup = """
                55d0a0a00000-7ffd4b5fe000 ---p 00000000 00:00 0                          [rollup]
                Rss:               53248 kB
                Pss:               28800 kB
                Pss_Anon:          15700 kB
                Pss_File:          13100 kB
                """;
        assertThat(ProcReadings.kb(rollup, "Rss")).isEqualTo(53248);
        assertThat(ProcReadings.kb(rollup, "Pss")).isEqualTo(28800);
        assertThat(ProcReadings.kb(rollup, "Pss_Anon")).isEqualTo(15700);
        assertThat(ProcReadings.kb(rollup, "Swap")).isEqualTo(-1);
    }

    @Test
    void threadsComeFromTheStatusLine() {
        assertThat(ProcReadings.threads("Name:\ttandem\nState:\tS (sleeping)\nThreads:\t26\nSigQ:\t0/7823\n")).isEqualTo(26);
        assertThat(ProcReadings.threads("Name:\ttandem\n")).isEqualTo(-1);
    }
}
