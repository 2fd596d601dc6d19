package io.tandem.interop;

import static io.tandem.lab.TandemNodes.fetch;
import static io.tandem.lab.TandemNodes.holds;
import static io.tandem.lab.TandemNodes.tandem;
import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.lab.ExecResult;
import io.tandem.lab.HeartbeatConfig;
import io.tandem.lab.Lab;
import io.tandem.lab.Poll;
import io.tandem.lab.TandemNodes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The giver's {@code done} at address-gone (docs/ownership.md, "Done at address-gone") with the real IPaddr
 * script and a warm apache2 on two Tandem nodes in the namespace lab: {@code hb_standby} and the failback by
 * {@code hb_takeover}: the giver's debug file has its {@code done} (the line saying the address is gone and
 * no longer announced) before the IPaddr stop script's {@code done. RC=} line, the taker acquires, and a
 * sampler looking at the VIP in both nodes every ~20 ms never finds it on both. Then node1 runs the real
 * heartbeat 3.0.6 and takes the group from Tandem's {@code hb_standby}: heartbeat's taker takes the earlier
 * done as any (it just waits for it). The client's longest gap is printed, not asserted. Lab prefix {@code edn}.
 */
class EarlyDoneLabTest {
    private static final String N1 = "node1";
    private static final String N2 = "node2";
    private static final String VIP = "192.0.2.1";
    private static final String GROUP = "IPaddr::192.0.2.1/24/eth0";
    private static final String EARLY_DONE = "done before the end of their stop script";
    private static final String RC_LINE = "/etc/ha.d/resource.d/IPaddr 192.0.2.1/24/eth0 stop done. RC=";
    /** Tolerant timers: the machine is shared with fault campaigns. */
    private static final String HA_CF = "logfile /var/log/ha-log\ndebugfile /var/log/ha-debug\nkeepalive 500ms\ndeadtime 5\nwarntime 3\n"
            + "initdead 12\nudpport 694\nbcast eth1\nauto_failback off\nnode node1\nnode node2\n";
    private static final String AUTHKEYS = "auth 1\n1 md5 edn-lab-key\n";
    private static final String HB_STANDBY = "/usr/share/heartbeat/hb_standby";
    private static Lab lab;

    @BeforeAll
    static void up() throws IOException {
        lab = TandemNodes.apachePair("edn", HA_CF, AUTHKEYS, "node1 " + GROUP + " apache2\n");
        for (String n : List.of(N1, N2)) {
            Files.writeString(lab.path(n, "/etc/ha.d/tandem.cf"), "resource apache2 warm\n");
        }
    }

    @AfterAll
    static void down() {
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void the_giver_says_done_before_its_address_stop_script_ends_and_the_vip_is_never_on_both_nodes() throws Exception {
        try {
            List.of(N1, N2).parallelStream().forEach(n -> ok(tandem(lab, n, "start")));
            Poll.untilOrElse(Duration.ofSeconds(120), () -> fetch(lab, VIP).contains(N1), () -> "node1 never served\n" + logs());
            TandemNodes.awaitSettled(lab, N1, N2, VIP, EarlyDoneLabTest::logs);
            move("hb_standby", N1, N2, () -> ok(tandem(lab, N1, "hb_standby")));
            move("hb_takeover (failback)", N2, N1, () -> ok(tandem(lab, N1, "hb_takeover")));
            if (Lab.heartbeatUnavailable().isEmpty()) {
                toHeartbeat();
            } else {
                System.out.println("edn: the part with heartbeat 3.0.6 skipped: " + Lab.heartbeatUnavailable().orElse(""));
            }
        } finally {
            System.out.println("=== EarlyDoneLabTest logs\n" + logs());
        }
    }

    /** {@code command} moves the group from {@code giver} to {@code taker}: early done in the giver's debug file, VIP never on both. */
    private void move(String what, String giver, String taker, Runnable command) throws Exception {
        int from = debug(giver).length();
        Moves.Measured m = Moves.measure(lab, VIP, taker, EarlyDoneLabTest::logs, command);
        TandemNodes.awaitSettled(lab, N1, N2, VIP, EarlyDoneLabTest::logs);
        System.out.printf("edn: %s from %s to %s: %s%n", what, giver, taker, m);
        assertThat(m.both()).as("samples with the VIP on both nodes (%s)", what).isZero();
        assertThat(holds(lab, taker, VIP)).isTrue();
        assertThat(holds(lab, giver, VIP)).isFalse();
        String d = debug(giver).substring(from);
        assertThat(d.indexOf(EARLY_DONE)).as("%s said done at address-gone\n%s", giver, d).isGreaterThanOrEqualTo(0);
        assertThat(d.indexOf(RC_LINE)).as("%s's IPaddr stop script ended\n%s", giver, d).isGreaterThanOrEqualTo(0);
        assertThat(d.indexOf(EARLY_DONE)).as("%s's done before the end of its IPaddr stop script\n%s", giver, d).isLessThan(d.indexOf(RC_LINE));
        assertThat(d.indexOf("Fast address step: 192.0.2.1 is on no interface and no longer announced from here"))
                .as("the address step verified the address gone first\n%s", d).isBetween(0, d.indexOf(EARLY_DONE));
    }

    /**
     * node1 runs the real heartbeat 3.0.6 and holds the group; Tandem on node2 takes it with heartbeat's
     * hb_standby and gives it back with its own: heartbeat's taker acquires after Tandem's early done and logs
     * no cancelled or ignored standby message.
     */
    private void toHeartbeat() throws Exception {
        List.of(N1, N2).parallelStream().forEach(n -> tandem(lab, n, "stop"));
        int hbFrom = lab.haLog(N1).length();
        lab.startHeartbeat(N1, new HeartbeatConfig(HA_CF, AUTHKEYS, "node1 " + GROUP + " apache2\n"));
        try {
            Poll.untilOrElse(Duration.ofSeconds(90), () -> fetch(lab, VIP).contains(N1), () -> "heartbeat never served\n" + logs());
            ok(tandem(lab, N2, "start"));
            Poll.untilOrElse(Duration.ofSeconds(60), () -> "active".equals(lab.clStatus(N1, "nodestatus", N2).out())
                    && "active".equals(tandem(lab, N2, "cl_status", "nodestatus", N1).out()), () -> "no mixed cluster\n" + logs());
            Moves.settledOnMixed(lab, N1, EarlyDoneLabTest::logs);
            Moves.Measured toTandem = Moves.measure(lab, VIP, N2, EarlyDoneLabTest::logs, () -> ok(lab.exec(N1, Duration.ofSeconds(20), HB_STANDBY)));
            Moves.settledOnMixed(lab, N2, EarlyDoneLabTest::logs);
            System.out.printf("edn: heartbeat 3.0.6 hb_standby to Tandem: %s%n", toTandem);
            int from = debug(N2).length();
            Moves.Measured back = Moves.measure(lab, VIP, N1, EarlyDoneLabTest::logs, () -> ok(tandem(lab, N2, "hb_standby")));
            Moves.settledOnMixed(lab, N1, EarlyDoneLabTest::logs);
            System.out.printf("edn: Tandem hb_standby to heartbeat 3.0.6 (early done): %s%n", back);
            String d = debug(N2).substring(from);
            assertThat(d.indexOf(EARLY_DONE)).as("Tandem said done at address-gone\n%s", d).isGreaterThanOrEqualTo(0)
                    .isLessThan(d.indexOf(RC_LINE));
            String hb = lab.haLog(N1).substring(hbFrom);
            assertThat(hb).contains("standby: acquire [").doesNotContain("No reply to standby request").doesNotContain("Ignored standby message");
            assertThat(toTandem.both()).as("samples with the VIP on both nodes").isZero();
            assertThat(back.both()).as("samples with the VIP on both nodes").isZero();
        } finally {
            lab.stopHeartbeat(N1);
        }
    }

    /** A node's debug file (every line, debug included). */
    private static String debug(String node) {
        try {
            Path p = lab.path(node, "/var/log/ha-debug");
            return Files.exists(p) ? Files.readString(p) : "";
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void ok(ExecResult r) {
        assertThat(r.exitCode()).as(r.toString()).isZero();
    }

    private static String logs() {
        return "--- node1 ha-log:\n" + lab.haLog(N1) + "--- node2 ha-log:\n" + lab.haLog(N2);
    }
}
