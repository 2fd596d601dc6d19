package io.tandem.cli;

import io.tandem.daemon.control.ControlClient;
import io.tandem.daemon.control.ControlReply;
import io.tandem.daemon.lifecycle.DaemonPaths;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * What both demos show: every 100 ms each node's view (through its control socket) and what the
 * client gets, printed when it changes; waiting for a node to serve; stopping and cleaning up.
 */
final class DemoWatch {
    static final Duration TICK = Duration.ofMillis(100);

    private final String[] nodes;
    private final IntFunction<Path> runDir;
    private final Supplier<String> fetch;
    private final PrintStream out;
    private final long t0 = System.nanoTime();
    private String lastLine = "";

    /** @param runDir each node's run directory (--run-dir) */
    DemoWatch(String[] nodes, IntFunction<Path> runDir, Supplier<String> fetch, PrintStream out) {
        this.nodes = nodes.clone();
        this.runDir = runDir;
        this.fetch = fetch;
        this.out = out;
    }

    /** Polls until the page names {@code node}; returns System.nanoTime() then, or -1 after {@code limit}. */
    long waitFor(String node, Duration limit) throws InterruptedException {
        long until = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < until) {
            if (node.equals(show())) {
                return System.nanoTime();
            }
            Thread.sleep(TICK.toMillis());
        }
        return -1;
    }

    /** Keeps showing for {@code d}. */
    void watch(Duration d) throws InterruptedException {
        long until = System.nanoTime() + d.toNanos();
        while (System.nanoTime() < until) {
            show();
            Thread.sleep(TICK.toMillis());
        }
    }

    /** One observation, printed when it changed; returns the page ("" when nothing answered). */
    String show() {
        String page = fetch.get();
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < 2; i++) {
            ControlReply status = request(i, "cl_status", "nodestatus", nodes[i]);
            ControlReply peer = request(i, "cl_status", "nodestatus", nodes[1 - i]);
            String state = status.out().isEmpty() ? "not running"
                    : status.out().strip() + " (sees " + nodes[1 - i] + " " + (peer.out().isBlank() ? "?" : peer.out().strip()) + ")";
            line.append(String.format("%s: %-28s ", nodes[i], state));
        }
        line.append("| client: ").append(page.isEmpty() ? "(no answer)" : "served by " + page);
        if (!line.toString().equals(lastLine)) {
            lastLine = line.toString();
            out.printf("[%6.1f s] %s%n", (System.nanoTime() - t0) / 1e9, lastLine);
        }
        return page;
    }

    ControlReply request(int i, String... words) {
        try {
            return ControlClient.request(DaemonPaths.controlSocket(runDir.apply(i)), List.of(words));
        } catch (IOException e) {
            return ControlReply.fail(3, "");
        }
    }

    /** {@code tandem stop} on node {@code i}, in the background: its answer comes only once the daemon is gone. */
    void stop(int i) {
        Thread t = new Thread(() -> request(i, "stop", "--wait", "30"), "demo-stop-" + nodes[i]);
        t.setDaemon(true);
        t.start();
    }

    /** Asks the daemons still running to stop (handing over), waits a little, kills what is left. */
    void stopAll(Process[] daemons) {
        for (int i = 0; i < daemons.length; i++) {
            if (daemons[i] != null && daemons[i].isAlive()) {
                stop(i);
            }
        }
        for (Process p : daemons) {
            try {
                if (p != null && !p.waitFor(10, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Removes the demo's temporary files. */
    void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            out.println("could not remove " + dir + ": " + e.getMessage());
        }
    }
}
