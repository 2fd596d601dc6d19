package io.tandem.membership;

/** An {@link Environment} for engine tests: every random draw is 0, the load average a fixed text. */
public final class FixedEnvironment implements Environment {
    private final String loadAverage;

    public FixedEnvironment(String loadAverage) {
        this.loadAverage = loadAverage;
    }

    @Override
    public long random(long bound) {
        return 0;
    }

    @Override
    public String loadAverage() {
        return loadAverage;
    }
}
