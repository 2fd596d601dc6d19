package io.tandem.sim;

import io.tandem.membership.Environment;
import java.util.Random;

/** A simulated machine's randomness (the run's one seeded source) and a fixed load average, for a membership engine. */
final class SimEnvironment implements Environment {
    private final Random random;

    SimEnvironment(Random random) {
        this.random = random;
    }

    @Override
    public long random(long bound) {
        return Math.floorMod(random.nextLong(), bound);
    }

    @Override
    public String loadAverage() {
        return "0.00 0.00 0.00 1/1 1";
    }
}
