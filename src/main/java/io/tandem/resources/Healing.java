package io.tandem.resources;

import io.tandem.config.Severity;
import static io.tandem.resources.Effects.HB;

import io.tandem.resources.OwnershipState.Peer;
import io.tandem.resources.OwnershipState.RscState;
import io.tandem.wire.Message;
import java.util.List;

/**
 * Healing after a partition or a freeze (docs/split-brain.md): when the peer is heard again after it
 * was declared dead, this node tells it what it holds (the {@code t=resource} report heartbeat sends
 * anyway); when both nodes claim the same groups, the node that is not their home node releases them
 * ({@link Precedence#toRelease}) and the keeper announces its addresses again once the peer no longer
 * claims them. Heartbeat 3.0.6 restarts both nodes instead (every group stops); nothing new goes on
 * the wire. Two nodes only, as the protocol (with more, the peers' reports overwrite each other).
 */
record Healing(OwnershipState state, Effects out, Jobs jobs, Holdings holdings, Giveup giveup, Takeover takeover) {
    private static final java.util.Set<GroupState> NOT_RUNNING = java.util.EnumSet.of(GroupState.STOPPED, GroupState.ADDRESS_IN_USE,
            GroupState.START_FAILED, GroupState.FAILED);

    /** A peer's status from membership; one declared dead and heard again in the same life gets our report. */
    void peerStatus(String node, PeerStatus status) {
        Peer p = state.peers.get(node);
        boolean wasDead = p != null && p.status == PeerStatus.DEAD;
        state.peerStatus(node, status);
        if (wasDead && status != PeerStatus.DEAD && state.guard.lostInLife.remove(node)) {
            peerReturned(node);
        }
    }

    /** A peer is about to be declared dead: if it was heard in this life, hearing it again means it never stopped. */
    void peerDying(String node) {
        Peer p = state.peers.get(node);
        if (p != null && p.status != PeerStatus.INIT && p.status != PeerStatus.DEAD && !p.leaving) {
            state.guard.lostInLife.add(node);
        }
    }

    /** A peer restarted: a new life, negotiated from its {@code starting}. */
    void peerRestarted(String node) {
        state.guard.lostInLife.remove(node); // a new life was never lost; what its old life held is Takeover.peerRestarted's
    }

    /** A peer declared dead is heard again in the same life (returning after a partition, or resumed after a freeze). */
    private void peerReturned(String node) {
        if (!state.nice || !state.commUp || state.shutdownInProgress || state.finished) {
            return;
        }
        out.log(Severity.INFO, HB, "Telling " + node + " what this node holds after losing it: [" + state.held.wire() + "].");
        holdings.sendHeld(holdings.reportStable(), null);
    }

    /**
     * Every message of the peer: its claim counts for healing only when its last word was a full,
     * stable {@code resource} report (during a standby handshake or its start-up the claim is in flux).
     */
    void peerMessage(Message m) {
        if (m.type().equals(Messages.RESOURCE)) {
            state.guard.peerClaimSettled = "full".equals(m.getOr(Messages.RTYPE, "")) && "1".equals(m.getOr(Messages.ISSTABLE, ""));
        } else if (m.type().equals(Messages.STARTING) || m.type().equals(Messages.ASK_RESOURCES) || m.type().equals(Messages.HB_TAKEOVER)
                || m.type().equals(Messages.SHUTDONE)) {
            state.guard.peerClaimSettled = false;
        }
    }

    /** After every event: a both-claim is settled by {@link Precedence}. */
    void afterEvent() {
        if (!state.nice || !state.commUp || state.finished || state.peers.size() != 1) {
            return;
        }
        retryReleased();
        adoptOrphans();
        if (!bothClaim()) {
            state.guard.conflictReported = false;
            if (state.guard.reannounce && quiet()) {
                state.guard.reannounce = false;
                announceHeld();
            }
            return;
        }
        ResourceSet release = Precedence.toRelease(state.held, state.peerHolds);
        if (state.held.minus(release).intersects(state.peerHolds)) {
            // this node keeps part of the double claim: once the peer withdraws, it announces those
            // addresses, even while it releases another part (the peer claimed "all" after a takeover,
            // so this node gives up the peer's home groups and keeps its own; the lab's fault campaign
            // found the keeper silent there, and clients' caches pointed at the releasing node for 30 s)
            state.guard.reannounce = true;
        }
        if (release != ResourceSet.NONE && quiet() && state.guard.peerClaimSettled) {
            state.guard.conflictReported = true;
            release(release, "the peer claims them too"); // its end tells the peer
            return;
        }
        if (!state.guard.conflictReported && !state.shutdownInProgress) {
            state.guard.conflictReported = true;
            holdings.sendHeld(holdings.reportStable(), null); // the peer may not know our claim yet
        }
    }

    /**
     * A group waiting because another machine answered for its address is tried at once when the peer,
     * alive, stops claiming it: it has just released it (the gap clients see is its stop and our start).
     */
    private void retryReleased() {
        Peer p = state.peers.values().iterator().next();
        boolean alive = p.status != PeerStatus.DEAD && !p.leaving;
        for (GroupSpec g : state.cfg.groups()) {
            boolean claims = alive && state.peerHolds.intersects(state.setOf(g).mirror());
            boolean claimed = claims ? !state.guard.peerClaims.add(g.key()) : state.guard.peerClaims.remove(g.key());
            GuardState.AddressWait w = state.guard.waits.get(g.key());
            if (claimed && !claims && alive && w != null && w.retryAt() > state.now) {
                state.guard.waits.put(g.key(), new GuardState.AddressWait(w.resource(), w.mac(), state.now));
            }
        }
    }

    /**
     * The peer is dead and this node, quiet, claims less than everything: a takeover was skipped by a
     * shutdown that then could not finish (a resource would not stop), and nobody would ever run those
     * groups. {@link Takeover#adoptOrphans} takes them, as the peer's death would have: through the gates
     * of every takeover of a dead node (its fence, the ping-node tiebreak).
     */
    private void adoptOrphans() {
        String peer = state.peers.keySet().iterator().next();
        Peer p = state.peers.get(peer);
        if (p.status != PeerStatus.DEAD || state.held == ResourceSet.ALL || state.rscState != RscState.STABLE || !state.handshake.idle()
                || state.takeoverInProgress || state.shutdownInProgress || state.shutdownWaiting || jobs.busy()) {
            return;
        }
        takeover.adoptOrphans(peer);
    }

    /** Whether both nodes claim the same groups (heartbeat's two audit cases). */
    private boolean bothClaim() {
        return state.held.intersects(ResourceSet.LOCAL) && state.peerHolds.intersects(ResourceSet.FOREIGN)
                || state.peerHolds.intersects(ResourceSet.LOCAL) && state.held.intersects(ResourceSet.FOREIGN);
    }

    /** Nothing in flight: negotiation done, no handshake, takeover, shutdown or job, and the peer there. */
    private boolean quiet() {
        Peer p = state.peers.values().iterator().next();
        return state.rscState == RscState.STABLE && state.handshake.idle() && !state.takeoverInProgress && !state.shutdownInProgress
                && !state.shutdownWaiting && !jobs.busy() && p.status != PeerStatus.DEAD && !p.leaving;
    }

    /**
     * Releases the groups of {@code set} here (their home node keeps them) and says so with a
     * {@code resource} report; a stop that fails keeps them, as any release.
     */
    void release(ResourceSet set, String reason) {
        if (!state.held.intersects(set) || state.shutdownInProgress || state.guard.releasing) {
            return;
        }
        ResourceSet heldBefore = state.held;
        out.log(Severity.CRIT, HB, "Releasing [" + set.wire() + "] on this node: " + reason + "; their home node keeps them,"
                + " giving up the address first.");
        // the claim goes at once (as in a standby): a takeover queued meanwhile claims the set again and runs after this
        state.held = state.held.minus(set);
        Jobs.Job job = new Jobs.Job("split-brain-release");
        // a group that does not run here (never started, its address in use, failed) has nothing to stop
        List<GroupSpec> groups = state.groupsOf(set).stream().filter(g -> !NOT_RUNNING.contains(state.groups.get(g.key()))).toList();
        state.guard.releasing = true;
        giveup.releaseAll(job, groups, heldBefore, () -> {
            state.guard.releasing = false;
            state.held = state.held.plus(heldBefore);
            holdings.sendHeld(holdings.reportStable(), null);
        }, () -> addressesReleased(set));
        job.act(() -> {
            state.guard.releasing = false;
            for (GroupSpec g : state.groupsOf(set)) {
                if (state.guard.waits.remove(g.key()) != null && !state.held.intersects(set)) {
                    state.groups.put(g.key(), GroupState.STOPPED);
                }
            }
            out.log(Severity.INFO, HB, "Released [" + set.wire() + "]: this node holds [" + state.held.wire() + "].");
            holdings.sendHeld(holdings.reportStable(), null);
        });
        jobs.add(job);
    }

    /**
     * A released group's addresses are down here (the rest of it is still stopping): say at once that
     * this node no longer claims the set (not stable yet), so that the keeper announces its addresses
     * now rather than after the slower stops, and clients' caches leave this node.
     */
    private void addressesReleased(ResourceSet set) {
        if (state.held.intersects(set)) {
            return; // claimed again meanwhile (a takeover queued): nothing to tell
        }
        out.log(Severity.INFO, HB, "The addresses of [" + set.wire() + "] are released here; stopping the rest.");
        holdings.sendHeld(false, null);
    }

    /** Gratuitous ARP for every address this node runs, so clients' caches point here again. */
    private void announceHeld() {
        for (GroupSpec g : state.cfg.groups()) {
            if (state.groups.get(g.key()) != GroupState.RUNNING) {
                continue;
            }
            for (String r : g.resources()) {
                if (AddressGuard.isAddress(r)) {
                    out.log(Severity.INFO, HB, "Announcing " + r + " again: the peer no longer claims group " + g.key() + ".");
                    out.add(new Effect.Announce(r));
                }
            }
        }
    }
}
