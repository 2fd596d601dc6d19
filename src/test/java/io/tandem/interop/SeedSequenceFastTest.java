package io.tandem.interop;

import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;

/** The seed scenario with fast timers (keepalive 100ms, deadtime 500ms): the whole sequence in seconds. */
class SeedSequenceFastTest extends SeedScenario {
    @BeforeAll
    static void start() {
        up("tsq", FAST_TIMERS);
    }

    @Override
    Duration stepLimit() {
        return Duration.ofSeconds(60);
    }
}
