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
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tandem check} on this machine applies the daemon's start rules and lists every error at
 * once; {@code tandem run} refuses the same files with the same errors (issue 17).
 */
class StrictCheckTest {
    @TempDir
    Path dir;

    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();
    final String host = new LocalHostFacts().hostname();

    void write(String haCf, String haresources) throws IOException {
        Path etc = Files.createDirectories(dir.resolve("etc"));
        Files.writeString(etc.resolve("ha.cf"), haCf);
        Path keys = etc.resolve("authkeys");
        Files.writeString(keys, "auth 1\n1 sha1 strict-check\n");
        Files.setPosixFilePermissions(keys, PosixFilePermissions.fromString("rw-------"));
        Files.writeString(etc.resolve("haresources"), haresources);
    }

    int check() {
        return CheckCommand.run(dir.resolve("etc"), host, new LocalHostFacts(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    List<String> errorLines(String text) {
        return Arrays.stream(text.split("\n")).filter(l -> l.startsWith("error: ")).map(l -> l.substring("error: ".length())).toList();
    }

    String f(String name) {
        return dir.resolve("etc").resolve(name).toString();
    }

    @Test
    void every_start_error_in_one_run_each_with_file_and_line() throws IOException {
        write("keepalive 1\ndeadtime 5\ninitdead 10\nbcast lo\nbcast eth9\nauto_failback off\nnode " + host + "\nnode peer\n",
                host + " IPaddr::192.168.300.1/24/lo\n"
                        + host + " IPaddr::192.0.2.10/33/lo\n"
                        + host + " IPaddr2::192.0.2.11/24/eth7\n"
                        + host + " 192.0.2.12/24/lo no-such-agent-ux\n");
        assertThat(check()).isEqualTo(1);
        assertThat(errorLines(err.toString(StandardCharsets.UTF_8))).containsExactly(
                f("ha.cf") + ":5: interface [eth9] does not exist on this host (bcast eth9)",
                f("haresources") + ":1: resource IPaddr::192.168.300.1/24/lo: bad address [192.168.300.1] in IPaddr argument [192.168.300.1/24/lo]",
                f("haresources") + ":2: resource IPaddr::192.0.2.10/33/lo: bad netmask [33] in IPaddr argument [192.0.2.10/33/lo]",
                f("haresources") + ":3: resource IPaddr2::192.0.2.11/24/eth7: interface [eth7] does not exist on this host",
                f("haresources") + ":4: Cannot locate resource script no-such-agent-ux (resource no-such-agent-ux; looked in"
                        + " /etc/ha.d/resource.d, /etc/init.d, and OCF agents as ocf:PROVIDER:TYPE)");
        assertThat(err.toString(StandardCharsets.UTF_8)).doesNotContain("Exception", "\tat ");
    }

    @Test
    void checked_as_another_node_what_this_machine_lacks_is_a_warning_and_file_errors_stay_errors() throws IOException {
        write("keepalive 1\ndeadtime 5\ninitdead 10\nbcast eth9\nauto_failback off\nnode other-node-ux\nnode peer\n",
                "other-node-ux IPaddr2::192.0.2.11/24/eth7 no-such-agent-ux\n");
        int rc = CheckCommand.run(dir.resolve("etc"), "other-node-ux", new LocalHostFacts(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        String shown = out.toString(StandardCharsets.UTF_8);
        assertThat(rc).isZero();
        assertThat(shown).contains("warning: " + f("ha.cf") + ":4: interface [eth9] does not exist on this host (bcast eth9) (on this host [")
                .contains("warning: " + f("haresources") + ":1: resource IPaddr2::192.0.2.11/24/eth7: interface [eth7] does not exist")
                .contains("warning: " + f("haresources") + ":1: Cannot locate resource script no-such-agent-ux")
                .contains("an error on [other-node-ux] if it is so there").contains("configuration OK");
        assertThat(errorLines(err.toString(StandardCharsets.UTF_8))).isEmpty();

        out.reset();
        write("keepalive 1\ndeadtime 5\ninitdead 10\nbcast eth9\nauto_failback off\nnode other-node-ux\nnode peer\n",
                "other-node-ux IPaddr::192.0.2.10/33/lo\n");
        rc = CheckCommand.run(dir.resolve("etc"), "other-node-ux", new LocalHostFacts(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(rc).isEqualTo(1);
        assertThat(errorLines(err.toString(StandardCharsets.UTF_8))).containsExactly(
                f("haresources") + ":1: resource IPaddr::192.0.2.10/33/lo: bad netmask [33] in IPaddr argument [192.0.2.10/33/lo]");
    }

    @Test
    void the_daemon_refuses_the_same_files_with_the_same_errors() throws IOException {
        write("keepalive 1\ndeadtime 5\ninitdead 10\nbcast eth9\nauto_failback off\nnode " + host + "\nnode peer\n",
                host + " IPaddr::192.0.2.10/33/lo ocf:heartbeat:NoSuchAgentUx\n");
        assertThat(check()).isEqualTo(1);
        List<String> checked = errorLines(err.toString(StandardCharsets.UTF_8));
        assertThat(checked).hasSize(3);
        err.reset();
        PrintStream saved = System.err;
        int rc;
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            rc = Main.run("run", "--quiet", "-c", dir.resolve("etc").toString(), "--node", host, "--state-dir",
                    dir.resolve("state").toString(), "--run-dir", dir.resolve("run").toString());
        } finally {
            System.setErr(saved);
        }
        assertThat(rc).isEqualTo(1);
        List<String> started = Arrays.stream(err.toString(StandardCharsets.UTF_8).split("\n"))
                .filter(l -> l.startsWith("tandem: ")).map(l -> l.substring("tandem: ".length())).toList();
        assertThat(started).containsExactlyElementsOf(checked);
        assertThat(dir.resolve("run")).doesNotExist();
    }

    @Test
    void parse_errors_of_every_file_in_one_run() throws IOException {
        write("keepalive 2\ndeadtime 3s\nbogus_directive 1\nbcast lo\nnode " + host + "\n",
                host + " IPaddr::192.0.2.1\n" + host + " IPaddr::192.0.2.1\n");
        Files.writeString(dir.resolve("etc/authkeys"), "auth 1\n1 md5\n");
        assertThat(check()).isEqualTo(1);
        assertThat(errorLines(err.toString(StandardCharsets.UTF_8))).satisfiesExactly(
                l -> assertThat(l).startsWith(f("ha.cf") + ":2: Invalid deadtime [3s]"),
                l -> assertThat(l).startsWith(f("ha.cf") + ":3: Illegal directive [bogus_directive]"),
                l -> assertThat(l).startsWith(f("authkeys") + ":2: Auth method [md5] requires a key"),
                l -> assertThat(l).startsWith(f("haresources") + ":2: Duplicate group key [IPaddr::192.0.2.1]"));
    }
}
