package io.tandem.resources;

import io.tandem.wire.Message;
import java.util.List;
import java.util.Optional;
import io.tandem.resources.OwnershipState.Handshake.Phase;

/**
 * The standby / takeover handshake (PROTOCOL.md 7.4, heartbeat's {@code going_standby}): A sheds a
 * set S with {@code ask_resources info=me}, B answers {@code other}, A releases S and says
 * {@code done}, B acquires the mirror of S and says {@code done}, both report stable holdings.
 * Also the immediate acquisition after a peer's {@code shutdone} and the auto-failback request.
 */
final class Standby {
    /** Tandem's marker on the {@code resource} report of a requester that could not release S. */
    static final String ABORTED = "standby-aborted";

    private final EngineCore e;
    private final OwnershipState.Handshake h;

    Standby(EngineCore engine) {
        this.e = engine;
        this.h = engine.state.handshake;
    }

    void checkTimeout() {
        if (h.deadline != 0 && e.now() >= h.deadline) {
            h.deadline = 0;
            e.state.peerStable = true;
            h.phase = Phase.NOT;
            h.epoch++;
            e.out.log(LogLevel.WARN, Effects.HB, "No reply to standby request.  Standby request cancelled.");
        }
    }

    void cancelOnPeerDeath() {
        if (h.phase != Phase.NOT) {
            e.out.log(LogLevel.INFO, Effects.HB, "Cancelling pending standby operation");
            h.phase = Phase.NOT;
            h.epoch++;
            h.deadline = 0;
            if (!e.state.peerStable && e.state.held == ResourceSet.ALL) {
                e.state.peerStable = true;
            }
        }
    }

    /** Auto-failback: ask the peer to take back its groups we hold. */
    void failback() {
        h.set = ResourceSet.FOREIGN;
        e.out.send(Messages.askResources(ResourceSet.FOREIGN, "me"));
    }

    /** The peer sent {@code shutdone}: acquire what we lack at once, no handshake. */
    void acquireNow(ResourceSet set) {
        h.phase = Phase.DONE;
        h.epoch++;
        goStandby(false, set);
    }

    /** A Tandem requester that could not release its set cancels our wait for its {@code done}. */
    void onPeerResource(Message m) {
        if (h.phase == Phase.OTHER && ABORTED.equals(m.getOr(Message.INFO, ""))) {
            e.out.log(LogLevel.WARN, Effects.HB, "Standby request cancelled: " + m.getOr(Message.SRC, "the other node")
                    + " could not release its resources.");
            h.phase = Phase.NOT;
            h.epoch++;
            h.deadline = 0;
        }
    }

    void onAskResources(Message m, String from, boolean self) {
        if (!e.nice()) {
            e.out.log(LogLevel.INFO, Effects.HB, "Standby mode only implemented when nice_failback on");
            return;
        }
        if (e.state.rscState == OwnershipState.RscState.SHUTDOWN) {
            return;
        }
        Optional<String> infoField = m.get(Message.INFO);
        if (infoField.isEmpty()) {
            e.out.log(LogLevel.ERROR, Effects.HB, "Received standby message without info/from");
            return;
        }
        String info = infoField.get();
        ResourceSet rtype = m.get(Messages.RSC_HOLD).map(w -> ResourceSet.parse(w).orElseGet(() -> {
            e.out.log(LogLevel.ERROR, Effects.HB, "encode_resources: bad resource type [" + w + "]");
            return ResourceSet.NONE;
        })).orElse(ResourceSet.ALL);
        long now = e.now();
        long resourcesTimeout = e.state.cfg.timers().standbyResources();
        if (h.deadline != 0 && now < h.deadline && info.equalsIgnoreCase("me")) {
            long secsLeft = (h.deadline - now + 999) / 1000;
            e.out.log(LogLevel.WARN, Effects.HB, "Standby in progress- new request from " + from + " ignored [" + secsLeft + " seconds left]");
            return;
        }
        Phase orig = h.phase;
        boolean ignored = false;
        switch (h.phase) {
            case NOT:
                if (!e.state.peerStable) {
                    e.out.log(LogLevel.WARN, Effects.HB, "standby message [" + info + "] from " + from + " ignored.  Other side is in flux.");
                    return;
                }
                if (e.state.rscState != OwnershipState.RscState.STABLE) {
                    e.out.log(LogLevel.WARN, Effects.HB, "standby message [" + info + "] from " + from + " ignored.  local resources in flux.");
                    return;
                }
                if (info.equalsIgnoreCase("me") && !self && e.monitoring.refuseTaking(rtype.mirror(), from)) {
                    return;
                }
                h.set = rtype;
                if (info.equalsIgnoreCase("me")) {
                    h.epoch++;
                    e.state.peerStable = false;
                    e.out.log(LogLevel.INFO, Effects.HB, from + " wants to go standby [" + rtype.wire() + "]");
                    if (self) {
                        h.deadline = now + e.state.cfg.timers().standbyReply();
                        h.phase = Phase.ME;
                    } else {
                        h.phase = Phase.OTHER;
                        e.out.send(Messages.askResources(h.set, "other"));
                        h.deadline = now + resourcesTimeout;
                    }
                } else {
                    ignored = true;
                }
                break;
            case ME:
                if (!self) {
                    h.set = rtype;
                    h.deadline = now + resourcesTimeout;
                    if (info.equalsIgnoreCase("other")) {
                        e.out.log(LogLevel.INFO, Effects.HB, "standby: " + from + " can take our " + rtype.wire() + " resources");
                        goStandby(true, rtype);
                    } else {
                        ignored = true;
                    }
                } else if (info.equalsIgnoreCase("done")) {
                    e.out.log(LogLevel.INFO, Effects.HB, "Local standby process completed [" + rtype.wire() + "].");
                    h.phase = Phase.DONE;
                    e.state.held = e.state.held.minus(h.set);
                    h.deadline = now + resourcesTimeout;
                } else {
                    ignored = true;
                }
                break;
            case OTHER:
                h.set = rtype;
                if (info.equalsIgnoreCase("done")) {
                    h.deadline = now + resourcesTimeout;
                    if (!self) {
                        e.out.log(LogLevel.INFO, Effects.HB, "standby: acquire [" + rtype.wire() + "] resources from " + from);
                        goStandby(false, h.set);
                        h.phase = Phase.DONE;
                    } else {
                        ignored = true;
                    }
                } else if (!self || !info.equalsIgnoreCase("other")) {
                    ignored = true;
                }
                break;
            default:
                h.set = rtype;
                if (info.equals("done")) {
                    h.deadline = 0;
                    h.phase = Phase.NOT;
                    if (self) {
                        e.out.log(LogLevel.INFO, Effects.HB, "Standby resource acquisition done [" + rtype.wire() + "].");
                        if (e.autoFailback()) {
                            e.holdings.markLocalWorkDone("auto_failback");
                        }
                        e.state.held = e.state.held.plus(rtype.mirror());
                    } else {
                        e.out.log(LogLevel.INFO, Effects.HB, "Other node completed standby takeover of " + rtype.wire() + " resources.");
                    }
                    e.holdings.sendHeld(true, null);
                } else {
                    ignored = true;
                }
                break;
        }
        if (ignored) {
            e.out.log(LogLevel.ERROR, Effects.HB, "Ignored standby message '" + info + "' from " + from + " in state " + orig.ordinal());
        }
    }

    /** heartbeat's {@code go_standby}: release ({@code me}) or acquire the groups of a set, then say done. */
    private void goStandby(boolean me, ResourceSet set) {
        if (set == ResourceSet.NONE) {
            e.out.log(LogLevel.ERROR, Effects.HB, "no resources to " + (me ? "give up" : "acquire"));
            return;
        }
        ResourceSet heldBefore = e.state.held;
        if (me) {
            e.state.peerStable = false;
            e.state.held = e.state.held.minus(set);
            e.holdings.sendHeld(false, "standby");
        }
        ResourceSet act = me ? set : set.mirror();
        long mine = h.epoch;
        List<GroupSpec> groups = e.state.groupsOf(act);
        Jobs.Job job = new Jobs.Job("go_standby");
        job.act(() -> e.out.log(LogLevel.INFO, Effects.HB, (me ? "give up " : "acquire ") + act.wire() + " HA resources (standby)."));
        if (me) {
            ResourceSet ours = ResourceSet.ofBits(heldBefore.bits() & act.bits());
            e.giveup.releaseAll(job, groups, ours, () -> {
                e.state.held = e.state.held.plus(ours);
                if (mine != h.epoch) {
                    return;
                }
                h.phase = Phase.NOT;
                h.epoch++;
                h.deadline = 0;
                e.state.peerStable = true;
                e.holdings.sendHeld(true, ABORTED);
            });
        } else {
            for (GroupSpec g : groups) {
                job.group(g, true, o -> e.giveup.acquired(g, o));
            }
        }
        job.act(() -> {
            e.out.log(LogLevel.INFO, Effects.HB, act.wire() + " HA resource " + (me ? "release" : "acquisition") + " completed (standby).");
            if (mine == h.epoch) {
                e.out.send(Messages.askResources(set, "done"));
            } else {
                e.out.log(LogLevel.WARN, Effects.HB, "Standby operation was cancelled; not announcing it as done.");
            }
        });
        e.jobs().add(job);
    }
}
