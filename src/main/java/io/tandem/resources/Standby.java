package io.tandem.resources;

import io.tandem.config.Severity;
import static io.tandem.resources.Effects.HB;

import io.tandem.resources.OwnershipState.Handshake;
import io.tandem.resources.OwnershipState.Handshake.Phase;
import io.tandem.resources.OwnershipState.RscState;
import io.tandem.wire.Message;
import java.util.List;
import java.util.Optional;

/**
 * The standby / takeover handshake (docs/protocol.md 7.4, heartbeat's {@code going_standby}): A sheds a
 * set S with {@code ask_resources info=me}, B answers {@code other}, A releases S and says
 * {@code done}, B acquires the mirror of S and says {@code done}, both report stable holdings.
 * Also the immediate acquisition after a peer's {@code shutdone} and the auto-failback request.
 */
record Standby(OwnershipState state, Effects out, Jobs jobs, Holdings holdings, Giveup giveup, MonitorDecisions monitoring,
        MakeBeforeBreak mbb) {
    /** Tandem's marker on the {@code resource} report of a requester that could not release S. */
    static final String ABORTED = "standby-aborted";

    /** The handshake timed out (no {@code other}, or no {@code done}): cancel it. */
    void checkTimeout() {
        if (state.handshake.deadline != 0 && state.now >= state.handshake.deadline) {
            // a giver whose release is done ends the handshake as the taker's done would: it reports stable
            boolean released = state.handshake.phase == Phase.DONE && state.handshake.gave;
            state.handshake.deadline = 0;
            state.peerStable = true;
            state.handshake.phase = Phase.NOT;
            state.handshake.epoch++;
            out.log(Severity.WARN, HB, "No reply to standby request.  Standby request cancelled.");
            if (released) {
                holdings.sendHeld(true, null);
            }
        }
    }

    /** The peer died: a handshake in progress is cancelled (takeover follows). */
    void cancelOnPeerDeath() {
        if (state.handshake.phase != Phase.NOT) {
            out.log(Severity.INFO, HB, "Cancelling pending standby operation");
            state.handshake.cancelledOnDeath = state.handshake.phase == Phase.OTHER ? state.handshake.set : null;
            state.handshake.phase = Phase.NOT;
            state.handshake.epoch++;
            state.handshake.deadline = 0;
            if (!state.peerStable && state.held == ResourceSet.ALL) {
                state.peerStable = true;
            }
        }
    }

    /** Auto-failback: ask the peer to take back its groups we hold. */
    void failback() {
        state.handshake.set = ResourceSet.FOREIGN;
        out.send(Messages.askResources(ResourceSet.FOREIGN, "me"));
    }

    /** The peer sent {@code shutdone}: acquire what we lack at once, no state.handshake. */
    void acquireNow(ResourceSet set) {
        state.handshake.phase = Phase.DONE;
        state.handshake.epoch++;
        goStandby(false, set);
    }

    /** A Tandem requester that could not release its set cancels our wait for its {@code done}. */
    void onPeerResource(Message m) {
        if (state.handshake.phase == Phase.OTHER && ABORTED.equals(m.getOr(Message.INFO, ""))) {
            out.log(Severity.WARN, HB, "Standby request cancelled: " + m.getOr(Message.SRC, "the other node")
                    + " could not release its resources.");
            state.handshake.phase = Phase.NOT;
            state.handshake.epoch++;
            state.handshake.deadline = 0;
        } else if (state.handshake.phase == Phase.OTHER && abandoned(m)) {
            // the requester cancelled (it declared us dead: a lossy link) and keeps the set: its done never
            // comes, and waiting the hour of the handshake left both nodes "in flux", a graceful stop
            // included (WarmSimulationTest, a lossy link 400 ms into a hand-over)
            out.log(Severity.WARN, HB, "Standby request cancelled: " + m.getOr(Message.SRC, "the other node")
                    + " reports holding [" + m.getOr(Messages.RSC_HOLD, "") + "], stable, after its request for ["
                    + state.handshake.set.wire() + "].");
            state.handshake.phase = Phase.NOT;
            state.handshake.epoch++;
            state.handshake.deadline = 0;
        } else if (state.handshake.phase == Phase.DONE && tookWithoutDone(m)
                && state.handshake.deadline > state.now + state.cfg.timers().standbyReply()) {
            // we released the set and said done; the taker may have declared us dead meanwhile (a cut or lossy
            // link), cancelled the handshake and finished the acquisition as its own: then its done never comes,
            // and waiting the hour of the handshake left both nodes "in flux", a graceful stop of either included
            // (MayRunTwiceSimulationTest, a cut link 6.4 s into a make-before-break hand-over). Its done may
            // also only be late (the link reorders): wait for it as long as for an other, then end the handshake
            // (checkTimeout). Ended at once, a late done was taken by the next handshake's ME as a reason to wait
            // the hour (heartbeat's ME extends its deadline for any message of the peer).
            out.log(Severity.INFO, HB, m.getOr(Message.SRC, "the other node") + " reports holding [" + m.getOr(Messages.RSC_HOLD, "")
                    + "], stable: waiting " + Monitor.seconds(state.cfg.timers().standbyReply()) + " more for its done.");
            state.handshake.deadline = state.now + state.cfg.timers().standbyReply();
        }
    }

    /**
     * Whether the taker's report {@code m} says it is stable and holds all we released for this handshake
     * (we are its giver in {@code DONE}: our release is done). Reports come in order
     * ({@link Inbox}), and the taker claims the set stably only once it runs it.
     */
    private boolean tookWithoutDone(Message m) {
        if (!"full".equals(m.getOr(Messages.RTYPE, "")) || !"1".equals(m.getOr(Messages.ISSTABLE, ""))
                || !state.handshake.gave) {
            return false;
        }
        java.util.Optional<ResourceSet> held = ResourceSet.parse(m.getOr(Messages.RSC_HOLD, ""));
        int wanted = state.handshake.set.mirror().bits();
        return held.isPresent() && wanted != 0 && (held.get().bits() & wanted) == wanted;
    }

    /**
     * Whether the requester's report {@code m}, newer than its {@code me}, says it is stable and still holds
     * the set it asked us to take, or holds nothing: a requester in the handshake says {@code isstable=0}
     * (Tandem; heartbeat too: its reports during the handshake are the {@code isstable=0 info=standby} one,
     * and a stable one only after our {@code done}) and no longer names the set (heartbeat drops it before it
     * stops anything), so it gave the handshake up, or never began it (its own state refused its request).
     */
    private boolean abandoned(Message m) {
        if (!"full".equals(m.getOr(Messages.RTYPE, "")) || !"1".equals(m.getOr(Messages.ISSTABLE, ""))
                || state.handshake.peerMeSeq < 0 || olderThanMe(m) || number(m, Message.SEQ) < 0) {
            return false;
        }
        java.util.Optional<ResourceSet> held = ResourceSet.parse(m.getOr(Messages.RSC_HOLD, ""));
        // none: it has nothing to release, its own request was refused (ClusterCampaign-style seed 811 of WarmSimulationTest)
        return held.isPresent() && (held.get().intersects(state.handshake.set) || held.get() == ResourceSet.NONE);
    }

    /** An {@code ask_resources} message ({@code me}, {@code other}, {@code done}), the peer's or our own: the table of 7.4. */
    void onAskResources(Message m, String from, boolean self) {
        if (!state.nice) {
            out.log(Severity.INFO, HB, "Standby mode only implemented when nice_failback on");
            return;
        }
        if (state.rscState == RscState.SHUTDOWN) {
            return;
        }
        Optional<String> infoField = m.get(Message.INFO);
        if (infoField.isEmpty()) {
            out.log(Severity.ERROR, HB, "Received standby message without info/from");
            return;
        }
        String info = infoField.get();
        ResourceSet rtype = m.get(Messages.RSC_HOLD).map(w -> ResourceSet.parse(w).orElseGet(() -> {
            out.log(Severity.ERROR, HB, "encode_resources: bad resource type [" + w + "]");
            return ResourceSet.NONE;
        })).orElse(ResourceSet.ALL);
        long now = state.now;
        long resourcesTimeout = state.cfg.timers().standbyResources();
        if (state.handshake.deadline != 0 && now < state.handshake.deadline && info.equalsIgnoreCase("me")) {
            long secsLeft = (state.handshake.deadline - now + 999) / 1000;
            out.log(Severity.WARN, HB, "Standby in progress- new request from " + from + " ignored [" + secsLeft + " seconds left]");
            return;
        }
        Phase orig = state.handshake.phase;
        boolean ignored = false;
        switch (state.handshake.phase) {
            case NOT:
                if (!self && info.equalsIgnoreCase("done") && state.handshake.cancelledOnDeath != null
                        && state.rscState == RscState.STABLE) {
                    // the peer was frozen, not dead: it finished the release we had stopped waiting for
                    ResourceSet set = state.handshake.cancelledOnDeath;
                    state.handshake.cancelledOnDeath = null;
                    state.handshake.set = set;
                    state.handshake.epoch++;
                    state.handshake.deadline = now + resourcesTimeout;
                    out.log(Severity.INFO, HB, "standby: " + from + " completed the standby cancelled when it was declared dead:"
                            + " acquire [" + set.wire() + "] resources");
                    goStandby(false, set, true);
                    state.handshake.phase = Phase.DONE;
                    return;
                }
                if (info.equalsIgnoreCase("me")) {
                    state.handshake.cancelledOnDeath = null;
                }
                if (!state.peerStable) {
                    out.log(Severity.WARN, HB, "standby message [" + info + "] from " + from + " ignored.  Other side is in flux.");
                    return;
                }
                if (state.rscState != RscState.STABLE) {
                    out.log(Severity.WARN, HB, "standby message [" + info + "] from " + from + " ignored.  local resources in flux.");
                    return;
                }
                if (info.equalsIgnoreCase("me") && !self && monitoring.refuseTaking(rtype.mirror(), from)) {
                    return;
                }
                state.handshake.set = rtype;
                if (info.equalsIgnoreCase("me")) {
                    state.handshake.gave = false;
                    state.handshake.epoch++;
                    state.peerStable = false;
                    out.log(Severity.INFO, HB, from + " wants to go standby [" + rtype.wire() + "]");
                    if (self) {
                        state.handshake.deadline = now + state.cfg.timers().standbyReply();
                        state.handshake.phase = Phase.ME;
                    } else {
                        state.handshake.phase = Phase.OTHER;
                        state.handshake.peerMeGeneration = number(m, Message.GEN);
                        state.handshake.peerMeSeq = number(m, Message.SEQ);
                        state.handshake.deadline = now + resourcesTimeout;
                        // other: at once, or once the may-run-twice resources run here (make-before-break)
                        mbb.answer(state.handshake.set);
                    }
                } else {
                    ignored = true;
                }
                break;
            case ME:
                if (!self && info.equalsIgnoreCase("done")) {
                    // Tandem: a peer's done is never the answer to our me (that is other): it ends an older
                    // handshake of the peer (an acquisition it completed after a cancel, a retransmission). Taken
                    // as heartbeat does (the hour's deadline for any peer message in ME), it held our request
                    // and a graceful stop behind it for the hour (MayRunTwiceSimulationTest, a lossy link 2.65 s
                    // into a hand-over, once the giver said done at address-gone); the 10 s for other stand.
                    out.log(Severity.WARN, HB, "Ignoring standby message 'done' from " + from + " while waiting for its answer to our"
                            + " request [" + state.handshake.set.wire() + "].");
                    return;
                }
                if (!self) {
                    state.handshake.set = rtype;
                    state.handshake.deadline = now + resourcesTimeout;
                    if (info.equalsIgnoreCase("other")) {
                        out.log(Severity.INFO, HB, "standby: " + from + " can take our " + rtype.wire() + " resources");
                        goStandby(true, rtype);
                    } else {
                        ignored = true;
                    }
                } else if (info.equalsIgnoreCase("done")) {
                    out.log(Severity.INFO, HB, "Local standby process completed [" + rtype.wire() + "].");
                    state.handshake.phase = Phase.DONE;
                    state.handshake.gave = true;
                    state.held = state.held.minus(state.handshake.set);
                    state.handshake.deadline = now + resourcesTimeout;
                } else {
                    ignored = true;
                }
                break;
            case OTHER:
                if (!self && info.equalsIgnoreCase("done") && olderThanMe(m)) {
                    // Tandem: the peer sends its done only after our other, which answered its me; an
                    // older done is from an earlier handshake, retransmitted after a partition healed
                    // (taken, it made this node start the old set while the peer still stopped it:
                    // FencingSimulationTest seed 1482). The peer's done of this one is still to come.
                    out.log(Severity.WARN, HB, "Ignoring standby message 'done' from " + from + ": it is older than its request.");
                    return;
                }
                if (!self && info.equalsIgnoreCase("done") && rtype != state.handshake.set) {
                    // the giver's done names the set of its request: another set is a late done of an
                    // older handshake (retransmitted after a partition), not the release we wait for
                    out.log(Severity.WARN, HB, "standby message [done " + rtype.wire() + "] from " + from
                            + " ignored: we wait for its release of [" + state.handshake.set.wire() + "].");
                    return;
                }
                state.handshake.set = rtype;
                if (info.equalsIgnoreCase("done")) {
                    state.handshake.deadline = now + resourcesTimeout;
                    if (!self) {
                        state.peerHolds = state.peerHolds.minus(rtype); // released: that is what its done says
                        out.log(Severity.INFO, HB, "standby: acquire [" + rtype.wire() + "] resources from " + from);
                        goStandby(false, state.handshake.set, true);
                        state.handshake.phase = Phase.DONE;
                    } else {
                        ignored = true;
                    }
                } else if (!self || !info.equalsIgnoreCase("other")) {
                    ignored = true;
                }
                break;
            default:
                state.handshake.set = rtype;
                if (info.equals("done")) {
                    state.handshake.deadline = 0;
                    state.handshake.phase = Phase.NOT;
                    if (self) {
                        out.log(Severity.INFO, HB, "Standby resource acquisition done [" + rtype.wire() + "].");
                        if (state.autoFailback) {
                            holdings.markLocalWorkDone("auto_failback");
                        }
                        state.held = state.held.plus(rtype.mirror());
                    } else {
                        out.log(Severity.INFO, HB, "Other node completed standby takeover of " + rtype.wire() + " resources.");
                    }
                    holdings.sendHeld(true, null);
                } else {
                    ignored = true;
                }
                break;
        }
        if (ignored) {
            out.log(Severity.ERROR, HB, "Ignored standby message '" + info + "' from " + from + " in state " + orig.ordinal());
        }
    }

    /** Whether the peer's {@code m} was sent before the {@code me} that began this handshake (both need gen and seq). */
    private boolean olderThanMe(Message m) {
        long gen = number(m, Message.GEN);
        long seq = number(m, Message.SEQ);
        Handshake h = state.handshake;
        if (gen < 0 || seq < 0 || h.peerMeGeneration < 0 || h.peerMeSeq < 0) {
            return false;
        }
        return gen < h.peerMeGeneration || (gen == h.peerMeGeneration && seq < h.peerMeSeq);
    }

    /** A hexadecimal number field of the membership ({@code hg}, {@code seq}), or -1. */
    private static long number(Message m, String field) {
        String s = m.getOr(field, "");
        try {
            return s.isEmpty() || s.length() > 16 ? -1 : Long.parseLong(s, 16);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The set an operator's {@code hb_standby}/{@code hb_takeover} word names ({@code failback} = foreign). */
    static ResourceSet operatorSet(String which, String tool) {
        switch (which) {
            case "all":
                return ResourceSet.ALL;
            case "local":
                return ResourceSet.LOCAL;
            case "foreign":
            case "failback":
                return ResourceSet.FOREIGN;
            default:
                throw new IllegalArgumentException(tool + ": wrong resources(" + which + "); use all, foreign, local or failback");
        }
    }

    /**
     * Our release finished after its handshake was cancelled (the taker declared dead, a timeout, the
     * taker's restart): we never said {@code done}, so the taker starts none of it, and we still report
     * the set as held. Start again what we stopped, or nobody runs it (ClusterCampaignTest seed 284:
     * the taker, frozen, was declared dead mid-release; it timed out waiting for our done).
     */
    private void restartCancelledRelease(ResourceSet ours) {
        long epoch = state.handshake.epoch;
        if (!mayRestart(ours, epoch)) {
            return; // e.g. a new handshake runs: its own release or done settles the set
        }
        out.log(Severity.WARN, HB, "Starting again the [" + ours.wire() + "] resources released for the cancelled standby:"
                + " no other node takes them without our done.");
        // the job waits behind what is queued (a new handshake's release, a shutdown): ask again when it runs
        Jobs.Job job = new Jobs.Job("standby-cancelled");
        job.act(() -> {
            if (mayRestart(ours, epoch)) {
                for (GroupSpec g : state.groupsOf(ours)) {
                    job.group(g, true, o -> giveup.acquired(g, o));
                }
            } else {
                out.log(Severity.INFO, HB, "Not starting [" + ours.wire() + "] again: a standby or shutdown came meanwhile.");
            }
        });
        jobs.add(job);
    }

    /** Whether the set released for a cancelled standby is still ours alone to run: no handshake since, no shutdown. */
    private boolean mayRestart(ResourceSet ours, long epoch) {
        return state.handshake.epoch == epoch && state.handshake.idle() && state.held.intersects(ours) && !state.finished
                && !state.shutdownInProgress && !state.shutdownStarted && state.rscState != RscState.SHUTDOWN;
    }

    /** heartbeat's {@code go_standby}: release ({@code me}) or acquire the groups of a set, then say done. */
    private void goStandby(boolean me, ResourceSet set) {
        goStandby(me, set, false);
    }

    /**
     * {@code afterDone}: an acquisition that follows the peer's {@code done} for this set (it released the
     * set and said so while we hear it): its address starts go without the duplicate-address probe
     * ({@link GroupRun#afterPeerDone}) as long as this handshake stands (its epoch: no peer death, restart
     * or timeout since). The acquisition after a peer's {@code shutdone} keeps the probe, as every other
     * (docs/split-brain.md, "Duplicate-address guard").
     */
    private void goStandby(boolean me, ResourceSet set, boolean afterDone) {
        if (set == ResourceSet.NONE) {
            out.log(Severity.ERROR, HB, "no resources to " + (me ? "give up" : "acquire"));
            return;
        }
        ResourceSet heldBefore = state.held;
        ResourceSet act = me ? set : set.mirror();
        // Tandem: a node never reports as not held a group it still runs, is still stopping or is
        // starting. Heartbeat's giver drops S from its report before it stops anything and its acquirer
        // claims the groups only when they run; a peer that restarts meanwhile, or a stop that keeps
        // failing (HOLD), then let the other node take them while they ran. The giver drops S when its
        // release is done ("done" from itself, ME); the acquirer claims the mirror as it starts.
        if (me) {
            state.peerStable = false;
            holdings.sendHeld(false, "standby");
        } else {
            state.held = state.held.plus(act);
        }
        long mine = state.handshake.epoch;
        List<GroupSpec> groups = state.groupsOf(act);
        Jobs.Job job = new Jobs.Job("go_standby");
        job.act(() -> out.log(Severity.INFO, HB, (me ? "give up " : "acquire ") + act.wire() + " HA resources (standby)."));
        ResourceSet ours = ResourceSet.ofBits(heldBefore.bits() & act.bits());
        boolean[] aborted = {false};
        boolean[] said = {false};
        if (me) {
            // done once the address released last is gone, before its script's rest (EarlyDone)
            job.whenAddressGone(() -> {
                if (mine == state.handshake.epoch) {
                    said[0] = true;
                    out.log(Severity.INFO, HB, EarlyDone.line(set));
                    out.send(Messages.askResources(set, "done"));
                }
            });
            giveup.releaseAll(job, groups, ours, () -> {
                aborted[0] = true;
                state.held = state.held.plus(ours);
                if (mine != state.handshake.epoch) {
                    return;
                }
                state.handshake.phase = Phase.NOT;
                state.handshake.epoch++;
                state.handshake.deadline = 0;
                state.peerStable = true;
                holdings.sendHeld(true, ABORTED);
            }, null, true);
        } else {
            for (GroupSpec g : groups) {
                if (afterDone) {
                    job.acquireAfterDone(g, () -> state.handshake.epoch == mine, o -> giveup.acquired(g, o));
                } else {
                    job.group(g, true, o -> giveup.acquired(g, o));
                }
            }
        }
        job.act(() -> {
            out.log(Severity.INFO, HB, act.wire() + " HA resource " + (me ? "release" : "acquisition") + " completed (standby).");
            if (said[0]) {
                return; // said at address-gone (EarlyDone)
            }
            if (mine == state.handshake.epoch) {
                out.send(Messages.askResources(set, "done"));
            } else {
                out.log(Severity.WARN, HB, "Standby operation was cancelled; not announcing it as done.");
                if (!me) {
                    // what was acquired runs here: claim it (our next report names it), or the peer,
                    // told we hold less when it is heard again, starts it too
                    state.held = state.held.plus(act);
                } else if (!aborted[0] && !state.shutdownInProgress && !state.shutdownStarted) {
                    restartCancelledRelease(ours);
                }
            }
        });
        jobs.add(job);
    }
}
