package io.tandem.sim;

import io.tandem.resources.GroupSpec;

/** What a test may watch in a {@link Cluster} beyond its invariants (ProbeSimulationTest, FreezeSimulationTest). */
interface ClusterObserver {
    /** {@code by} declared {@code peer} dead while {@code peer}'s daemon runs. */
    default void declaredDeadWhileUp(Cluster.Node by, Cluster.Node peer) {
    }

    /** {@code n} starts a resource of group {@code g}. */
    default void starting(Cluster.Node n, GroupSpec g) {
    }
}
