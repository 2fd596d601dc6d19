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

    @Test
    void the_generation_line_and_the_uuid_text_are_what_printf_writes() {
        for (long g : new long[] {1, 41, 1_795_544_075L, 999_999_999_999_999L, 1_234_567_890_123_456_789L}) {
            assertThat(Identity.generationLine(g)).isEqualTo(String.format("%15d\n", g));
        }
        byte[] uuid = {(byte) 0x00, (byte) 0x1f, (byte) 0xa0, (byte) 0xff, 0x12, 0x34, 0x56, 0x78, (byte) 0x9a, (byte) 0xbc, (byte) 0xde,
            (byte) 0xf0, 0x0f, 0x70, (byte) 0x80, 0x01};
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 16; i++) {
            expected.append(i == 4 || i == 6 || i == 8 || i == 10 ? "-" : "").append(String.format("%02x", uuid[i] & 0xff));
        }
        assertThat(new Identity(1, uuid, false, false).uuidText()).isEqualTo(expected.toString()).isEqualTo("001fa0ff-1234-5678-9abc-def00f708001");
    }

    @Test
    void new_uuids_differ_and_carry_version_4() throws Exception {
        byte[] a = Identity.advance(dir, 1).uuid();
        byte[] b = Identity.advance(dir.resolve("other"), 1).uuid();
        assertThat(a).isNotEqualTo(b);
        assertThat(a[6] & 0xf0).isEqualTo(0x40);
        assertThat(a[8] & 0xc0).isEqualTo(0x80);
    }
}
