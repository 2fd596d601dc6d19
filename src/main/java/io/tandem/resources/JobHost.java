package io.tandem.resources;

import io.tandem.config.Severity;
import java.util.function.Predicate;

/**
 * Where the job queue reports: effects to the sink, group runs to the state, the ban check to
 * monitoring ({@code acquirable}: {@link MonitorDecisions#mayAcquire}, built after the queue), the
 * probes begun before a peer's death to {@code preProbe}.
 */
record JobHost(OwnershipState state, Effects out, Predicate<GroupSpec> acquirable, AddressPreProbe preProbe) implements Jobs.Host {
    @Override
    public void run(ResourceOp op) {
        out.run(op);
    }

    @Override
    public boolean preProbed(ResourceOp.Action action, String resource) {
        return action == ResourceOp.Action.START ? preProbe.takeForStart(resource, state.now) : preProbe.stands(resource, state.now);
    }

    @Override
    public void log(Severity level, String source, String text) {
        out.log(level, source, text);
    }

    @Override
    public void groupStarted(GroupRun run) {
        state.groupRunStarted(run);
    }

    @Override
    public boolean mayAcquire(GroupSpec group) {
        return acquirable.test(group);
    }

    @Override
    public void groupFinished(GroupRun run) {
        state.groupRunFinished(run);
    }
}
