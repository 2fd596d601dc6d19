package io.tandem.resources;

import static io.tandem.resources.Effects.HB;

import io.tandem.resources.OwnershipState.Handshake.Phase;
import io.tandem.resources.OwnershipState.RscState;
import io.tandem.wire.Message;
import java.util.List;
import java.util.Optional;

/**
 * The standby / takeover handshake (PROTOCOL.md 7.4, heartbeat's {@code going_standby}): A sheds a
 * set S with {@code ask_resources info=me}, B answers {@code other}, A releases S and says
 * {@code done}, B acquires the mirror of S and says {@code done}, both report stable holdings.
 * Also the immediate acquisition after a peer's {@code shutdone} and the auto-failback request.
 */
final class Standby {
    /** Tandem's marker on the {@code resource} report of a requester that could not release S. */
    static final String ABORTED = "standby-aborted";

    private final OwnershipState state;
    private final OwnershipState.Handshake handshake;
    private final Effects out;
    private final Jobs jobs;
    private final Holdings holdings;
    private final Giveup giveup;
    private final MonitorDecisions monitoring;

    Standby(OwnershipState state, Effects out, Jobs jobs, Holdings holdings, Giveup giveup, MonitorDecisions monitoring) {
        this.state = state;
        this.handshake = state.handshake;
        this.out = out;
        this.jobs = jobs;
        this.holdings = holdings;
        this.giveup = giveup;
        this.monitoring = monitoring;
    }

    void checkTimeout() {
        if (handshake.deadline != 0 && state.now >= handshake.deadline) {
            handshake.deadline = 0;
            state.peerStable = true;
            handshake.phase = Phase.NOT;
            handshake.epoch++;
            out.log(LogLevel.WARN, HB, "No reply to standby request.  Standby request cancelled.");
        }
    }

    void cancelOnPeerDeath() {
        if (handshake.phase != Phase.NOT) {
            out.log(LogLevel.INFO, HB, "Cancelling pending standby operation");
            handshake.phase = Phase.NOT;
            handshake.epoch++;
            handshake.deadline = 0;
            if (!state.peerStable && state.held == ResourceSet.ALL) {
                state.peerStable = true;
            }
        }
    }

    /** Auto-failback: ask the peer to take back its groups we hold. */
    void failback() {
        handshake.set = ResourceSet.FOREIGN;
        out.send(Messages.askResources(ResourceSet.FOREIGN, "me"));
    }

    /** The peer sent {@code shutdone}: acquire what we lack at once, no handshake. */
    void acquireNow(ResourceSet set) {
        handshake.phase = Phase.DONE;
        handshake.epoch++;
        goStandby(false, set);
    }

    /** A Tandem requester that could not release its set cancels our wait for its {@code done}. */
    void onPeerResource(Message m) {
        if (handshake.phase == Phase.OTHER && ABORTED.equals(m.getOr(Message.INFO, ""))) {
            out.log(LogLevel.WARN, HB, "Standby request cancelled: " + m.getOr(Message.SRC, "the other node")
                    + " could not release its resources.");
            handshake.phase = Phase.NOT;
            handshake.epoch++;
            handshake.deadline = 0;
        }
    }

    void onAskResources(Message m, String from, boolean self) {
        if (!state.nice) {
            out.log(LogLevel.INFO, HB, "Standby mode only implemented when nice_failback on");
            return;
        }
        if (state.rscState == RscState.SHUTDOWN) {
            return;
        }
        Optional<String> infoField = m.get(Message.INFO);
        if (infoField.isEmpty()) {
            out.log(LogLevel.ERROR, HB, "Received standby message without info/from");
            return;
        }
        String info = infoField.get();
        ResourceSet rtype = m.get(Messages.RSC_HOLD).map(w -> ResourceSet.parse(w).orElseGet(() -> {
            out.log(LogLevel.ERROR, HB, "encode_resources: bad resource type [" + w + "]");
            return ResourceSet.NONE;
        })).orElse(ResourceSet.ALL);
        long now = state.now;
        long resourcesTimeout = state.cfg.timers().standbyResources();
        if (handshake.deadline != 0 && now < handshake.deadline && info.equalsIgnoreCase("me")) {
            long secsLeft = (handshake.deadline - now + 999) / 1000;
            out.log(LogLevel.WARN, HB, "Standby in progress- new request from " + from + " ignored [" + secsLeft + " seconds left]");
            return;
        }
        Phase orig = handshake.phase;
        boolean ignored = false;
        switch (handshake.phase) {
            case NOT:
                if (!state.peerStable) {
                    out.log(LogLevel.WARN, HB, "standby message [" + info + "] from " + from + " ignored.  Other side is in flux.");
                    return;
                }
                if (state.rscState != RscState.STABLE) {
                    out.log(LogLevel.WARN, HB, "standby message [" + info + "] from " + from + " ignored.  local resources in flux.");
                    return;
                }
                if (info.equalsIgnoreCase("me") && !self && monitoring.refuseTaking(rtype.mirror(), from)) {
                    return;
                }
                handshake.set = rtype;
                if (info.equalsIgnoreCase("me")) {
                    handshake.epoch++;
                    state.peerStable = false;
                    out.log(LogLevel.INFO, HB, from + " wants to go standby [" + rtype.wire() + "]");
                    if (self) {
                        handshake.deadline = now + state.cfg.timers().standbyReply();
                        handshake.phase = Phase.ME;
                    } else {
                        handshake.phase = Phase.OTHER;
                        out.send(Messages.askResources(handshake.set, "other"));
                        handshake.deadline = now + resourcesTimeout;
                    }
                } else {
                    ignored = true;
                }
                break;
            case ME:
                if (!self) {
                    handshake.set = rtype;
                    handshake.deadline = now + resourcesTimeout;
                    if (info.equalsIgnoreCase("other")) {
                        out.log(LogLevel.INFO, HB, "standby: " + from + " can take our " + rtype.wire() + " resources");
                        goStandby(true, rtype);
                    } else {
                        ignored = true;
                    }
                } else if (info.equalsIgnoreCase("done")) {
                    out.log(LogLevel.INFO, HB, "Local standby process completed [" + rtype.wire() + "].");
                    handshake.phase = Phase.DONE;
                    state.held = state.held.minus(handshake.set);
                    handshake.deadline = now + resourcesTimeout;
                } else {
                    ignored = true;
                }
                break;
            case OTHER:
                handshake.set = rtype;
                if (info.equalsIgnoreCase("done")) {
                    handshake.deadline = now + resourcesTimeout;
                    if (!self) {
                        out.log(LogLevel.INFO, HB, "standby: acquire [" + rtype.wire() + "] resources from " + from);
                        goStandby(false, handshake.set);
                        handshake.phase = Phase.DONE;
                    } else {
                        ignored = true;
                    }
                } else if (!self || !info.equalsIgnoreCase("other")) {
                    ignored = true;
                }
                break;
            default:
                handshake.set = rtype;
                if (info.equals("done")) {
                    handshake.deadline = 0;
                    handshake.phase = Phase.NOT;
                    if (self) {
                        out.log(LogLevel.INFO, HB, "Standby resource acquisition done [" + rtype.wire() + "].");
                        if (state.autoFailback) {
                            holdings.markLocalWorkDone("auto_failback");
                        }
                        state.held = state.held.plus(rtype.mirror());
                    } else {
                        out.log(LogLevel.INFO, HB, "Other node completed standby takeover of " + rtype.wire() + " resources.");
                    }
                    holdings.sendHeld(true, null);
                } else {
                    ignored = true;
                }
                break;
        }
        if (ignored) {
            out.log(LogLevel.ERROR, HB, "Ignored standby message '" + info + "' from " + from + " in state " + orig.ordinal());
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

    /** heartbeat's {@code go_standby}: release ({@code me}) or acquire the groups of a set, then say done. */
    private void goStandby(boolean me, ResourceSet set) {
        if (set == ResourceSet.NONE) {
            out.log(LogLevel.ERROR, HB, "no resources to " + (me ? "give up" : "acquire"));
            return;
        }
        ResourceSet heldBefore = state.held;
        if (me) {
            state.peerStable = false;
            state.held = state.held.minus(set);
            holdings.sendHeld(false, "standby");
        }
        ResourceSet act = me ? set : set.mirror();
        long mine = handshake.epoch;
        List<GroupSpec> groups = state.groupsOf(act);
        Jobs.Job job = new Jobs.Job("go_standby");
        job.act(() -> out.log(LogLevel.INFO, HB, (me ? "give up " : "acquire ") + act.wire() + " HA resources (standby)."));
        if (me) {
            ResourceSet ours = ResourceSet.ofBits(heldBefore.bits() & act.bits());
            giveup.releaseAll(job, groups, ours, () -> {
                state.held = state.held.plus(ours);
                if (mine != handshake.epoch) {
                    return;
                }
                handshake.phase = Phase.NOT;
                handshake.epoch++;
                handshake.deadline = 0;
                state.peerStable = true;
                holdings.sendHeld(true, ABORTED);
            });
        } else {
            for (GroupSpec g : groups) {
                job.group(g, true, o -> giveup.acquired(g, o));
            }
        }
        job.act(() -> {
            out.log(LogLevel.INFO, HB, act.wire() + " HA resource " + (me ? "release" : "acquisition") + " completed (standby).");
            if (mine == handshake.epoch) {
                out.send(Messages.askResources(set, "done"));
            } else {
                out.log(LogLevel.WARN, HB, "Standby operation was cancelled; not announcing it as done.");
            }
        });
        jobs.add(job);
    }
}
