package io.tandem.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeptSectionsTest {
    @Test
    void keepsTheBreakdownFromItsHeadingOn(@TempDir Path dir) throws Exception {
        Path doc = dir.resolve("benchmarks.md");
        Files.writeString(doc, "# Failover benchmark\n\n| table |\n\n## Where the memory goes\n\nbreakdown\n\n### Before\n\nmore\n");
        assertThat(KeptSections.of(doc)).isEqualTo("\n## Where the memory goes\n\nbreakdown\n\n### Before\n\nmore\n");
    }

    @Test
    void keepsTheApiFootprintAfterTheBreakdownAndAloneToo(@TempDir Path dir) throws Exception {
        Path doc = dir.resolve("benchmarks.md");
        String api = "## HTTP API and dashboard footprint\n\n| variant | node |\n";
        Files.writeString(doc, "# Failover benchmark\n\n| table |\n\n## Where the memory goes\n\nbreakdown\n\n" + api);
        assertThat(KeptSections.of(doc)).isEqualTo("\n## Where the memory goes\n\nbreakdown\n\n" + api);
        Files.writeString(doc, "# Failover benchmark\n\n| table |\n\n" + api + "\n## Where the memory goes\n\nbreakdown\n");
        assertThat(KeptSections.of(doc)).isEqualTo("\n" + api + "\n## Where the memory goes\n\nbreakdown\n");
        Files.writeString(doc, "# Failover benchmark\n\n| table |\n\n" + api);
        assertThat(KeptSections.of(doc)).isEqualTo("\n" + api);
    }

    @Test
    void keepsTheAddressStepSectionBeforeTheBreakdown(@TempDir Path dir) throws Exception {
        Path doc = dir.resolve("benchmarks.md");
        String address = "## The address step, before and after\n\n| move | before | after |\n\n";
        Files.writeString(doc, "# Failover benchmark\n\n| table |\n\n" + address + "## Where the memory goes\n\nbreakdown\n");
        assertThat(KeptSections.of(doc)).isEqualTo("\n" + address + "## Where the memory goes\n\nbreakdown\n");
    }

    @Test
    void aFileWithoutItOrNoFileKeepsNothing(@TempDir Path dir) throws Exception {
        Path doc = dir.resolve("benchmarks.md");
        assertThat(KeptSections.of(doc)).isEmpty();
        Files.writeString(doc, "# Failover benchmark\n\n| table |\n\n## Reading the figures\n\nWhere the memory goes: elsewhere\n");
        assertThat(KeptSections.of(doc)).isEmpty();
    }
}
