package io.tandem.bench;

import io.tandem.daemon.control.ControlClient;
import io.tandem.daemon.control.ControlReply;
import io.tandem.daemon.lifecycle.DaemonPaths;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * Run inside a lab node next to its daemon (one JVM for the whole window, the same in every variant
 * of {@code bench/footprint --lab --api}): reads the late and lost heartbeat counters from the
 * control socket's {@code metrics}, prints {@code ready}, then asks {@code status --json} once a
 * second for the oldest peer heartbeat until a line arrives on stdin; then reads the counters again
 * and prints one {@link HeartbeatReadings.Window#line()} prefixed {@code window }.
 */
public final class HeartbeatSampler {
    private HeartbeatSampler() {
    }

    public static void main(String[] args) throws Exception {
        Path socket = DaemonPaths.controlSocket(DaemonPaths.DEFAULT_RUN);
        AtomicBoolean stop = new AtomicBoolean();
        Thread stdin = new Thread(() -> {
            try {
                System.in.read();
            } catch (IOException e) {
                // stdin closed: stop as well
            }
            stop.set(true);
        }, "stdin");
        stdin.setDaemon(true);
        String before = ask(socket, "metrics");
        long late0 = HeartbeatReadings.counter(before, HeartbeatReadings.LATE);
        long lost0 = HeartbeatReadings.counter(before, HeartbeatReadings.LOST);
        if (late0 < 0 || lost0 < 0) { // no peer in the metrics: the window's deltas would be 0 whatever happened
            throw new IllegalStateException("no " + HeartbeatReadings.LATE + " or " + HeartbeatReadings.LOST + " sample in:\n" + before);
        }
        stdin.start();
        System.out.println("ready late=" + late0 + " lost=" + lost0);
        System.out.flush();
        long worst = -1;
        int samples = 0, failed = 0;
        long next = System.nanoTime();
        while (!stop.get()) {
            try {
                long age = HeartbeatReadings.worstAgeMs(ask(socket, "status", "--json"));
                worst = Math.max(worst, age);
                samples++;
            } catch (IOException | IllegalStateException e) {
                failed++;
            }
            next += 1_000_000_000L;
            LockSupport.parkNanos(Math.max(0, next - System.nanoTime()));
        }
        String after = ask(socket, "metrics");
        long late = HeartbeatReadings.counter(after, HeartbeatReadings.LATE) - late0;
        long lost = HeartbeatReadings.counter(after, HeartbeatReadings.LOST) - lost0;
        System.out.println("window " + new HeartbeatReadings.Window(late, lost, worst, samples, failed).line());
        System.out.flush();
    }

    private static String ask(Path socket, String... words) throws IOException {
        ControlReply r = ControlClient.request(socket, List.of(words));
        if (r.exitCode() != 0) {
            throw new IllegalStateException(String.join(" ", words) + ": exit " + r.exitCode() + " " + r.err());
        }
        return r.out();
    }
}
