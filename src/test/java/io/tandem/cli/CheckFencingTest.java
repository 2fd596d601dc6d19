package io.tandem.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.daemon.os.LocalHostFacts;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tandem check} on fencing: the device in the summary, the single-path warning, a bad line. */
class CheckFencingTest {
    @TempDir
    Path dir;

    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();

    void seed(String authkeysMode) throws IOException {
        for (String f : List.of("ha.cf", "authkeys", "haresources")) {
            Files.copy(Path.of("examples/seed", f), dir.resolve(f));
        }
        Files.setPosixFilePermissions(dir.resolve("authkeys"), PosixFilePermissions.fromString(authkeysMode));
    }

    int check(String node) {
        return CheckCommand.run(dir, node, new LocalHostFacts(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void the_seed_warns_about_its_single_heartbeat_path_and_says_it_fences_nobody() throws IOException {
        seed("rw-------");
        assertThat(check("orasrv1.xlk.com")).as(err()).isZero();
        assertThat(out()).contains("fencing:    none: dead nodes are not fenced before their groups are taken",
                "warning: " + dir + "/ha.cf:8: two nodes, one heartbeat path (eth1) and no STONITH device", "configuration OK");
    }

    @Test
    void a_device_is_shown_as_the_command_that_will_run_without_its_parameters() throws IOException {
        seed("rw-------");
        Files.writeString(dir.resolve("ha.cf"), Files.readString(dir.resolve("ha.cf"))
                + "stonith_host * external/ipmi orasrv1.xlk.com 192.0.2.50 admin s3cret lan\n");
        assertThat(check("orasrv1.xlk.com")).as(err()).isZero();
        assertThat(out()).contains("fencing:    stonith -t external/ipmi -F PRIVATE-FILE (the line's 5 parameters, not shown) -T reset NODE (ha.cf line ")
                .doesNotContain("s3cret", "one heartbeat path");
    }

    @Test
    void a_bad_stonith_line_names_file_and_line() throws IOException {
        seed("rw-------");
        Files.writeString(dir.resolve("ha.cf"), "bcast eth1\nnode orasrv1.xlk.com\nstonith_host *\n");
        assertThat(check("orasrv1.xlk.com")).isEqualTo(1);
        assertThat(err()).contains("error: " + dir + "/ha.cf:3: No Stonith type given");
    }
}
