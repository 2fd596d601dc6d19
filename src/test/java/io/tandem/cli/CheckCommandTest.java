package io.tandem.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.config.HostFacts;
import io.tandem.daemon.agent.AgentLookup;
import io.tandem.daemon.agent.FileAgentCatalog;
import io.tandem.daemon.os.LocalHostFacts;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code tandem check} on real files, with this machine's real host facts. */
class CheckCommandTest {
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

    /** The seed's node orasrv1 as its files describe it: eth0 and eth1, and an httpd init script. */
    record Orasrv1() implements HostFacts {
        @Override
        public String hostname() {
            return "orasrv1.xlk.com";
        }

        @Override
        public boolean interfaceExists(String name) {
            return Set.of("lo", "eth0", "eth1").contains(name);
        }
    }

    /** Checks as node {@code node} of the imagined orasrv1, whose agents are real files under agents/. */
    int check(String node) throws IOException {
        Path agents = Files.createDirectories(dir.resolve("agents"));
        Path initd = Files.createDirectories(agents.resolve("init.d"));
        Path httpd = initd.resolve("httpd");
        if (!Files.exists(httpd)) {
            Files.writeString(httpd, "#!/bin/sh\nexit 0\n");
            Files.setPosixFilePermissions(httpd, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        AgentLookup lookup = new AgentLookup(agents.resolve("resource.d").toString(), initd.toString(),
                agents.resolve("ocf").toString(), AgentLookup.DEFAULT_TIMEOUT_MS);
        return CheckCommand.run(dir, node, new Orasrv1(), lookup, new FileAgentCatalog(),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    /** Checks on this machine, as {@code tandem check} does. */
    int checkHere(String node) {
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
    void seed_prints_the_summary_and_exits_0() throws IOException {
        seed("rw-------");
        assertThat(check("orasrv1.xlk.com")).as(err()).isZero();
        assertThat(out()).contains(
                "nodes:      orasrv1.xlk.com (local), orasrv2.xlk.com",
                "ping nodes: 192.0.2.254",
                "tiebreak:   on: no takeover without a reachable ping node",
                "media:      bcast eth1 port 694, ping 192.0.2.254",
                "timers:     keepalive 2s, deadtime 15s, warntime 10s, initdead 60s, deadping 15s",
                "failback:   auto_failback off, msgfmt classic",
                "auth:       key 1 md5",
                "group:      orasrv1.xlk.com (local): IPaddr::192.168.21.1/24/eth0 httpd",
                "configuration OK");
        assertThat(err()).isEmpty();
    }

    @Test
    void seed_with_git_checkout_mode_fails_with_heartbeats_message() throws IOException {
        seed("rw-r--r--");
        assertThat(check("orasrv1.xlk.com")).isEqualTo(1);
        assertThat(err()).contains("error: " + dir.resolve("authkeys") + ": Bad permissions on keyfile ["
                + dir.resolve("authkeys") + "], 600 recommended.");
    }

    static Stream<Arguments> broken() {
        return Stream.of(
                Arguments.of("ha.cf", "keepalive 2\ndeadtime 3s\n", "ha.cf:2: Invalid deadtime [3s]"),
                Arguments.of("ha.cf", "bcast eth1\nudpport 694\nnode orasrv1.xlk.com\n",
                        "ha.cf:2: udpport setting must precede media statements"),
                Arguments.of("ha.cf", "bcast eth1\nnode orasrv2.xlk.com\n",
                        "ha.cf:2: Current node [orasrv1.xlk.com] not in configuration!"),
                Arguments.of("ha.cf", "bcast eth1\nnode orasrv1.xlk.com\nkeepalive 2\ndeadtime 4\n",
                        "ha.cf:4: Dead time [4000] is too small compared to keeplive [2000]"),
                Arguments.of("authkeys", "auth 1\n1 md5\n", "authkeys:2: Auth method [md5] requires a key"),
                Arguments.of("haresources", "\norasrv3 IPaddr::192.0.2.1 httpd\n", "haresources:2: Bad nodename in "));
    }

    @ParameterizedTest(name = "[{index}] {2}")
    @MethodSource("broken")
    void broken_file_exits_1_naming_file_and_line(String file, String text, String expected) throws IOException {
        seed("rw-------");
        Files.writeString(dir.resolve(file), text);
        assertThat(check("orasrv1.xlk.com")).isEqualTo(1);
        assertThat(err()).contains("error: " + dir + "/" + expected)
                .contains("tandem check: " + dir + " is not a valid configuration");
    }

    @Test
    void registered_in_main_and_defaults_to_this_hosts_name() throws IOException {
        seed("rw-------");
        String host = new LocalHostFacts().hostname();
        Files.writeString(dir.resolve("ha.cf"), "bcast lo\nnode " + host + "\nauto_failback on\n");
        Files.writeString(dir.resolve("haresources"), host + " IPaddr::192.0.2.1/24/lo\n");
        assertThat(Main.run("check", "-c", dir.toString())).isZero();
        assertThat(checkHere(null)).isZero();
        assertThat(out()).contains("nodes:      " + host + " (local)").doesNotContain("warning");
    }

    // ---------------------------------------------------------------- fencing: the device in the summary, the single-path warning, a bad line

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

    @Test
    void tandem_cf_is_checked_and_its_fencing_settings_shown() throws IOException {
        seed("rw-------");
        Files.writeString(dir.resolve("ha.cf"), Files.readString(dir.resolve("ha.cf")) + "stonith_host * null orasrv1.xlk.com,orasrv2.xlk.com\n");
        Files.writeString(dir.resolve("tandem.cf"), "fence_delay 0\nstonith_check_interval 5min\n");
        assertThat(check("orasrv1.xlk.com")).as(err()).isZero();
        assertThat(out()).contains("; fence_delay 0s; device status checked every 300s)",
                "warning: " + dir + "/tandem.cf:1: fence_delay 0: ");
        Files.writeString(dir.resolve("tandem.cf"), "\nfence_delay 0\nstonith_check_interval never\n");
        assertThat(check("orasrv1.xlk.com")).isEqualTo(1);
        assertThat(err()).contains("error: " + dir + "/tandem.cf:3: Invalid stonith_check_interval [never]");
    }

    @Test
    void a_tandem_setting_in_ha_cf_is_an_error_that_names_tandem_cf() throws IOException {
        seed("rw-------");
        Files.writeString(dir.resolve("ha.cf"), "bcast eth1\nnode orasrv1.xlk.com\nping_tiebreak off\n");
        assertThat(check("orasrv1.xlk.com")).isEqualTo(1);
        assertThat(err()).contains("error: " + dir + "/ha.cf:3: ping_tiebreak is Tandem's own setting and belongs in " + dir
                + "/tandem.cf, not in ha.cf");
    }
}
