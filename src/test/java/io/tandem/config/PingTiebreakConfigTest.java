package io.tandem.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** tandem.cf's {@code ping_tiebreak} and what an ipfail {@code respawn} line becomes (docs/configuration.md). */
class PingTiebreakConfigTest {
    private static final String BASE = "bcast eth1\nnode a\nnode b\n";

    private static ClusterConfig config(String haCf, TandemCf tandem) {
        return new ClusterConfig(HaCfParser.parse("ha.cf", haCf), AuthKeysParser.parse("authkeys", "auth 1\n1 crc\n", 0600), new HaResources("haresources", List.of()),
                List.of()).withTandem(tandem);
    }

    @Test
    void on_by_default_and_acting_only_with_ping_nodes() {
        assertThat(TandemCf.DEFAULTS.pingTiebreak()).isTrue();
        assertThat(config(BASE, TandemCf.DEFAULTS).pingTiebreakActive()).as("no ping nodes: no gating").isFalse();
        assertThat(config(BASE + "ping 192.0.2.254\n", TandemCf.DEFAULTS).pingTiebreakActive()).isTrue();
        ClusterConfig group = config(BASE + "ping_group routers 192.0.2.253 192.0.2.254\n", TandemCf.DEFAULTS);
        assertThat(group.pingTiebreakActive()).isTrue();
        assertThat(group.haCf().pingNodes()).containsExactly("routers");
    }

    @Test
    void turned_off_in_tandem_cf() {
        TandemCf off = TandemCfParser.parse("tandem.cf", "# ours\nping_tiebreak off\n");
        assertThat(off.pingTiebreak()).isFalse();
        assertThat(off.lineOf("ping_tiebreak")).isEqualTo(2);
        assertThat(config(BASE + "ping 192.0.2.254\n", off).pingTiebreakActive()).isFalse();
    }

    @Test
    void in_ha_cf_it_is_an_error_that_says_where_it_belongs_and_why() {
        assertThatThrownBy(() -> HaCfParser.parse("/etc/ha.d/ha.cf", BASE + "ping_tiebreak off\n"))
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.file()).isEqualTo("/etc/ha.d/ha.cf");
                    assertThat(e.line()).isEqualTo(4);
                    assertThat(e.text()).contains("ping_tiebreak is Tandem's own setting and belongs in /etc/ha.d/tandem.cf",
                            "heartbeat 3.0.6 refuses an ha.cf with it (Illegal directive [ping_tiebreak])",
                            "a node rolled back to heartbeat would not start");
                });
    }

    @Test
    void a_bad_value_names_file_and_line() {
        assertThatThrownBy(() -> TandemCfParser.parse("/etc/ha.d/tandem.cf", "\nping_tiebreak sometimes\n"))
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.file()).isEqualTo("/etc/ha.d/tandem.cf");
                    assertThat(e.line()).isEqualTo(2);
                    assertThat(e.getMessage()).contains("Invalid ping_tiebreak value [sometimes]");
                });
    }

    @Test
    void an_ipfail_respawn_line_is_a_notice_naming_the_built_in_tiebreak() {
        for (String path : new String[] {"/usr/lib/heartbeat/ipfail", "/usr/libexec/heartbeat/ipfail"}) {
            HaCf cf = HaCfParser.parse("ha.cf", BASE + "ping 192.0.2.254\nrespawn hacluster " + path + "\n");
            assertThat(cf.notices()).singleElement().satisfies(n -> {
                assertThat(n.line()).isEqualTo(5);
                assertThat(n.text()).contains("Tandem does not run " + path, "built-in ping-node tiebreak", "ping_tiebreak off");
            });
        }
        HaCf other = HaCfParser.parse("ha.cf", BASE + "respawn hacluster /usr/lib/heartbeat/dopd\n");
        assertThat(other.notices()).isEmpty();
    }
}
