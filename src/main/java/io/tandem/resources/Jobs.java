package io.tandem.resources;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Consumer;

/**
 * Heartbeat's resource-management children, serialized: a FIFO of jobs, one running at a time, each
 * a list of tasks (an immediate action, one group run, or one status probe). Nothing runs before
 * communications are up, except a job marked {@link Job#early} (the start-up probe).
 */
final class Jobs {
    sealed interface Task {
        /** Runs at once in the engine. */
        record Act(Runnable action) implements Task {
        }

        /**
         * Acquires or releases one group (from resource {@code from} on: more than 0 for a restart in
         * place), then hands the outcome on.
         */
        record Group(GroupSpec group, boolean acquire, int from, Consumer<GroupRun.Outcome> then, Runnable afterAddresses,
                     java.util.Set<String> keepRunning, java.util.function.BooleanSupplier afterPeerDone) implements Task {
            Group(GroupSpec group, boolean acquire, int from, Consumer<GroupRun.Outcome> then, Runnable afterAddresses,
                  java.util.Set<String> keepRunning) {
                this(group, acquire, from, then, afterAddresses, keepRunning, null);
            }

            Group(GroupSpec group, boolean acquire, int from, Consumer<GroupRun.Outcome> then, Runnable afterAddresses) {
                this(group, acquire, from, then, afterAddresses, java.util.Set.of());
            }

            Group(GroupSpec group, boolean acquire, Consumer<GroupRun.Outcome> then) {
                this(group, acquire, 0, then);
            }

            Group(GroupSpec group, boolean acquire, int from, Consumer<GroupRun.Outcome> then) {
                this(group, acquire, from, then, null);
            }
        }

        /** {@code ResourceManager status <resource>}: whether it runs. */
        record Probe(String group, String resource, Consumer<Boolean> then) implements Task {
        }

        /** A status call whose whole answer matters (the start-up probe: a failed call is "unknown"). */
        /** {@code quiet}: the core asks this address's probes itself (the start-up probe): none beside this status. */
        record Status(String group, String resource, boolean quiet, Consumer<OpResult> then) implements Task {
        }

        /** One script of one resource ({@link MakeBeforeBreak}: a status and a start before a planned move's address step). */
        record Op(String group, String resource, ResourceOp.Action action, Consumer<OpResult> then) implements Task {
        }
    }

    /** A named job; {@code onEnd} runs after its last task. */
    static final class Job {
        final String name;
        final Deque<Task> tasks = new ArrayDeque<>();
        Runnable onEnd = () -> { };
        /** Runs before communications are up (the start-up probe). */
        boolean early;

        Job(String name) {
            this.name = name;
        }

        Job act(Runnable r) {
            tasks.add(new Task.Act(r));
            return this;
        }

        Job group(GroupSpec g, boolean acquire, Consumer<GroupRun.Outcome> then) {
            tasks.add(new Task.Group(g, acquire, then));
            return this;
        }

        /**
         * Releases a whole group address first ({@link GroupRun#addressFirst}): {@code afterAddresses}
         * runs once its addresses are down, before its other resources stop.
         */
        Job releaseAddressFirst(GroupSpec g, Runnable afterAddresses, Consumer<GroupRun.Outcome> then) {
            tasks.add(new Task.Group(g, false, 0, then, afterAddresses));
            return this;
        }

        /** Releases a whole group leaving its {@code warm} resources running ({@link GroupRun#keepRunning}). */
        Job releaseKeeping(GroupSpec g, java.util.Set<String> warm, Consumer<GroupRun.Outcome> then) {
            tasks.add(new Task.Group(g, false, 0, then, null, warm));
            return this;
        }

        /**
         * Acquires a whole group the other node has just released and said so ({@code done} of a standby
         * hand-over), as long as {@code stillHeard} says that hand-over still stands ({@link GroupRun#afterPeerDone}).
         */
        Job acquireAfterDone(GroupSpec g, java.util.function.BooleanSupplier stillHeard, Consumer<GroupRun.Outcome> then) {
            tasks.add(new Task.Group(g, true, 0, then, null, java.util.Set.of(), java.util.Objects.requireNonNull(stillHeard)));
            return this;
        }

        Job groupFrom(GroupSpec g, boolean acquire, int from, Consumer<GroupRun.Outcome> then) {
            tasks.add(new Task.Group(g, acquire, from, then));
            return this;
        }

        Job probe(GroupSpec g, Consumer<Boolean> then) {
            tasks.add(new Task.Probe(g.key(), g.key(), then));
            return this;
        }

        Job onEnd(Runnable r) {
            onEnd = r;
            return this;
        }

        Job status(GroupSpec g, String resource, Consumer<OpResult> then) {
            tasks.add(new Task.Status(g.key(), resource, false, then));
            return this;
        }

        /**
         * A status after which no start follows at once (the start-up probe's): an address resource's is marked
         * {@link ResourceOp#preProbed()}, so that the daemon begins no probe beside it. A probe beside it would
         * be the node's answer to its peer's probe of the same address at the same start.
         */
        Job quietStatus(GroupSpec g, String resource, Consumer<OpResult> then) {
            tasks.add(new Task.Status(g.key(), resource, AddressGuard.isAddress(resource), then));
            return this;
        }

        /** One script of one resource of group {@code group}; its whole result goes to {@code then}. */
        Job op(String group, String resource, ResourceOp.Action action, Consumer<OpResult> then) {
            tasks.add(new Task.Op(group, resource, action, then));
            return this;
        }

        /** May run before communications are up. */
        Job early() {
            early = true;
            return this;
        }

        /** Runs once when the address of this job's last stop is gone ({@link Jobs#addressReleased}), or null. */
        private Runnable onAddressGone;
        /** Whether {@link #onAddressGone} ran. */
        private boolean addressGone;

        /**
         * {@code r} runs once, when the daemon reports the address of this job's very last stop gone
         * before its script ended: the last group run's last stop is that address resource and nothing
         * but actions is left in the job (a standby release: {@code done} then, not after the script).
         */
        Job whenAddressGone(Runnable r) {
            onAddressGone = r;
            return this;
        }

        /** Whether {@link #whenAddressGone}'s action ran: the job's last stop may still be running or failing. */
        boolean addressGone() {
            return addressGone;
        }
    }

    /** Hooks into the engine. */
    interface Host extends GroupRun.Out {
        void groupStarted(GroupRun run);

        void groupFinished(GroupRun run);

        /** Whether a whole-group acquisition may run now; false skips it (outcome SKIPPED). */
        boolean mayAcquire(GroupSpec group);
    }

    private final Host host;
    private final OwnershipConfig.Timers timers;
    private final Deque<Job> queue = new ArrayDeque<>();
    private boolean enabled;
    private Job current;
    private Task.Group groupTask;
    private GroupRun run;
    private Task.Probe probe;
    private Task.Status status;
    private Task.Op single;
    private ResourceOp probeOp;

    Jobs(Host host, OwnershipConfig.Timers timers) {
        this.host = host;
        this.timers = timers;
    }

    void enable() {
        enabled = true;
    }

    void add(Job job) {
        queue.add(job);
    }

    /** A job is running or waiting. */
    boolean busy() {
        return current != null || !queue.isEmpty();
    }

    Job current() {
        return current;
    }

    /** Drops every queued and running job (the node is going away). */
    void clear() {
        queue.clear();
        current = null;
        run = null;
        groupTask = null;
        probe = null;
        status = null;
        single = null;
        probeOp = null;
    }

    /** The group run in progress, if any. */
    GroupRun running() {
        return run;
    }

    /** The operation the engine waits for, or null. */
    ResourceOp pendingOp() {
        return run != null ? run.pending() : probeOp;
    }

    long deadline() {
        return run == null ? -1 : run.deadline();
    }

    /** Performs one step; false when blocked on a script or idle. */
    boolean step() {
        if (run != null || probeOp != null) {
            return false;
        }
        if (!enabled && !(current != null ? current.early : queue.peek() != null && queue.peek().early)) {
            return false;
        }
        if (current == null) {
            current = queue.poll();
            if (current == null) {
                return false;
            }
        }
        Task t = current.tasks.poll();
        if (t == null) {
            Job done = current;
            current = null;
            done.onEnd.run();
            return true;
        }
        if (t instanceof Task.Act a) {
            a.action().run();
        } else if (t instanceof Task.Group g) {
            if (g.acquire() && g.from() == 0 && !host.mayAcquire(g.group())) {
                g.then().accept(new GroupRun.Outcome(GroupRun.Outcome.Kind.SKIPPED, null));
                return true;
            }
            groupTask = g;
            run = new GroupRun(g.group(), g.acquire(), g.from(), timers, host);
            if (g.afterAddresses() != null) {
                run.addressFirst(g.afterAddresses());
            } else if (!g.keepRunning().isEmpty()) {
                run.keepRunning(g.keepRunning());
            } else if (g.afterPeerDone() != null) {
                run.afterPeerDone(g.afterPeerDone());
            }
            host.groupStarted(run);
            run.start();
        } else if (t instanceof Task.Op o) {
            single = o;
            probeOp = new ResourceOp(o.group(), o.resource(), o.action());
            host.run(probeOp);
        } else if (t instanceof Task.Status st) {
            status = st;
            probeOp = new ResourceOp(st.group(), st.resource(), ResourceOp.Action.STATUS, 0, false, st.quiet());
            host.run(probeOp);
        } else {
            probe = (Task.Probe) t;
            // a probe begun ahead (at start-up, before a death) stands for this status: the daemon begins no other beside it
            boolean ahead = AddressGuard.isAddress(probe.resource()) && host.preProbed(ResourceOp.Action.STATUS, probe.resource());
            probeOp = new ResourceOp(probe.group(), probe.resource(), ResourceOp.Action.STATUS, 0, false, ahead);
            host.run(probeOp);
        }
        return true;
    }

    /** A script finished; false when it was not the one we waited for. */
    boolean done(long now, ResourceOp op, OpResult result) {
        if (probeOp != null && probeOp.equals(op) && single != null) {
            Task.Op o = single;
            single = null;
            probeOp = null;
            o.then().accept(result);
            return true;
        }
        if (probeOp != null && probeOp.equals(op) && status != null) {
            Task.Status st = status;
            status = null;
            probeOp = null;
            st.then().accept(result);
            return true;
        }
        if (probeOp != null && probeOp.equals(op)) {
            Task.Probe p = probe;
            probe = null;
            probeOp = null;
            p.then().accept(result == OpResult.RUNNING);
            return true;
        }
        if (run == null || run.pending() == null || !run.pending().equals(op)) {
            return false;
        }
        run.result(now, result);
        finishIfDone();
        return true;
    }

    /**
     * The daemon's address step of the pending stop {@code op} is done (the address is gone, nothing of
     * this node announces it; the script still runs): the running job's {@link Job#whenAddressGone}
     * action runs when this stop is its last ({@link GroupRun#lastStopIsAddress}) and only actions follow.
     * False when nothing ran.
     */
    boolean addressReleased(ResourceOp op) {
        if (current == null || current.onAddressGone == null || run == null || !op.equals(run.pending()) || !run.lastStopIsAddress()) {
            return false;
        }
        for (Task t : current.tasks) {
            if (!(t instanceof Task.Act)) {
                return false;
            }
        }
        Runnable r = current.onAddressGone;
        current.onAddressGone = null;
        current.addressGone = true;
        r.run();
        return true;
    }

    void tick(long now) {
        if (run != null) {
            run.tick(now);
        }
    }

    private void finishIfDone() {
        if (run != null && run.outcome() != null) {
            GroupRun r = run;
            Task.Group g = groupTask;
            run = null;
            groupTask = null;
            host.groupFinished(r);
            g.then().accept(r.outcome());
        }
    }
}
