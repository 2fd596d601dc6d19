package io.tandem.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Tandem's {@code ping_tiebreak} directive and what an ipfail {@code respawn} line becomes (docs/configuration.md). */
class PingTiebreakConfigTest {
    private static final String BASE = "bcast eth1\nnode a\nnode b\n";

    @Test
    void on_by_default_and_acting_only_with_ping_nodes() {
        HaCf none = HaCfParser.parse("ha.cf", BASE);
        assertThat(none.pingTiebreak()).isTrue();
        assertThat(none.pingTiebreakActive()).as("no ping nodes: no gating").isFalse();
        HaCf ping = HaCfParser.parse("ha.cf", BASE + "ping 192.0.2.254\n");
        assertThat(ping.pingTiebreakActive()).isTrue();
        HaCf group = HaCfParser.parse("ha.cf", BASE + "ping_group routers 192.0.2.253 192.0.2.254\n");
        assertThat(group.pingTiebreakActive()).isTrue();
        assertThat(group.pingNodes()).containsExactly("routers");
    }

    @Test
    void turned_off_by_the_directive() {
        HaCf cf = HaCfParser.parse("ha.cf", BASE + "ping 192.0.2.254\nping_tiebreak off\n");
        assertThat(cf.pingTiebreak()).isFalse();
        assertThat(cf.pingTiebreakActive()).isFalse();
        assertThat(cf.lineOf("ping_tiebreak")).isEqualTo(5);
        assertThat(HaCfPrinter.print(cf)).contains("ping_tiebreak off\n");
        assertThat(HaCfPrinter.print(HaCfParser.parse("ha.cf", BASE))).as("the default is not written: heartbeat refuses the directive")
                .doesNotContain("ping_tiebreak");
    }

    @Test
    void a_bad_value_names_file_and_line() {
        assertThatThrownBy(() -> HaCfParser.parse("ha.cf", BASE + "ping_tiebreak sometimes\n"))
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.file()).isEqualTo("ha.cf");
                    assertThat(e.line()).isEqualTo(4);
                    assertThat(e.getMessage()).contains("Invalid ping_tiebreak value [sometimes]");
                });
    }

    @Test
    void an_ipfail_respawn_line_is_a_notice_naming_the_built_in_tiebreak() {
        for (String path : new String[] {"/usr/lib/heartbeat/ipfail", "/usr/libexec/heartbeat/ipfail"}) {
            HaCf cf = HaCfParser.parse("ha.cf", BASE + "ping 192.0.2.254\nrespawn hacluster " + path + "\n");
            assertThat(cf.notices()).singleElement().satisfies(n -> {
                assertThat(n.line()).isEqualTo(5);
                assertThat(n.text()).contains("Tandem does not run " + path, "built-in ping-node tiebreak", "ping_tiebreak");
            });
            assertThat(cf.pingTiebreakActive()).isTrue();
        }
        HaCf other = HaCfParser.parse("ha.cf", BASE + "respawn hacluster /usr/lib/heartbeat/dopd\n");
        assertThat(other.notices()).isEmpty();
    }
}
