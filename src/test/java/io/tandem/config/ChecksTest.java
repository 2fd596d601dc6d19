package io.tandem.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ChecksTest {
    /** Facts of an imagined cluster node (Checks is pure: its host facts are an input). */
    record Host(String hostname, Set<String> interfaces) implements HostFacts {
        @Override
        public boolean interfaceExists(String name) {
            return interfaces.contains(name);
        }
    }

    static final Host ORASRV1 = new Host("orasrv1.xlk.com", Set.of("eth0", "eth1", "lo"));
    static final String KEYS = "auth 1\n1 crc\n";
    static final String RES = "orasrv1.xlk.com IPaddr::192.168.21.1/24/eth0 httpd\n";

    /** The findings but the single-heartbeat-path warning, which FencingChecksTest covers (the seed has one path). */
    static List<Finding> check(String haCf, String haresources, String node, HostFacts host) {
        ClusterConfig c = ClusterConfig.parse("ha.cf", haCf, "authkeys", KEYS, 0600, "haresources", haresources);
        return Checks.check(c, node, host).stream().filter(f -> !f.text().startsWith(FencingChecksTest.SINGLE_PATH)).toList();
    }

    static List<Finding> check(String haCf) {
        return check(haCf, RES, "orasrv1.xlk.com", ORASRV1);
    }

    @Test
    void seed_has_no_findings_on_its_own_node() {
        assertThat(check(HaCfParserTest.SEED)).isEmpty();
    }

    @Test
    void node_name_is_compared_lower_cased() {
        assertThat(check(HaCfParserTest.SEED, RES, "ORASRV1.xlk.com", ORASRV1)).isEmpty();
    }

    static final String BASE = "bcast eth1\nnode orasrv1.xlk.com\nauto_failback on\n";

    static Stream<Arguments> findings() {
        return Stream.of(
                Arguments.of("node orasrv1.xlk.com\nping 192.0.2.1\nauto_failback on", Finding.Level.ERROR, 0,
                        "No heartbeat media defined"),
                Arguments.of("bcast eth1\nauto_failback on", Finding.Level.ERROR, 0, "no nodes defined"),
                Arguments.of("bcast eth1\nnode orasrv2.xlk.com\nauto_failback on", Finding.Level.ERROR, 2,
                        "Current node [orasrv1.xlk.com] not in configuration!"),
                Arguments.of(BASE + "keepalive 2\ndeadtime 4", Finding.Level.ERROR, 5,
                        "Dead time [4000] is too small compared to keeplive [2000]"),
                Arguments.of(BASE + "deadtime 30\ninitdead 20", Finding.Level.ERROR, 5,
                        "Initial dead time [20000] is smaller than deadtime [30000]"),
                Arguments.of(BASE + "deadtime 5\ninitdead 6", Finding.Level.WARN, 5,
                        "Initial dead time [6000 ms] may be too small! Initial dead time accounts for slow network"
                                + " startup time. It should be >= deadtime and >= 10 seconds"),
                Arguments.of(BASE + "keepalive 2\ndeadping 4", Finding.Level.ERROR, 5,
                        "Ping dead time [4000] is too small compared to keeplive [2000]"),
                Arguments.of("bcast eth1\nnode orasrv1.xlk.com", Finding.Level.WARN, 0,
                        "Deprecated 'legacy' auto_failback option selected. Please convert to 'auto_failback on'."),
                Arguments.of(BASE + "autojoin other", Finding.Level.ERROR, 4,
                        "R1 style resource management conflicts with  autojoin set"),
                Arguments.of(BASE + "deadtime 10\nwarntime 10", Finding.Level.WARN, 5,
                        "warntime [10000 ms] is not below deadtime [10000 ms]"),
                Arguments.of("bcast eth9\nnode orasrv1.xlk.com\nauto_failback on", Finding.Level.ERROR, 1,
                        "interface [eth9] does not exist on this host"),
                Arguments.of("mcast eth7 239.0.0.1 694 1 0\nnode orasrv1.xlk.com\nauto_failback on",
                        Finding.Level.ERROR, 1, "interface [eth7] does not exist on this host"));
    }

    @ParameterizedTest(name = "[{index}] {3}")
    @MethodSource("findings")
    void heartbeats_checks(String haCf, Finding.Level level, int line, String text) {
        assertThat(check(haCf)).anySatisfy(f -> {
            assertThat(f.level()).isEqualTo(level);
            assertThat(f.file()).isEqualTo("ha.cf");
            assertThat(f.line()).isEqualTo(line);
            assertThat(f.text()).startsWith(text);
        });
    }

    @Test
    void group_of_an_unknown_node_is_heartbeats_bad_nodename() {
        List<Finding> f = check(HaCfParserTest.SEED, "orasrv1.xlk.com IPaddr::192.0.2.1 a\n\norasrv3 IPaddr::192.0.2.2 b\n",
                "orasrv1.xlk.com", ORASRV1);
        assertThat(f).singleElement().satisfies(x -> {
            assertThat(x.level()).isEqualTo(Finding.Level.ERROR);
            assertThat(x.toString()).startsWith("haresources:3: Bad nodename in haresources [orasrv3]");
        });
    }

    @Test
    void a_ping_node_cannot_hold_a_group() {
        List<Finding> f = check(HaCfParserTest.SEED, "192.0.2.254 IPaddr::192.0.2.1 a\n", "orasrv1.xlk.com", ORASRV1);
        assertThat(f).singleElement().satisfies(x -> assertThat(x.text()).contains("a ping node cannot hold resources"));
    }

    @Test
    void checking_as_another_node_than_this_host_is_a_warning() {
        List<Finding> f = check(HaCfParserTest.SEED, RES, "orasrv2.xlk.com", ORASRV1);
        assertThat(f).singleElement().satisfies(x -> {
            assertThat(x.level()).isEqualTo(Finding.Level.WARN);
            assertThat(x.text()).contains("this host is [orasrv1.xlk.com]");
        });
    }

    @Test
    void autojoin_any_needs_no_node_lines_but_still_conflicts_with_haresources() {
        List<Finding> f = check("bcast eth1\nautojoin any\nauto_failback on", "", "orasrv1.xlk.com", ORASRV1);
        assertThat(f).extracting(Finding::text).singleElement().asString().startsWith("R1 style");
    }
}
