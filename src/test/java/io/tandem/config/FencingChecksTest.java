package io.tandem.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class FencingChecksTest {
    static final String SINGLE_PATH = "two nodes, one heartbeat path";
    static final String TWO = "node orasrv1.xlk.com\nnode orasrv2.xlk.com\nauto_failback on\n";

    static List<Finding> check(String haCf) {
        ClusterConfig c = ClusterConfig.parse("ha.cf", haCf, "authkeys", ChecksTest.KEYS, 0600, "haresources", ChecksTest.RES);
        return Checks.check(c, "orasrv1.xlk.com", ChecksTest.ORASRV1);
    }

    @Test
    void two_nodes_one_path_no_stonith_is_warned_with_what_to_do() {
        List<Finding> f = check("bcast eth1\n" + TWO);
        assertThat(f).singleElement().satisfies(x -> {
            assertThat(x.level()).isEqualTo(Finding.Level.WARN);
            assertThat(x.line()).isEqualTo(1);
            assertThat(x.text()).startsWith(SINGLE_PATH + " (eth1) and no STONITH device")
                    .contains("'bcast eth0' besides 'bcast eth1'", "ucast", "stonith_host * TYPE PARAMS",
                            "No STONITH device configured.");
        });
    }

    @Test
    void a_second_medium_or_a_device_silences_it() {
        assertThat(check("bcast eth1\nbcast eth0\n" + TWO)).isEmpty();
        assertThat(check("bcast eth1\nucast eth0 192.0.2.12\n" + TWO)).isEmpty();
        assertThat(check("bcast eth1\nstonith_host * null orasrv1.xlk.com,orasrv2.xlk.com\n" + TWO)).isEmpty();
        assertThat(check("bcast eth1\nstonith null /etc/ha.d/null.cfg\n" + TWO)).isEmpty();
    }

    @Test
    void ucast_lines_on_one_interface_are_one_path_and_a_device_for_the_other_node_does_not_count() {
        assertThat(check("ucast eth1 192.0.2.11\nucast eth1 192.0.2.12\nstonith_host orasrv2.xlk.com null x\n" + TWO))
                .extracting(Finding::text).singleElement().asString().startsWith(SINGLE_PATH + " (eth1)");
    }

    @Test
    void a_lone_node_or_three_nodes_are_not_this_case() {
        assertThat(check("bcast eth1\nnode orasrv1.xlk.com\nauto_failback on\n")).isEmpty();
        assertThat(check("bcast eth1\n" + TWO + "node orasrv3.xlk.com\n")).isEmpty();
    }

    static List<Finding> check(String haCf, String tandemCf) {
        ClusterConfig c = ClusterConfig.parse("ha.cf", haCf, "authkeys", ChecksTest.KEYS, 0600, "haresources", ChecksTest.RES)
                .withTandem(TandemCfParser.parse("/etc/ha.d/tandem.cf", tandemCf));
        return Checks.check(c, "orasrv1.xlk.com", ChecksTest.ORASRV1);
    }

    @Test
    void failure_takeover_is_warned_as_unsafe() {
        assertThat(check("bcast eth1\nbcast eth0\n" + TWO + "stonith_host * null x\n", "\nstonith_failure_takeover yes\n"))
                .singleElement().satisfies(x -> {
                    assertThat(x.file()).isEqualTo("/etc/ha.d/tandem.cf");
                    assertThat(x.line()).isEqualTo(2);
                    assertThat(x.text()).contains("unsafe");
                });
    }

    @Test
    void a_fence_delay_of_0_with_a_device_is_warned_as_a_fence_race() {
        String haCf = "bcast eth1\nbcast eth0\n" + TWO + "stonith_host * null x\n";
        assertThat(check(haCf, "fence_delay 0\n")).singleElement().satisfies(x -> {
            assertThat(x.line()).isEqualTo(1);
            assertThat(x.text()).startsWith("fence_delay 0: ").contains("fence race");
        });
        assertThat(check(haCf, "fence_delay 2s\n")).isEmpty();
        assertThat(check("bcast eth1\nbcast eth0\n" + TWO, "fence_delay 0\n")).as("no device, no race").isEmpty();
    }

    @Test
    void a_stonith_host_line_for_a_stranger_is_never_used() {
        assertThat(check("bcast eth1\nbcast eth0\n" + TWO + "stonith_host orasrv9 null x\n"))
                .singleElement().satisfies(x -> {
                    assertThat(x.line()).isEqualTo(6);
                    assertThat(x.text()).startsWith("stonith_host orasrv9: not a node of this cluster");
                });
    }
}
