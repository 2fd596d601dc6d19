package io.tandem.daemon.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/** A request that reaches a daemon whose loop has already stopped gets "stopping", not an exception dump. */
class EventLoopStoppingTest {
    @Test
    void askAndPostAfterCloseAreHandled() {
        EventLoop loop = new EventLoop("test-loop", new DaemonClock(), e -> { });
        assertThat(loop.ask(() -> 42)).succeedsWithin(Duration.ofSeconds(5)).isEqualTo(42);
        loop.close();
        assertThat(loop.ask(() -> 42)).failsWithin(Duration.ofSeconds(5)).withThrowableOfType(ExecutionException.class)
                .withCauseInstanceOf(EventLoop.Stopping.class).withMessageContaining("the daemon is stopping");
        assertThatCode(() -> loop.post(now -> { })).doesNotThrowAnyException();
    }
}
