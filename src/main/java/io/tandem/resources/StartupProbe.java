package io.tandem.resources;

import io.tandem.config.Severity;
import static io.tandem.resources.Effects.HB;

import io.tandem.resources.OwnershipState.RscState;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The start-up probe (Tandem; heartbeat v1 has none): before a starting node says anything about
 * what it holds, it asks the status of every resource of every group, one script at a time, so that
 * what an earlier life of the daemon left running (a {@code kill -9}, a crash) is known. Communications
 * may come up meanwhile (initdead is usually longer than the probe): the node joins the negotiation
 * ({@code starting}) only once the probe is done, and the peer's messages wait until then.
 *
 * <p>Once the negotiation has settled what this node holds, each group found running is either kept
 * (this node holds it: no restart; a group found only partly running gets its missing parts started)
 * or stopped, right to left (the peer holds it or should hold it). A status call that failed or timed
 * out is "unknown" and counts as running: stopping a resource that does not run is harmless, running
 * it twice is not. A shutdown during the probe stops every group anyway.
 *
 * <p>After the daemon was frozen ({@link #resumed}) the node repeats its {@code resource} report, so
 * the peer's audit sees the claim again, and asks the status of the groups it runs: what it believed
 * before the freeze may no longer be true.
 */
final class StartupProbe {
    private enum Phase { IDLE, PROBING, DONE }

    /** What the probe found of one group: resources running, and resources whose status is unknown. */
    private record Finding(List<String> running, List<String> unknown, int size) {
        boolean complete() {
            return unknown.isEmpty() && running.size() == size;
        }

        String text() {
            StringBuilder b = new StringBuilder(String.join(" ", running));
            if (!unknown.isEmpty()) {
                b.append(b.length() == 0 ? "" : " ").append("(status unknown: ").append(String.join(" ", unknown)).append(')');
            }
            return b.toString();
        }
    }

    private final OwnershipState state;
    private final Effects out;
    private final Jobs jobs;
    private final Giveup giveup;
    private final Holdings holdings;
    private Phase phase = Phase.IDLE;
    private final Map<String, Finding> found = new LinkedHashMap<>();
    /** Groups found running that the negotiation has not yet settled. */
    private final List<GroupSpec> unsettled = new ArrayList<>();
    private Runnable commUpWaiting;
    private long claimAt = -1;

    StartupProbe(OwnershipState state, Effects out, Jobs jobs, Holdings holdings, Giveup giveup) {
        this.state = state;
        this.holdings = holdings;
        this.out = out;
        this.jobs = jobs;
        this.giveup = giveup;
    }

    /** The node starts: queue the status of every resource, ahead of everything else. */
    void begin() {
        if (phase != Phase.IDLE) {
            return;
        }
        if (state.cfg.groups().isEmpty()) {
            phase = Phase.DONE;
            return;
        }
        phase = Phase.PROBING;
        out.log(Severity.INFO, HB, "Probing the status of every resource before joining the cluster.");
        Jobs.Job job = new Jobs.Job("startup-probe").early();
        for (GroupSpec g : state.cfg.groups()) {
            found.put(g.key(), new Finding(new ArrayList<>(), new ArrayList<>(), g.resources().size()));
            for (String r : g.resources()) {
                job.quietStatus(g, r, result -> record(g, r, result)); // the addresses it may start: AddressPreProbe#atStart
            }
        }
        job.onEnd(this::finished);
        jobs.add(job);
    }

    /** Whether the probe is still running. */
    boolean probing() {
        return phase == Phase.PROBING;
    }

    /**
     * Communications came up: true when the node must wait for the probe; {@code joinNow} runs when it ends.
     */
    boolean deferCommUp(Runnable joinNow) {
        if (phase != Phase.PROBING) {
            return false;
        }
        commUpWaiting = joinNow;
        out.log(Severity.INFO, HB, "Communications up: joining the resource negotiation once the start-up probe is done.");
        return true;
    }

    private void record(GroupSpec g, String resource, OpResult result) {
        Finding f = found.get(g.key());
        if (result == OpResult.RUNNING) {
            f.running().add(resource);
        } else if (result != OpResult.NOT_RUNNING) {
            f.unknown().add(resource);
            out.log(Severity.WARN, HB, "Start-up probe: status of " + resource + " unknown (" + result
                    + "); counted as running.");
        }
    }

    private void finished() {
        phase = Phase.DONE;
        for (GroupSpec g : state.cfg.groups()) {
            Finding f = found.get(g.key());
            if (f.running().isEmpty() && f.unknown().isEmpty()) {
                continue;
            }
            unsettled.add(g);
            state.groups.put(g.key(), GroupState.FOUND_RUNNING);
            out.log(Severity.WARN, HB, "Resource group " + g.key() + " found running at start"
                    + (f.complete() ? "" : " (partly)") + ": " + f.text());
        }
        out.log(Severity.INFO, HB, "Start-up probe done: " + (unsettled.isEmpty() ? "no resource runs here."
                : unsettled.size() + " group(s) found running; kept if this node ends up holding them, stopped otherwise."));
        Runnable join = commUpWaiting;
        commUpWaiting = null;
        if (join != null) {
            join.run();
        }
    }

    /**
     * After every event: once the negotiation has settled what this node holds (stable, nothing queued,
     * no handshake or takeover running), keep or stop each group found running.
     */
    void settle() {
        if (phase != Phase.DONE || unsettled.isEmpty() || !state.commUp || state.finished) {
            return;
        }
        if (state.shutdownInProgress || state.shutdownStarted) {
            // the shutdown releases every group, found ones included; but a stop that fails aborts it
            // and skips the groups after the stuck one: those found here are decided once it is over
            return;
        }
        if (jobs.busy() || !state.handshake.idle() || state.takeoverInProgress) {
            return;
        }
        String peer = peerBack();
        if (state.nice && peer != null && state.rscState != RscState.STABLE) {
            return;
        }
        List<GroupSpec> groups = new ArrayList<>(unsettled);
        unsettled.clear();
        for (GroupSpec g : groups) {
            if (state.groups.get(g.key()) != GroupState.FOUND_RUNNING) {
                continue; // acquired or released by the protocol meanwhile: its state says what runs
            }
            if (!state.nice) {
                if (g.preferredBy(state.local) || peer == null) {
                    keep(g, peer);
                } else {
                    stop(g, peer);
                }
            } else if (state.held.intersects(state.setOf(g))) {
                keep(g, peer);
            } else if (peer != null && peerClaims(g)) {
                stop(g, peer);
            } else if (peer == null || state.peerStable || claimAt >= 0 && state.now >= claimAt) {
                claim(g, peer);
                keep(g, peer);
            } else {
                // the peer, not yet stable, may still claim it: ask again after its next report, and
                // claim it after RQSTDELAY if the peer never says it is stable
                unsettled.add(g);
                if (claimAt < 0) {
                    claimAt = state.now + state.cfg.timers().localTakeover();
                }
            }
        }
        if (unsettled.isEmpty()) {
            claimAt = -1;
        }
    }

    /** When a found group that no stable peer claims is claimed anyway, or -1 (none, or a shutdown under way). */
    long deadline() {
        return unsettled.isEmpty() || state.finished || state.shutdownInProgress || state.shutdownStarted ? -1 : claimAt;
    }

    /** Whether the peer's last report claims the group (its report names sets from its own side). */
    private boolean peerClaims(GroupSpec g) {
        ResourceSet peerSide = state.setOf(g) == ResourceSet.LOCAL ? ResourceSet.FOREIGN : ResourceSet.LOCAL;
        return state.peerHolds.intersects(peerSide);
    }

    /**
     * Nobody claims a group found running here (the peer, stable, holds none of that set: it saw this
     * node hold it before the restart): this node claims the set, says so, and starts the set's other
     * groups that do not run here, rather than stop a group that nobody would run.
     */
    private void claim(GroupSpec g, String peer) {
        ResourceSet set = state.setOf(g);
        out.log(Severity.INFO, HB, "Resource group " + g.key() + " found running at start and claimed by no node"
                + (peer == null ? "" : " (" + peer + " holds none of [" + set.wire() + "])") + ": this node takes [" + set.wire() + "].");
        state.held = state.held.plus(set);
        for (GroupSpec other : state.groupsOf(set)) {
            GroupState st = state.groups.get(other.key());
            if (st != GroupState.RUNNING && st != GroupState.STARTING && st != GroupState.FOUND_RUNNING) {
                jobs.add(new Jobs.Job("startup-probe-claim").group(other, true, o -> giveup.acquired(other, o)));
            }
        }
        holdings.sendHeld(holdings.reportStable(), null);
    }

    private void keep(GroupSpec g, String peer) {
        Finding f = found.get(g.key());
        if (state.groups.get(g.key()) != GroupState.FOUND_RUNNING) {
            return; // acquired (or released) by the negotiation meanwhile: its state says what runs
        }
        if (f.complete()) {
            out.log(Severity.INFO, HB, "Resource group " + g.key() + " found running at start: kept, this node holds it.");
            state.groups.put(g.key(), GroupState.RUNNING);
            state.monitor.started(g.key(), 0, state.now);
        } else if (!state.nice && peer != null) {
            // legacy with a peer: the peer may run the group (it took it over); the answer to our
            // ip-request (below, or req_our_resources' when the first resource does not run here)
            // starts the whole group once the peer has let go: starting the missing parts now would
            // run them on both nodes
            out.log(Severity.INFO, HB, "Resource group " + g.key() + " found partly running at start: kept, this node holds it;"
                    + " what does not run starts once " + peer + " has let go of it.");
        } else {
            out.log(Severity.INFO, HB, "Resource group " + g.key() + " found partly running at start: kept, this node holds it;"
                    + " starting what does not run.");
            jobs.add(new Jobs.Job("startup-probe-keep").group(g, true, o -> giveup.acquired(g, o)));
        }
        if (!state.nice && peer != null && g.preferredBy(state.local) && f.running().contains(g.key())) {
            // legacy: req_our_resources asks only for groups whose first resource does not run here;
            // this one does, so ask the peer to give up its copy (it answers, and we start nothing)
            out.send(Messages.ipRequest(g.key()));
        }
    }

    private void stop(GroupSpec g, String peer) {
        out.log(Severity.WARN, HB, "Resource group " + g.key() + " found running at start: stopping it, this node does not hold it"
                + (peer == null ? "." : " (" + peer + " does)."));
        jobs.add(new Jobs.Job("startup-probe-stop").group(g, false, o -> {
            if (o.ok()) {
                out.log(Severity.INFO, HB, "Resource group " + g.key() + " found running at start is stopped.");
            } else {
                out.log(Severity.CRIT, HB, "Resource group " + g.key() + " found running at start could not be stopped: "
                        + o.resource() + " still runs here.");
            }
        }));
    }

    /** The peer that is up and not leaving, if any. */
    private String peerBack() {
        for (String p : state.peers.keySet()) {
            if (state.isBack(p)) {
                return p;
            }
        }
        return null;
    }

    /**
     * The daemon was frozen for {@code frozenMs}: tell the peer again what this node holds and check
     * that the groups it runs still run.
     */
    void resumed(long frozenMs) {
        if (!state.commUp || state.finished || state.shutdownInProgress) {
            return;
        }
        holdings.sendHeld(holdings.reportStable(), null);
        Jobs.Job job = new Jobs.Job("resume-check");
        boolean any = false;
        for (GroupSpec g : state.cfg.groups()) {
            if (state.groups.get(g.key()) != GroupState.RUNNING) {
                continue;
            }
            any = true;
            Finding f = new Finding(new ArrayList<>(), new ArrayList<>(), g.resources().size());
            for (String r : g.resources()) {
                job.status(g, r, result -> {
                    if (result == OpResult.RUNNING) {
                        f.running().add(r);
                    } else if (result != OpResult.NOT_RUNNING) {
                        f.unknown().add(r);
                    }
                });
            }
            job.act(() -> {
                if (f.complete()) {
                    out.log(Severity.INFO, HB, "After the freeze: resource group " + g.key() + " still runs here.");
                } else {
                    List<String> missing = new ArrayList<>(g.resources());
                    missing.removeAll(f.running());
                    out.log(Severity.WARN, HB, "After the freeze: resource group " + g.key() + " does not run completely here: "
                            + String.join(" ", missing) + (f.unknown().isEmpty() ? " not running." : " not running or unknown."));
                }
            });
        }
        if (any) {
            jobs.add(job);
        }
    }
}
