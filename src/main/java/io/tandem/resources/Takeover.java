package io.tandem.resources;

import io.tandem.config.Severity;
import static io.tandem.resources.Effects.HB;

import io.tandem.resources.OwnershipState.Peer;
import io.tandem.resources.OwnershipState.RscState;
import io.tandem.wire.Message;
import java.util.List;
import java.util.Optional;

/**
 * How groups come to this node: our own ({@code req_our_resources}, legacy {@code ip-request-resp}),
 * a dead or leaving node's (STONITH decision and {@code mach_down}, docs/protocol.md 7.6 and 9), and a
 * peer's {@code hb_takeover} request.
 */
record Takeover(OwnershipState state, Effects out, Jobs jobs, Holdings holdings, Giveup giveup, Standby standby, Fencing fencing) {
    // ------------------------------------------------------------------ our own groups

    /**
     * heartbeat's {@code req_our_resources}: claim our own groups and take those not running (nice_failback
     * and a lone node through a self-addressed {@code ip-request-resp}, legacy with a peer by asking it
     * with {@code ip-request}). Unless {@code getThemAnyway}, nothing happens when they are claimed already.
     */
    void reqOurResources(boolean getThemAnyway) {
        if (state.shutdownInProgress || fencing.holdsBackOwn()) {
            return;
        }
        if (state.nice) {
            if ((state.peerHolds.intersects(ResourceSet.FOREIGN) || state.held.intersects(ResourceSet.LOCAL)) && !getThemAnyway) {
                if (state.handshake.idle()) {
                    out.log(Severity.INFO, HB, "Local Resource acquisition completed. (none)");
                    return;
                }
            }
            state.held = state.held.plus(ResourceSet.LOCAL);
        }
        boolean alone = state.peers.values().stream().noneMatch(p -> p.status == PeerStatus.ACTIVE && !p.leaving);
        Jobs.Job job = new Jobs.Job("req_our_resources");
        List<GroupSpec> ours = state.groupsOf(ResourceSet.LOCAL);
        for (GroupSpec g : ours) {
            job.probe(g, running -> {
                if (running) {
                    return;
                }
                if (state.nice || alone) {
                    out.send(Messages.ipRequestResp(state.local, g.key(), true, "OK"));
                } else {
                    out.send(Messages.ipRequest(g.key()));
                }
            });
        }
        job.act(() -> {
            if (ours.isEmpty()) {
                out.log(Severity.INFO, HB, "No local resources [/usr/share/heartbeat/ResourceManager listkeys " + state.local + "] to acquire.");
            } else {
                out.log(Severity.INFO, HB, "Local Resource acquisition completed.");
            }
            holdings.sendHeld(state.handshake.idle(), "req_our_resources()");
        });
        if (alone) {
            job.onEnd(() -> {
                state.localWorkDone = true;
                holdings.announce("req_our_resources");
            });
        }
        jobs.add(job);
    }

    /** An {@code ip-request-resp} addressed to us: start the group if the answer is OK and we still claim it. */
    Jobs.Job ipRequestRespJob(Message m) {
        String key = m.getOr(Messages.IPADDR, "");
        return new Jobs.Job("ip-request-resp").act(() -> {
            if (!m.getOr(Message.DEST, "").equalsIgnoreCase(state.local) || key.isEmpty()) {
                return;
            }
            out.log(Severity.INFO, "ip-request-resp", "received ip-request-resp " + key + " " + m.getOr(Messages.OK, "") + " " + m.getOr(Messages.WEOWN, ""));
            Optional<GroupSpec> g = state.group(key);
            if (m.getOr(Messages.OK, "").equals("OK") && g.isPresent() && stillOurs(g.get())) {
                jobs.current().tasks.addFirst(new Jobs.Task.Group(g.get(), true, o -> giveup.acquired(g.get(), o)));
            }
        }).onEnd(() -> {
            state.localWorkDone = true;
            holdings.announce("ip-request-resp");
        });
    }

    /** rc.d/hb_takeover on the peer: run hb_standby with the mirrored set. */
    Jobs.Job hbTakeoverJob(String which) {
        ResourceSet set;
        switch (which) {
            case "local":
            case "failback":
                set = ResourceSet.FOREIGN;
                break;
            case "foreign":
                set = ResourceSet.LOCAL;
                break;
            default:
                set = ResourceSet.ALL;
                break;
        }
        return new Jobs.Job("hb_takeover").act(() -> giveup.hbStandby(set));
    }

    // ------------------------------------------------------------------ a node that leaves or dies (7.5, 7.6, 9)

    /** The peer sent {@code shutdone}: take what we lack at once, then its groups (mach_down). */
    void peerShutdone(String from) {
        if (state.commUp && state.nice) {
            state.peerStable = true;
            state.peerHolds = ResourceSet.NONE;
            if (state.held != ResourceSet.ALL && !state.shutdownInProgress) {
                ResourceSet rtype = state.held == ResourceSet.FOREIGN ? ResourceSet.LOCAL
                        : state.held == ResourceSet.LOCAL ? ResourceSet.FOREIGN : ResourceSet.ALL;
                standby.acquireNow(rtype);
            }
            holdings.audit();
        }
        Peer p = state.peers.get(from);
        p.hasResources = false;
        p.leaving = true;
        state.peerStable = false;
        state.peerHolds = ResourceSet.NONE;
        out.log(Severity.INFO, HB, "Received shutdown notice from '" + from + "'.");
        takeoverFromNode(from, p);
    }

    /**
     * A peer restarted (a new generation) before it was declared dead. Its previous life has ended and
     * holds nothing: a graceful stop released everything (its {@code shutdone} may have been lost, or
     * overtaken by the new life's first status and then refused as a replay), and the new life starts
     * holding nothing and will report what it takes. Heartbeat only resets flags and keeps believing the
     * old life's last report (a group that life had claimed then runs nowhere); Tandem forgets those
     * claims, cancels a handshake the old life can no longer finish, and, once the new life's first full
     * report shows it, takes back our own groups nobody holds ({@link Negotiation}), as when a peer
     * comes up. The new life takes its own groups in its start-up negotiation.
     */
    void peerRestarted(String node) {
        state.peerRestarted(node);
        if (!state.nice || !state.commUp || state.shutdownInProgress || state.peerHolds == ResourceSet.NONE) {
            return;
        }
        out.log(Severity.INFO, HB, "The previous life of " + node + " held " + state.peerHolds.wire()
                + "; it restarted, so it holds nothing now.");
        standby.cancelOnPeerDeath();
        state.peerHolds = ResourceSet.NONE;
        state.peerStable = false;
        state.reclaimAfterPeerRestart = true;
        holdings.audit();
    }

    /** A peer was declared dead (deadtime, or initdead before comm-up). */
    void peerDead(String node) {
        Peer p = state.peers.get(node);
        if (p == null || p.status == PeerStatus.DEAD) {
            return;
        }
        boolean shutDown = p.leaving;
        p.status = PeerStatus.DEAD;
        p.life++;
        p.leaving = false;
        fencing.died(node, shutDown);
        if (!shutDown && !state.shutdownInProgress && tiebreakHoldsBack(node)) {
            // the ping-node tiebreak: a node that reaches no ping node may be the one cut off (it neither
            // fences nor takes over); a peer that announced its shutdown left, it was not cut off. (At a
            // death only the tiebreak can hold it back: no fence of the node runs yet; one begins below.)
            standby.cancelOnPeerDeath();
            state.ping.heldBack.add(node);
            out.log(Severity.CRIT, HB, "No ping node reachable: not taking over resources of " + node + ".");
            out.log(Severity.WARN, HB, "Resources of " + node + " will be taken over when a ping node answers and "
                    + node + " is still dead.");
            return;
        }
        recoverDeadResources(node, p, shutDown);
        p.anyPacketsYet = false;
    }

    /**
     * The gates of a dead node's takeover, in one place: whether {@code node}'s groups must not be taken
     * now. The ping-node tiebreak holds them back while this node reaches no ping node (it may be the one
     * cut off), or since the node's death until a ping node answers ({@link #resumeHeldBack}); fencing
     * while the node is being fenced (a fence in progress or failed means it may still run them;
     * {@link #recoverDeadResources} begins it, {@link #fenced} goes on), and, with a device, until the
     * node has been fenced since its death (a shutdown of this node skipped or cancelled its fence:
     * {@link #adoptOrphans} begins it). Its groups that nobody took ({@link #adoptOrphans}) ask this, its
     * death ({@link #peerDead}) the tiebreak's part (no fence can have run yet): a new gate belongs here.
     */
    private boolean heldBack(String node) {
        return tiebreakHoldsBack(node) || fencing.pending(node) || fencing.unfencedSinceDeath(node);
    }

    /**
     * Whether a death of {@code node} now would have its groups taken at once ({@link AddressPreProbe} probes their
     * addresses before it): this node not leaving, no gate holding the takeover back, no fence before it.
     */
    boolean takesAtOnce(String node) {
        return !state.shutdownInProgress && !tiebreakHoldsBack(node) && !fencing.configured();
    }

    /** The ping-node tiebreak's part of {@link #heldBack}: the only gate at a death (its fence begins after it). */
    private boolean tiebreakHoldsBack(String node) {
        return state.ping.heldBack.contains(node) || state.ping.blocksTakeover(state.now);
    }

    /**
     * The dead {@code node}'s groups that nobody holds ({@link Healing} finds them: a takeover skipped by a
     * shutdown that then could not finish): taken as its death would have, once no gate holds it back.
     * If only its fence is missing (the shutdown came before the fence began, or cancelled it), the fence
     * begins now and {@link #fenced} takes the groups.
     */
    void adoptOrphans(String node) {
        ResourceSet missing = ResourceSet.ALL.minus(state.held);
        if (heldBack(node)) {
            if (!tiebreakHoldsBack(node) && !fencing.pending(node)) {
                out.log(Severity.WARN, HB, "The other node is dead and nobody holds [" + missing.wire() + "]: " + node
                        + " was not fenced since it died, fencing it first.");
                fencing.begin(node);
            }
            return;
        }
        out.log(Severity.WARN, HB, "The other node is dead and nobody holds [" + missing.wire() + "]: taking them.");
        state.held = ResourceSet.ALL;
        Jobs.Job job = new Jobs.Job("adopt");
        for (GroupSpec g : state.groupsOf(missing)) {
            job.group(g, true, o -> giveup.acquired(g, o));
        }
        job.act(() -> holdings.sendHeld(holdings.reportStable(), null));
        jobs.add(job);
    }

    /** A ping node answers again (or the tiebreak was turned off): take over what the gate held back, from peers still dead. */
    void resumeHeldBack() {
        if (state.ping.heldBack.isEmpty() || state.ping.blocksTakeover(state.now)) {
            return;
        }
        for (String node : List.copyOf(state.ping.heldBack)) {
            state.ping.heldBack.remove(node);
            Peer p = state.peers.get(node);
            if (p != null && p.status == PeerStatus.DEAD && !state.shutdownInProgress) {
                out.log(Severity.INFO, HB, (state.ping.active() ? "A ping node is reachable again" : "The ping-node tiebreak is off")
                        + " and " + node + " is still dead: taking over its resources.");
                recoverDeadResources(node, p, false);
                p.anyPacketsYet = false;
            }
        }
    }

    /** heartbeat's {@code hb_rsc_recover_dead_resources}: fence the node if needed, then take its groups. */
    private void recoverDeadResources(String node, Peer p, boolean shutDown) {
        standby.cancelOnPeerDeath();
        if (state.shutdownInProgress) {
            if (state.rscState != RscState.SHUTDOWN && state.rscState != RscState.STABLE) {
                giveup.giveupResources();
            }
            return;
        }
        state.failbackNeeded = true;
        boolean needStonith = true;
        if (p.anyPacketsYet) {
            if (state.nice) {
                needStonith = state.peerHolds != ResourceSet.NONE;
            } else {
                needStonith = p.hasResources;
            }
        }
        if (fencing.configured() && !shutDown) {
            // With a device, what the peer last claimed is not trusted: after a partition or a freeze it
            // may be stale. Only a peer that announced its shutdown (shutdone) is not fenced.
            needStonith = true;
        }
        if (needStonith && fencing.configured()) {
            // heartbeat's Initiate_Reset: the takeover waits for the fence (fenced() below)
            fencing.begin(node);
        } else if (needStonith) {
            out.send(Messages.stonith(node, "n_stnth"));
            out.log(Severity.WARN, HB, "No STONITH device configured.");
            out.log(Severity.WARN, HB, "Shared disks are not protected.");
            takeoverFromNode(node, p);
        } else {
            out.log(Severity.INFO, HB, "Dead node " + node + " gave up resources.");
            out.send(Messages.stonith(node, "unneeded"));
            if (state.nice) {
                if (state.held == ResourceSet.ALL) {
                    state.peerStable = true;
                    return;
                }
                if (!state.held.intersects(ResourceSet.LOCAL)) {
                    reqOurResources(true);
                }
                if (!state.held.intersects(ResourceSet.FOREIGN)) {
                    takeoverFromNode(node, p);
                }
            } else {
                takeoverFromNode(node, p);
            }
        }
    }

    /**
     * The dead node was fenced (or {@code stonith_failure_takeover} says to go on without): heartbeat's
     * {@code StonithProcessDied} calling {@code takeover_from_node}. Nothing happens if the node is no
     * longer dead (it was heard again) or this node is shutting down.
     */
    void fenced(String node) {
        Peer p = state.peers.get(node);
        if (p == null || p.status != PeerStatus.DEAD) {
            return;
        }
        takeoverFromNode(node, p);
    }

    /**
     * Fencing {@code node} stopped because it was heard again: nothing of it was taken, and it may hold
     * our groups. If we had not finished starting (we said {@code starting} while it could not hear us),
     * or our own groups waited for the fence, negotiate again: say {@code starting} once more, so that
     * its {@code resource} report tells what it holds before we take ours (legacy mode asks it with
     * {@code ip-request}, as always with a live peer). A peer that restarted meanwhile negotiates too:
     * its start-up probe may have found our groups still running from its former life and kept them
     * (it declared us dead at its comm-up), so taking our own at once would start what it runs; its
     * {@code resource} report answering our {@code starting} says what it holds.
     */
    void fencingStopped(String node, boolean ownDeferred, boolean restarted) {
        if (state.shutdownInProgress || !state.commUp) {
            return;
        }
        if (!state.nice) {
            if (ownDeferred) {
                reqOurResources(false);
            }
            return;
        }
        if (ownDeferred || restarted || state.rscState != RscState.STABLE) {
            out.log(Severity.INFO, HB, "Negotiating resources with " + node + " again: it could not hear us while it was being fenced.");
            state.rscState = RscState.STARTING;
            state.localTakeoverAt = 0;
            out.send(Messages.starting());
        }
    }

    /** Claim the node's groups and queue their takeover (mach_down), then our own. */
    private void takeoverFromNode(String node, Peer p) {
        if (state.shutdownInProgress) {
            out.log(Severity.INFO, HB, "Resource takeover cancelled - shutdown in progress.");
            return;
        }
        out.log(Severity.INFO, HB, "Resources being acquired from " + node + ".");
        jobs.add(machDownJob(node));
        if (state.nice) {
            state.held = state.held.plus(ResourceSet.FOREIGN);
            state.peerHolds = ResourceSet.NONE;
            state.peerStable = true;
            state.takeoverInProgress = true;
        }
        reqOurResources(true);
        p.anyPacketsYet = true;
    }

    /** harc status → mach_down: take every group of the dead node. */
    private Jobs.Job machDownJob(String node) {
        Jobs.Job job = new Jobs.Job("status");
        for (GroupSpec g : state.cfg.groups()) {
            if (g.preferredBy(node)) {
                job.act(() -> {
                    if (!state.nice && state.isBack(node)) {
                        // legacy: the node restarted before this queued takeover ran; it asks for its
                        // groups with ip-request, so taking them now would run them twice
                        out.log(Severity.INFO, "mach_down", "Not taking over resource group " + g.key() + ": " + node + " is back.");
                    } else if (stillOurs(g)) {
                        out.log(Severity.INFO, "mach_down", "Taking over resource group " + g.key());
                        jobs.current().tasks.addFirst(new Jobs.Task.Group(g, true, o -> giveup.acquired(g, o)));
                    }
                });
            }
        }
        job.act(() -> {
            if (state.nice) {
                out.log(Severity.INFO, "mach_down", "/usr/share/heartbeat/mach_down: nice_failback: foreign resources acquired");
                out.send(Messages.resourceMachDown());
            }
            out.log(Severity.INFO, "mach_down", "mach_down takeover complete for node " + node + ".");
        });
        job.onEnd(() -> {
            if (!state.nice && state.peers.values().stream().anyMatch(x -> x.status == PeerStatus.DEAD)) {
                state.foreignWorkDone = true;
                holdings.announce("status");
            }
        });
        return job;
    }

    /**
     * Whether this node still claims the group's set. Acquisitions queued earlier (mach_down, the
     * self-addressed ip-request-resp of req_our_resources) wait behind other jobs; if a standby
     * handshake gave the set away meanwhile, starting the group would run it on both nodes
     * (heartbeat has this race). Legacy mode has no claims.
     */
    private boolean stillOurs(GroupSpec g) {
        if (!state.nice || state.held.intersects(state.setOf(g))) {
            return true;
        }
        out.log(Severity.INFO, HB, "Not acquiring resource group " + g.key() + ": this node no longer holds it.");
        return false;
    }
}
