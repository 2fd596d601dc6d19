package io.tandem.sim;

/** Campaign size: the build runs {@link #SEEDS} seeds for 2 and for 3 nodes, {@link #STEPS} steps each. */
final class Campaign {
    static final int SEEDS = 1_000;
    static final int STEPS = 40;

    private Campaign() {
    }
}
