package io.tandem.resources;

import io.tandem.config.FailbackMode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * The monitoring decisions of the ownership engine, seen from n1 with a scripted peer n2 and a small
 * model of the resources: a failed check restarts in place, the threshold (or a restart that cannot
 * start) hands the group over with the standby handshake, a node where the group failed refuses it,
 * nobody able to take it keeps it stopped until the fail count expires, {@code cleanup} clears it.
 */
class MonitorEngineTest {
    static final GroupSpec G1 = GroupSpec.of("n1", "ip1", "web1", "app1"), G2 = GroupSpec.of("n2", "ip2", "db2");
    static final MonitorPolicy POLICY = new MonitorPolicy(true, new MonitorSpec(10_000, 20_000, 3, 600_000), Map.of());

    /** What runs on n1 (the scripts of {@link #run} answer from it). */
    final Driver.Resources w = new Driver.Resources();

    Driver driver(MonitorPolicy policy) {
        return new Driver(new OwnershipConfig("n1", List.of("n1", "n2"), FailbackMode.OFF, List.of(G1, G2), 42, StopFailurePolicy.HOLD,
                OwnershipConfig.Timers.HEARTBEAT, policy));
    }

    /** n1 and n2 up and stable, n1 runs G1. */
    Driver stablePair(MonitorPolicy policy) {
        Driver d = driver(policy);
        d.apply(d.e.peerStatus(0, "n2", PeerStatus.ACTIVE));
        d.apply(d.e.commUp(0));
        d.from("n2", Messages.resourceFull(ResourceSet.LOCAL, true, null));
        run(d, d.now + 1000);
        assertThat(w.running).containsExactlyInAnyOrder("ip1", "web1", "app1");
        return d.clear();
    }

    /** n1 runs G1, then web1 dies and cannot start again; 11 s later (one check and the restart). */
    Driver web1DiesAndCannotStart() {
        Driver d = stablePair(POLICY);
        w.running.remove("web1");
        w.broken.add("web1");
        run(d, d.now + 11_000);
        return d;
    }

    /** n2 answers n1's standby request for [local] and takes the group (it then holds all). */
    void n2TakesWhatN1Gave(Driver d) {
        d.from("n2", Messages.askResources(ResourceSet.LOCAL, "other"));
        run(d, d.now + 500);
        d.from("n2", Messages.askResources(ResourceSet.LOCAL, "done"));
        d.from("n2", Messages.resourceFull(ResourceSet.ALL, true, null));
        run(d, d.now + 500);
    }

    /** Lets time pass until {@code until}, answering every script at once (100 ms each). */
    void run(Driver d, long until) {
        for (int guard = 0; guard < 100_000; guard++) {
            if (d.e.pendingOp().isPresent()) {
                ResourceOp op = d.e.pendingOp().get();
                d.now += 100;
                d.apply(d.e.opDone(d.now, op, w.answer(op)));
                continue;
            }
            OptionalLong next = d.e.nextDeadline();
            if (next.isEmpty() || next.getAsLong() > until) {
                d.now = Math.max(d.now, until);
                return;
            }
            d.now = Math.max(d.now, next.getAsLong());
            d.apply(d.e.tick(d.now));
        }
        throw new AssertionError("never settled: " + d.texts());
    }

    @Test
    void every_running_resource_is_checked_at_its_interval_and_nothing_is_sent() {
        Driver d = stablePair(POLICY);
        run(d, d.now + 30_500);
        assertThat(d.opTexts()).containsExactly("ip1 status", "web1 status", "app1 status", "ip1 status", "web1 status",
                "app1 status", "ip1 status", "web1 status", "app1 status");
        assertThat(d.ops).allMatch(op -> op.timeoutMs() == 20_000);
        assertThat(d.sent()).isEmpty();
        assertThat(d.logs()).isEmpty();
        assertThat(d.e.health(d.now)).filteredOn(h -> h.group().equals("ip1"))
                .allMatch(h -> h.state() == ResourceHealth.State.OK && h.failCount() == 0 && h.lastCheckAt() > 0);
        assertThat(d.e.health(d.now)).filteredOn(h -> h.group().equals("ip2")).allMatch(h -> h.state() == ResourceHealth.State.NOT_WATCHED);
    }

    @Test
    void without_monitoring_nothing_is_checked() {
        Driver d = stablePair(MonitorPolicy.OFF);
        run(d, d.now + 60_000);
        assertThat(d.ops).isEmpty();
        assertThat(d.e.nextDeadline()).isEmpty();
    }

    @Test
    void a_failed_check_restarts_the_resource_and_the_later_ones_in_place() {
        Driver d = stablePair(POLICY);
        w.running.remove("web1");
        run(d, d.now + 10_900);
        assertThat(d.opTexts()).containsExactly("ip1 status", "web1 status", "app1 stop", "web1 stop", "web1 status", "web1 start",
                "app1 status", "app1 start");
        assertThat(d.logs()).containsSubsequence(
                "ERROR: Monitor: resource web1 of group ip1 failed: not running (fail count 1 of 3 within 600 s)",
                "info: Restarting web1 app1 of group ip1 in place.",
                "info: Stopping for a restart: web1 app1 of group ip1",
                "info: Starting again: web1 app1 of group ip1",
                "info: Group ip1 restarted in place.");
        assertThat(d.sent()).as("a restart in place is not the peer's business").isEmpty();
        assertThat(w.running).containsExactlyInAnyOrder("ip1", "web1", "app1");
        assertThat(d.e.groupStates()).containsEntry("ip1", GroupState.RUNNING);
        assertThat(d.e.rscStatus()).isEqualTo("local");
        ResourceHealth web = health(d, "web1");
        assertThat(web.failCount()).isEqualTo(1);
        assertThat(web.lastFailure()).isEqualTo("not running");
        assertThat(web.bannedUntil()).isEqualTo(-1);
        // checking goes on after the restart
        d.clear();
        run(d, d.now + 10_000);
        assertThat(d.opTexts()).contains("web1 status");
        assertThat(health(d, "web1").state()).isEqualTo(ResourceHealth.State.OK);
    }

    @Test
    void a_check_that_errs_or_times_out_counts_as_a_failure() {
        Driver d = stablePair(POLICY);
        w.hanging.add("app1");
        run(d, d.now + 10_500);
        assertThat(d.logs()).contains("ERROR: Monitor: resource app1 of group ip1 failed: error or timeout (fail count 1 of 3 within 600 s)",
                "info: Restarting app1 of group ip1 in place.");
    }

    @Test
    void the_threshold_hands_the_group_to_the_peer_through_the_standby_handshake() {
        Driver d = stablePair(POLICY);
        for (int i = 0; i < 2; i++) {
            w.running.remove("web1");
            run(d, d.now + 10_900);
        }
        assertThat(health(d, "web1").failCount()).isEqualTo(2);
        d.clear();
        w.running.remove("web1");
        run(d, d.now + 10_900);
        assertThat(d.logs()).containsSubsequence(
                "ERROR: Monitor: resource web1 of group ip1 failed: not running (fail count 3 of 3 within 600 s)",
                "WARN: Group ip1 leaves this node: web1 failed 3 times within 600 s. Asking n2 to take [local].",
                "info: Going standby [local].");
        assertThat(d.sent()).containsExactly("t=ask_resources rsc_hold=local info=me");
        d.clear().from("n2", Messages.askResources(ResourceSet.LOCAL, "other"));
        run(d, d.now + 1000);
        assertThat(d.opTexts()).containsExactly("app1 stop", "web1 stop", "ip1 stop");
        assertThat(d.sent()).containsExactly("t=resource rsc_hold=local rtype=full isstable=0 info=standby",
                "t=ask_resources rsc_hold=local info=done");
        d.clear().from("n2", Messages.askResources(ResourceSet.LOCAL, "done"));
        d.from("n2", Messages.resourceFull(ResourceSet.ALL, true, null));
        run(d, d.now + 60_000);
        assertThat(w.running).isEmpty();
        assertThat(d.e.rscStatus()).isEqualTo("none");
        assertThat(d.e.groupStates()).containsEntry("ip1", GroupState.STOPPED);
        assertThat(d.ops).as("nothing is checked on a node that runs nothing").isEmpty();
        assertThat(health(d, "web1").bannedUntil()).isGreaterThan(d.now);
    }

    @Test
    void a_restart_that_cannot_start_moves_the_group_at_once() {
        Driver d = web1DiesAndCannotStart();
        assertThat(d.logs()).containsSubsequence(
                "ERROR: Monitor: resource web1 of group ip1 failed: not running (fail count 1 of 3 within 600 s)",
                "info: Restarting web1 app1 of group ip1 in place.",
                "CRIT: Giving up resources due to failure of web1",
                "info: Releasing resource group: n1 ip1 web1 app1",
                "WARN: Group ip1 leaves this node: start of web1 failed. Asking n2 to take [local].");
        assertThat(w.running).isEmpty();
        assertThat(d.sent()).containsExactly("t=ask_resources rsc_hold=local info=me");
        assertThat(health(d, "web1").failCount()).isEqualTo(3);
    }

    @Test
    void a_node_where_the_group_failed_refuses_it_until_cleanup() {
        Driver d = web1DiesAndCannotStart();
        n2TakesWhatN1Gave(d);
        assertThat(d.e.rscStatus()).isEqualTo("none");
        // the peer now wants to give everything back (e.g. hb_standby there)
        d.clear().from("n2", Messages.askResources(ResourceSet.ALL, "me"));
        assertThat(d.sent()).isEmpty();
        assertThat(d.logs()).singleElement().asString().startsWith(
                "WARN: standby message [me] from n2 ignored.  Group ip1 failed on this node (web1: fail count 3, clears in ")
                .endsWith(", or 'tandem cleanup ip1').");
        // the operator repairs web1 and clears the fail count (by any resource of the group)
        w.broken.clear();
        d.clear().apply(d.e.cleanup(d.now, "web1"));
        assertThat(d.logs()).containsExactly("info: Fail counts of group ip1 cleared (tandem cleanup).");
        assertThat(health(d, "web1").failCount()).isZero();
        d.clear().from("n2", Messages.askResources(ResourceSet.ALL, "me"));
        assertThat(d.sent()).containsExactly("t=ask_resources rsc_hold=all info=other");
        assertThatThrownBy(() -> d.e.cleanup(d.now, "nosuch")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no resource group has a resource nosuch");
    }

    @Test
    void a_banned_group_is_skipped_in_a_takeover_and_started_when_its_fail_count_expires() {
        MonitorPolicy p = new MonitorPolicy(true, new MonitorSpec(10_000, 20_000, 1, 120_000), Map.of());
        Driver d = stablePair(p);
        w.running.remove("web1");
        run(d, d.now + 10_900);
        long failedAt = health(d, "web1").lastFailureAt();
        n2TakesWhatN1Gave(d);
        // n2 dies: n1 takes over both groups, but not the one that failed here
        d.clear().apply(d.e.peerDead(d.now, "n2"));
        run(d, d.now + 5_000);
        assertThat(w.running).containsExactlyInAnyOrder("ip2", "db2");
        assertThat(d.logs()).anyMatch(l -> l.startsWith("WARN: Not starting group ip1 here: web1 failed here 1 times (clears in "));
        assertThat(d.e.groupStates()).containsEntry("ip1", GroupState.FAILED);
        run(d, failedAt + 120_000 + 2_000);
        assertThat(d.logs()).contains("info: Group ip1 may run here again (its fail count expired); starting it.");
        assertThat(w.running).containsExactlyInAnyOrder("ip1", "web1", "app1", "ip2", "db2");
        assertThat(d.e.groupStates()).containsEntry("ip1", GroupState.RUNNING);
    }

    /**
     * The lab fault campaign's finding (seed 1130, fault 16): the group failed here three times and
     * went to n2; n2 is stopped, so it comes back here and stays stopped (banned); when n2 is back,
     * nobody runs it unless this node offers it again. It does, once per return of the peer.
     */
    @Test
    void a_group_kept_stopped_here_is_offered_to_the_peer_when_it_is_back() {
        Driver d = web1DiesAndCannotStart();
        n2TakesWhatN1Gave(d);
        // n2 dies: n1 takes over both groups but keeps the one that failed here stopped
        d.clear().apply(d.e.peerDead(d.now, "n2"));
        run(d, d.now + 5_000);
        assertThat(d.e.groupStates()).containsEntry("ip1", GroupState.FAILED);
        assertThat(w.running).containsExactlyInAnyOrder("ip2", "db2");
        // n2 is back and holds nothing: n1 asks it to take the group that cannot run here
        d.clear().apply(d.e.peerRestarted(d.now, "n2"));
        d.apply(d.e.peerStatus(d.now, "n2", PeerStatus.ACTIVE));
        d.from("n2", Messages.starting());
        d.from("n2", Messages.resourceFull(ResourceSet.NONE, true, null));
        run(d, d.now + 1_000);
        assertThat(d.sent()).as("n2 settles its join first, and hears that n1 is stable").doesNotContain("t=ask_resources rsc_hold=local info=me")
                .last().isEqualTo("t=resource rsc_hold=all rtype=full isstable=1");
        run(d, d.now + MonitorDecisions.OFFER_PAUSE_MS);
        assertThat(d.logs()).anyMatch(l -> l.startsWith("WARN: Group ip1 leaves this node: web1 failed here 3 times and n2 is back. "
                + "Asking n2 to take [local]."));
        assertThat(d.sent()).containsOnlyOnce("t=ask_resources rsc_hold=local info=me");
        // n2 does not answer (it may still be settling, or refuse): the offer goes twice more after the
        // unanswered one's end (10 s), then no more while n2 stays
        d.clear();
        run(d, d.now + 120_000);
        assertThat(d.sent()).filteredOn("t=ask_resources rsc_hold=local info=me"::equals).hasSize(MonitorDecisions.OFFERS_PER_LIFE - 1);
        assertThat(d.logs()).filteredOn(l -> l.startsWith("CRIT: Group ip1 stays stopped on this node: the other node did not take it."))
                .as("every unanswered offer, the first included").hasSize(MonitorDecisions.OFFERS_PER_LIFE);
        d.clear();
        run(d, d.now + 120_000);
        assertThat(d.sent()).doesNotContain("t=ask_resources rsc_hold=local info=me");
        assertThat(w.running).containsExactlyInAnyOrder("ip2", "db2");
        // n2's next life is asked again, and this time it takes the group
        d.clear().apply(d.e.peerRestarted(d.now, "n2"));
        d.from("n2", Messages.starting());
        d.from("n2", Messages.resourceFull(ResourceSet.NONE, true, null));
        run(d, d.now + MonitorDecisions.OFFER_PAUSE_MS + 1_000);
        assertThat(d.sent()).containsOnlyOnce("t=ask_resources rsc_hold=local info=me");
        d.clear().from("n2", Messages.askResources(ResourceSet.LOCAL, "other"));
        run(d, d.now + 1_000);
        d.from("n2", Messages.askResources(ResourceSet.LOCAL, "done"));
        d.from("n2", Messages.resourceFull(ResourceSet.FOREIGN, true, null));
        run(d, d.now + 60_000);
        assertThat(d.e.rscStatus()).as("%s", d.logs()).isEqualTo("foreign");
        assertThat(d.e.groupStates()).containsEntry("ip1", GroupState.STOPPED);
        assertThat(d.sent()).doesNotContain("t=ask_resources rsc_hold=local info=me");
        assertThat(w.running).containsExactlyInAnyOrder("ip2", "db2");
    }

    @Test
    void alone_a_group_that_keeps_failing_is_stopped_and_retried_a_bounded_number_of_times() {
        MonitorPolicy p = new MonitorPolicy(true, new MonitorSpec(5_000, 20_000, 3, 60_000), Map.of());
        Driver d = driver(p);
        d.apply(d.e.peerDead(0, "n2"));
        d.apply(d.e.commUp(0));
        run(d, 2_000);
        assertThat(w.running).containsExactlyInAnyOrder("ip1", "web1", "app1", "ip2", "db2");
        d.clear();
        // db2 dies right after every start, for an hour
        long end = d.now + 3_600_000;
        int starts = 0;
        while (d.now < end) {
            w.running.remove("db2");
            int before = d.ops.size();
            run(d, d.now + 1_000);
            starts += (int) d.ops.subList(before, d.ops.size()).stream()
                    .filter(o -> o.resource().equals("db2") && o.action() == ResourceOp.Action.START).count();
        }
        assertThat(d.logs()).anyMatch(l -> l.startsWith("CRIT: Group ip2 stays stopped on this node: db2 failed 3 times within 60 s; "
                + "no other node is active. It is tried again in "));
        // at most threshold - 1 restarts plus one retry per expired window: 2 + 1 per 60 s
        assertThat(starts).as("starts of db2 in an hour").isBetween(60, 3 * 60 + 3);
        assertThat(w.running).as("the other group is not touched").contains("ip1", "web1", "app1");
    }

    @Test
    void per_resource_settings_apply_by_exact_text_then_script_name() {
        MonitorSpec web = new MonitorSpec(2_000, 1_000, 5, 30_000), off = new MonitorSpec(0, 1_000, 1, 1_000);
        MonitorPolicy p = new MonitorPolicy(true, MonitorSpec.DEFAULT, Map.of("web1", web, "IPaddr", off));
        assertThat(p.spec("web1")).isEqualTo(web);
        assertThat(p.spec("IPaddr::192.0.2.1/24/eth0").monitored()).isFalse();
        assertThat(p.spec("apache2")).isEqualTo(MonitorSpec.DEFAULT);
        assertThat(MonitorPolicy.OFF.spec("apache2").monitored()).isFalse();
    }

    private static ResourceHealth health(Driver d, String resource) {
        return d.e.health(d.now).stream().filter(h -> h.resource().equals(resource)).findFirst().orElseThrow();
    }
}
