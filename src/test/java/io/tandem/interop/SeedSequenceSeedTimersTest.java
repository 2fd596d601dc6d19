package io.tandem.interop;

import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;

/**
 * The seed scenario exactly as DEVELOPERS.md writes it: keepalive 2, deadtime 15, warntime 10,
 * initdead 60, bcast on the heartbeat LAN, auto_failback off, ping the gateway. Node 1 alone
 * serves after initdead; the power-off is taken over after deadtime.
 */
class SeedSequenceSeedTimersTest extends SeedScenario {
    @BeforeAll
    static void start() {
        up("tss", SEED_TIMERS);
    }

    @Override
    Duration stepLimit() {
        return Duration.ofSeconds(120);
    }
}
