package io.tandem.daemon.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A dead link costs one line per medium and interval, not one per packet (the lab fault campaign's
 * power-off faults logged two ERROR lines a second per downed link).
 */
class SendFailureLogTest {
    private final List<String> lines = new ArrayList<>();
    private final List<Runnable> timers = new ArrayList<>();
    private long now = 1_000;
    private final SendFailureLog log = new SendFailureLog(lines::add, () -> now, (delay, task) -> timers.add(task), 10_000);

    private static String unreachable(String dest, int len) {
        return "Unable to send HBcomm packet eth0 " + dest + ":694 len=" + len + ": Network is unreachable";
    }

    @Test
    void aDeadLinkGivesTheFirstFailureAndThenOneSummaryPerInterval() {
        for (int i = 0; i < 20; i++) { // ten seconds of a keepalive of 1 s and its resource messages
            now += 500;
            log.failed("bcast eth0", unreachable("192.0.2.255", 290 + i));
        }
        assertThat(lines).containsExactly(unreachable("192.0.2.255", 290));
        assertThat(timers).hasSize(1);
        now += 500;
        timers.remove(0).run();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(1)).isEqualTo("Unable to send 19 more packets on bcast eth0 in the last 10 s (last: "
                + unreachable("192.0.2.255", 309) + ")");
    }

    @Test
    void eachMediumHasItsOwnWindow() {
        log.failed("bcast eth0", "a");
        log.failed("bcast eth1", "b");
        log.failed("bcast eth0", "c");
        assertThat(lines).containsExactly("a", "b");
        assertThat(timers).hasSize(1);
        now += 10_000;
        timers.remove(0).run();
        assertThat(lines).containsExactly("a", "b", "Unable to send 1 more packets on bcast eth0 in the last 10 s (last: c)");
        now += 10_000; // a new interval: the next failure is written at once
        log.failed("bcast eth0", "d");
        assertThat(lines).last().isEqualTo("d");
    }
}
