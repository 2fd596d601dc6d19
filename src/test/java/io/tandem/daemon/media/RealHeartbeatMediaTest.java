package io.tandem.daemon.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tandem.lab.HeartbeatConfig;
import io.tandem.lab.Lab;
import io.tandem.lab.LabProcess;
import io.tandem.lab.Poll;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Our media and the real heartbeat 3.0.6 hear each other: heartbeat runs on the first node, a
 * {@link MediaProbe} with the matching media on the second. Heartbeat sends from ephemeral source
 * ports to port 694; our probe receives that. The other way, the probe replays the second node's
 * status packets of the reference capture (src/test/resources/captures/seed-md5.pcap, signed with its
 * md5 key; extracted to orasrv2-status-md5.hex) and heartbeat reports the link up.
 */
class RealHeartbeatMediaTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static Lab lab;
    private LabProcess probe;

    @BeforeAll
    static void startLab() {
        assumeTrue(Lab.heartbeatUnavailable().isEmpty(), () -> "skipped: " + Lab.heartbeatUnavailable().orElse(""));
        lab = Lab.start("tl", "node1", "node2");

    }

    @AfterAll
    static void stopLab() {
        if (lab != null) {
            lab.close();
        }
    }

    @AfterEach
    void stop() {
        if (probe != null) {
            probe.close();
        }
        lab.killHeartbeat("node1");
    }

    @Test
    void bcast_and_mcast_packets_of_real_heartbeat_arrive_on_the_right_media() {
        String haCf = HeartbeatConfig.fastBcast(lab.nodes(), "eth1", 694).haCf() + "mcast eth0 239.0.0.9 694 1 0\n";
        lab.startHeartbeat("node1", HeartbeatConfig.fastBcast(lab.nodes(), "eth1", 694).withHaCf(haCf));
        probe = lab.startJava("node2", MediaProbe.class.getName(), "694", "bcast:eth1", "mcast:eth0:239.0.0.9:694:1:0");

        String viaBcast = probe.awaitLine(WAIT, l -> l.startsWith("recv eth1 198.51.100.128 ") && l.contains("t=status"), "a status on eth1");
        String viaMcast = probe.awaitLine(WAIT, l -> l.startsWith("recv eth0 192.0.2.11 ") && l.contains("t=status"), "a status on eth0");
        assertThat(List.of(viaBcast, viaMcast)).allMatch(l -> l.contains("src=node1") && l.contains("auth=1 "));
        assertThat(probe.lines(l -> l.startsWith("recv "))).allMatch(l -> l.startsWith("recv eth1 198.51.100.128 ") || l.startsWith("recv eth0 192.0.2.11 "));
    }

    @Test
    void real_heartbeat_hears_packets_we_send_by_bcast() throws Exception {
        List<String> statuses;
        try (var in = RealHeartbeatMediaTest.class.getResourceAsStream("orasrv2-status-md5.hex")) {
            statuses = new String(in.readAllBytes(), StandardCharsets.US_ASCII).lines().filter(l -> !l.startsWith("#")).toList();
        }
        assertThat(statuses).hasSize(8);
        try (Lab seed = Lab.start("tls", "orasrv1.xlk.com", "orasrv2.xlk.com")) {
            assertThat(seed.heartbeatAddress("orasrv2.xlk.com")).isEqualTo("198.51.100.129");
            HeartbeatConfig config = HeartbeatConfig.fastBcast(seed.nodes(), "eth1", 694)
                    .withAuthkeys("auth 1\n1 md5 74a6a503b5bec9373b22bb630608df41\n");
            seed.startHeartbeat("orasrv1.xlk.com", config);
            LabProcess ours = seed.startJava("orasrv2.xlk.com", MediaProbe.class.getName(), "694", "bcast:eth1");
            ours.awaitLine(WAIT, "ready"::equals, "ready");
            for (String status : statuses) {
                ours.println("sendhex " + status);
            }
            // heartbeat logs the link first and the status update a moment later: wait for both
            Poll.untilOrElse(WAIT, () -> seed.haLog("orasrv1.xlk.com").contains("Link orasrv2.xlk.com:eth1 up.")
                    && seed.haLog("orasrv1.xlk.com").contains("Status update for node orasrv2.xlk.com: status"),
                    () -> "heartbeat did not hear us; ha-log:\n" + seed.haLog("orasrv1.xlk.com") + "\nprobe:\n" + ours.output());
            assertThat(ours.lines(l -> l.startsWith("sent "))).containsOnly("sent 1");
        }
    }

    @Test
    void ucast_packets_of_real_heartbeat_arrive() {
        String haCf = HeartbeatConfig.fastBcast(lab.nodes(), "eth1", 694).haCf().replace("bcast eth1\n", "ucast eth1 198.51.100.129\n");
        lab.startHeartbeat("node1", HeartbeatConfig.fastBcast(lab.nodes(), "eth1", 694).withHaCf(haCf));
        probe = lab.startJava("node2", MediaProbe.class.getName(), "694", "ucast:eth1:198.51.100.128");

        String line = probe.awaitLine(WAIT, l -> l.startsWith("recv eth1 198.51.100.128 ") && l.contains("t=status"), "a status by ucast");
        assertThat(line).contains("src=node1");
    }
}
