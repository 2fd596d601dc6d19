package io.tandem.daemon.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.config.Severity;
import io.tandem.wire.RejectReason;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** One line per reason and interval in total, whatever the number of packets or (spoofed) sources. */
class RejectLogTest {
    private final List<String> lines = new ArrayList<>();
    private final List<Runnable> timers = new ArrayList<>();
    private final List<Long> timerAt = new ArrayList<>();
    private long now = 5_000;
    private final RejectLog log = new RejectLog((s, t) -> lines.add(s + ": " + t), () -> now, (delay, task) -> {
        timers.add(task);
        timerAt.add(now + delay);
    });

    private void fireTimersUpTo(long t) {
        now = t;
        for (int i = 0; i < timers.size(); i++) {
            if (timerAt.get(i) <= t && timers.get(i) != null) {
                Runnable r = timers.get(i);
                timers.set(i, null);
                r.run();
            }
        }
    }

    @Test
    void aFloodFromRandomSourcesGivesOneLineAtOnceAndOneSummaryPerInterval() {
        Random random = new Random(1);
        for (int i = 0; i < 100_000; i++) {
            String from = random.nextInt(256) + "." + random.nextInt(256) + "." + random.nextInt(256) + "." + random.nextInt(256);
            now += i % 10 == 0 ? 1 : 0; // 100 k packets in 10 s
            log.reject(RejectReason.BAD_AUTH, () -> "Invalid authentication of packet from " + from + " on eth1");
        }
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0)).startsWith("ERROR: Invalid authentication of packet from ");
        fireTimersUpTo(now + RejectLog.INTERVAL_MS);
        assertThat(lines).hasSize(2);
        assertThat(lines.get(1)).startsWith("ERROR: Rejected 99999 more packets with invalid authentication in the last ")
                .contains("(last: Invalid authentication of packet from ");
        assertThat(log.totals()).containsEntry(RejectReason.BAD_AUTH, 100_000L).hasSize(1);
        assertThat(timers.stream().filter(t -> t != null)).isEmpty();
    }

    @Test
    void aLoneRejectionIsLoggedAtOnceAndTheNextIntervalStartsFresh() {
        log.reject(RejectReason.REPLAY, () -> "first");
        assertThat(lines).containsExactly("ERROR: first");
        assertThat(timers).isEmpty();
        now += RejectLog.INTERVAL_MS;
        log.reject(RejectReason.REPLAY, () -> "second");
        assertThat(lines).containsExactly("ERROR: first", "ERROR: second");
    }

    @Test
    void reasonsAreCountedApartAndEachHasItsOwnLine() {
        for (int i = 0; i < 10; i++) {
            log.reject(RejectReason.UNPARSEABLE, () -> "garbage");
            log.reject(RejectReason.OVERLOAD, () -> "busy");
        }
        assertThat(lines).containsExactly("ERROR: garbage", "WARN: busy");
        fireTimersUpTo(now + RejectLog.INTERVAL_MS);
        assertThat(lines).hasSize(4).anyMatch(l -> l.startsWith("ERROR: Rejected 9 more unparseable packets"))
                .anyMatch(l -> l.startsWith("WARN: Rejected 9 more packets dropped because the node could not keep up"));
    }

    @Test
    void theTextOfASuppressedRejectionIsNeverBuilt() {
        log.reject(RejectReason.BAD_AUTH, () -> "one");
        for (int i = 0; i < 1000; i++) {
            log.reject(RejectReason.BAD_AUTH, () -> {
                throw new AssertionError("built although suppressed");
            });
        }
        assertThat(lines).hasSize(1); // (only the last one's text is built, when the summary is written)
    }
}
