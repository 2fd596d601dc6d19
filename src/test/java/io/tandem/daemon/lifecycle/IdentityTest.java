package io.tandem.daemon.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdentityTest {
    @TempDir
    Path dir;

    @Test
    void first_start_begins_at_the_time_and_makes_a_uuid() throws Exception {
        Identity id = Identity.advance(dir, 1_795_544_074L);
        assertThat(id.generation()).isEqualTo(1_795_544_075L);
        assertThat(id.firstStart()).isTrue();
        assertThat(id.newUuid()).isTrue();
        assertThat(Files.readAllBytes(dir.resolve("hb_uuid"))).hasSize(16).isEqualTo(id.uuid());
        byte[] gen = Files.readAllBytes(dir.resolve("hb_generation"));
        assertThat(new String(gen, StandardCharsets.US_ASCII)).isEqualTo("     1795544075\n");
    }

    @Test
    void each_start_adds_one_and_keeps_the_uuid() throws Exception {
        Identity a = Identity.advance(dir, 100);
        Identity b = Identity.advance(dir, 999_999);
        assertThat(b.generation()).isEqualTo(a.generation() + 1);
        assertThat(b.uuid()).isEqualTo(a.uuid());
        assertThat(b.newUuid()).isFalse();
    }

    @Test
    void a_generation_file_written_by_heartbeat_is_continued() throws Exception {
        Files.writeString(dir.resolve("hb_generation"), String.format("%15d\n", 41L));
        assertThat(Identity.advance(dir, 5).generation()).isEqualTo(42);
    }

    @Test
    void a_corrupt_generation_file_starts_again_from_the_time() throws Exception {
        Files.writeString(dir.resolve("hb_generation"), "garbage");
        assertThat(Identity.advance(dir, 500).generation()).isEqualTo(501);
    }
}
