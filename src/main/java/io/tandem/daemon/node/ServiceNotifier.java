package io.tandem.daemon.node;

import io.tandem.daemon.control.ControlClient;
import io.tandem.daemon.lifecycle.ServiceManager;
import io.tandem.daemon.loop.EventLoop;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * Tells systemd ({@link ServiceManager}) how the daemon is: {@code READY=1} once the control socket
 * answers a ping, a {@code STATUS=} line whenever the summary changes, {@code STOPPING=1} when the
 * hand-over starts, and {@code WATCHDOG=1} from a task on the event loop itself, so a hung loop
 * stops feeding the watchdog and systemd kills the daemon (a hang becomes a crash the peer sees as
 * silence). The task runs every half watchdog period (at most every second, for the status line).
 */
final class ServiceNotifier {
    /** How often the status line is compared (and the watchdog fed, if its half period is longer). */
    static final long STATUS_PERIOD_MS = 1000;

    private final ServiceManager manager;
    private final EventLoop loop;
    private final Supplier<String> summary;
    private final long periodMs;
    private final AtomicBoolean stopping = new AtomicBoolean();
    private String lastStatus = "";

    /** @param summary the one-line status, read on the loop thread */
    ServiceNotifier(ServiceManager manager, EventLoop loop, Supplier<String> summary) {
        this.manager = manager;
        this.loop = loop;
        this.summary = summary;
        this.periodMs = Math.max(1, Math.min(STATUS_PERIOD_MS, manager.watchdogMillis().orElse(2 * STATUS_PERIOD_MS) / 2));
    }

    /**
     * Called once the control server listens: asks it {@code ping} as a client would, then says
     * READY from the loop thread and starts the periodic task there. Does nothing without systemd.
     */
    void controlSocketOpen(Path socket) {
        if (!manager.active()) {
            return;
        }
        if (ControlClient.ask(socket, List.of("ping")).exitCode() != 0) {
            return; // not answering: systemd's start timeout reports the failed start
        }
        loop.post(now -> {
            lastStatus = line();
            manager.ready(lastStatus);
            manager.watchdog();
            again();
        });
    }

    /** The hand-over begins (SIGTERM, {@code tandem stop}): STOPPING=1, once. Any thread. */
    void stopping() {
        if (manager.active() && stopping.compareAndSet(false, true)) {
            manager.stopping("stopping: handing the groups over to the peer");
        }
    }

    private void tick(long now) {
        manager.watchdog();
        String status = line();
        if (!status.equals(lastStatus) && manager.status(status)) { // not sent (systemd's queue full): again next time
            lastStatus = status;
        }
        again();
    }

    private void again() {
        try {
            loop.after(periodMs, this::tick);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // the loop has stopped (the daemon is leaving): systemd sees the process end
        }
    }

    private String line() {
        return (stopping.get() ? "stopping, " : "") + summary.get();
    }
}
