package io.tandem.resources;

import io.tandem.config.FailbackMode;
import io.tandem.wire.Message;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Drives one engine by hand in tests: feeds events, answers scripts, records effects. */
final class Driver {
    final OwnershipEngine e;
    long now;
    final List<Effect> effects = new ArrayList<>();
    final List<ResourceOp> ops = new ArrayList<>();

    Driver(String local, FailbackMode mode, StopFailurePolicy policy, GroupSpec... groups) {
        e = new OwnershipEngine(new OwnershipConfig(local, List.of("n1", "n2"), mode, List.of(groups), 42, policy,
                OwnershipConfig.Timers.HEARTBEAT));
    }

    Driver(OwnershipConfig cfg) {
        e = new OwnershipEngine(cfg);
    }

    /** With the probe before a peer's death ({@link AddressPreProbe}). */
    Driver(OwnershipConfig cfg, AddressPreProbe.Settings preProbe) {
        e = new OwnershipEngine(cfg, preProbe);
    }

    List<Effect> apply(List<Effect> fx) {
        effects.addAll(fx);
        for (Effect f : fx) {
            if (f instanceof Effect.Run r) {
                ops.add(r.op());
            }
        }
        return fx;
    }

    Driver at(long t) {
        now = t;
        return this;
    }

    Driver tickTo(long t) {
        while (e.nextDeadline().isPresent() && e.nextDeadline().getAsLong() <= t) {
            now = Math.max(now, e.nextDeadline().getAsLong());
            apply(e.tick(now));
        }
        now = t;
        return this;
    }

    /** A message from the peer n2 (or n1), with src appended like the membership layer does. */
    Driver from(String peer, Message m) {
        apply(e.received(now, m.append(Message.SRC, peer)));
        return this;
    }

    /** Answers every script the engine asks for, 100 ms each, until it asks for none. */
    Driver scripts(Function<ResourceOp, OpResult> answer) {
        for (int guard = 0; guard < 1000; guard++) {
            if (e.pendingOp().isEmpty()) {
                if (e.nextDeadline().isPresent() && e.nextDeadline().getAsLong() <= now + 1500 && e.jobsBusy()) {
                    tickTo(e.nextDeadline().getAsLong());
                    continue;
                }
                return this;
            }
            ResourceOp op = e.pendingOp().get();
            now += 100;
            apply(e.opDone(now, op, answer.apply(op)));
        }
        throw new AssertionError("scripts never finished: " + texts());
    }

    /**
     * A small model of the resources on one node: what runs (started and not stopped); resources in
     * {@code broken} cannot start, resources in {@code hanging} fail their checks.
     */
    static final class Resources {
        final Set<String> running = new HashSet<>();
        final Set<String> broken = new HashSet<>();
        final Set<String> hanging = new HashSet<>();

        OpResult answer(ResourceOp op) {
            switch (op.action()) {
                case START:
                    if (broken.contains(op.resource())) {
                        return OpResult.FAILED;
                    }
                    running.add(op.resource());
                    return OpResult.OK;
                case STOP:
                    running.remove(op.resource());
                    return OpResult.OK;
                default:
                    if (hanging.contains(op.resource())) {
                        return OpResult.FAILED;
                    }
                    return running.contains(op.resource()) ? OpResult.RUNNING : OpResult.NOT_RUNNING;
            }
        }
    }

    /** The resources as the scripts answered by {@link #scriptsOk()} left them. */
    final Resources resources = new Resources();
    /** What runs on this node according to {@link #scriptsOk()}. */
    final Set<String> running = resources.running;

    /** Scripts that always work; status tells what was started and not stopped. */
    Driver scriptsOk() {
        return scripts(resources::answer);
    }

    List<String> sent() {
        return effects.stream().filter(f -> f instanceof Effect.Send).map(f -> Driver.text(((Effect.Send) f).message()))
                .collect(Collectors.toList());
    }

    List<String> logs() {
        return effects.stream().filter(f -> f instanceof Effect.Log).map(f -> ((Effect.Log) f).level().word() + ": " + ((Effect.Log) f).text())
                .collect(Collectors.toList());
    }

    List<String> opTexts() {
        return ops.stream().map(o -> o.resource() + " " + o.action().word()).collect(Collectors.toList());
    }

    List<String> texts() {
        List<String> t = new ArrayList<>(sent());
        t.addAll(logs());
        return t;
    }

    /** A message as {@code name=value} pairs in order ({@code t=starting}). */
    static String text(Message m) {
        StringBuilder sb = new StringBuilder();
        m.fields().forEach(f -> sb.append(sb.length() == 0 ? "" : " ").append(f.name()).append('=').append(f.text()));
        return sb.toString();
    }

    Driver clear() {
        effects.clear();
        ops.clear();
        return this;
    }
}
