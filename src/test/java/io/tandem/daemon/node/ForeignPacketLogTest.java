package io.tandem.daemon.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** At most one line per medium a minute, with the count; the timer is driven by hand. */
class ForeignPacketLogTest {
    private final List<String> lines = new ArrayList<>();
    private final List<Runnable> due = new ArrayList<>();
    private final ForeignPacketLog log = new ForeignPacketLog(lines::add, (delay, task) -> {
        assertThat(delay).isEqualTo(60_000);
        due.add(task);
    });

    @Test
    void the_first_drop_is_logged_at_once_and_the_rest_of_the_minute_in_one_line() throws Exception {
        InetAddress a = InetAddress.getByName("198.51.100.60");
        InetAddress b = InetAddress.getByName("198.51.100.61");
        for (int i = 0; i < 20; i++) {
            log.dropped("ucast eth1", i < 19 ? a : b);
        }
        assertThat(lines).containsExactly("Dropped a packet on ucast eth1 from 198.51.100.60, which is not a configured peer "
                + "(further ones are counted and reported once a minute)");

        minutePasses();
        assertThat(lines).hasSize(2).last().isEqualTo(
                "Dropped 19 packet(s) on ucast eth1 from addresses that are not configured peers (last from 198.51.100.61) in the last 60 s");

        log.dropped("ucast eth1", a);
        minutePasses();
        assertThat(lines).hasSize(3).last().asString().startsWith("Dropped 1 packet(s) on ucast eth1");

        minutePasses(); // a quiet minute ends the summaries
        assertThat(due).isEmpty();
        log.dropped("ucast eth1", b);
        assertThat(lines).hasSize(4).last().asString().startsWith("Dropped a packet on ucast eth1 from 198.51.100.61");
    }

    @Test
    void each_medium_has_its_own_minute() throws Exception {
        InetAddress a = InetAddress.getByName("198.51.100.60");
        log.dropped("ucast eth1", a);
        log.dropped("ucast eth2", a);
        log.dropped("ucast eth1", a);
        assertThat(lines).hasSize(2);
        minutePasses();
        assertThat(lines).hasSize(3).last().asString().startsWith("Dropped 1 packet(s) on ucast eth1");
    }

    private void minutePasses() {
        List<Runnable> now = new ArrayList<>(due);
        due.clear();
        now.forEach(Runnable::run);
    }
}
