package io.tandem.bench;

import io.tandem.lab.Lab;
import io.tandem.lab.LabProcess;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;

/**
 * The client's view: a shell in the client namespace that starts a {@code curl} of the VIP every
 * 20 ms (each in the background, so a hanging request does not delay the next) and prints the
 * moment each one finished (bash's {@code EPOCHREALTIME}, the machine's wall clock) with the page.
 */
final class ClientProbe implements AutoCloseable {
    private final LabProcess shell;

    private ClientProbe(LabProcess shell) {
        this.shell = shell;
    }

    static ClientProbe start(Lab lab, String vip) {
        String loop = "while :; do { r=$(curl -s -m 0.5 http://" + vip + "/ 2>/dev/null); t=${EPOCHREALTIME/./}; echo \"served $t $r\"; } & sleep 0.02; done";
        return new ClientProbe(lab.spawn(Lab.CLIENT, "bash", "-c", loop));
    }

    /**
     * Waits until a request that finished at or after {@code t0Millis} got the page of {@code node}
     * (any page when {@code node} is null); returns the milliseconds from {@code t0Millis}, or empty at the deadline.
     */
    OptionalLong servedBy(String node, long t0Millis, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        int seen = 0;
        while (System.nanoTime() < deadline) {
            List<String> lines = shell.lines();
            for (int i = seen; i < lines.size(); i++) {
                String[] f = lines.get(i).split(" ", 3);
                if (f.length == 3 && f[0].equals("served") && !f[2].isBlank()) {
                    long ms = Long.parseLong(f[1]) / 1000;
                    if (ms >= t0Millis && (node == null || f[2].strip().equals(node))) {
                        return OptionalLong.of(ms - t0Millis);
                    }
                }
            }
            seen = lines.size();
            java.util.concurrent.locks.LockSupport.parkNanos(5_000_000); // reading period of the collected output
        }
        return OptionalLong.empty();
    }

    /** The page of the first answer at or after {@code t0Millis}. */
    String firstPageAfter(long t0Millis) {
        for (String line : shell.lines()) {
            String[] f = line.split(" ", 3);
            if (f.length == 3 && f[0].equals("served") && !f[2].isBlank() && Long.parseLong(f[1]) / 1000 >= t0Millis) {
                return f[2].strip();
            }
        }
        return "";
    }

    /**
     * The longest time between two served fetches (a page, any node) that finished in
     * [{@code fromMillis}, {@code toMillis}], counting from the last one served before {@code fromMillis}:
     * how long the client saw no answer at all around a move (-1 when nothing was served in the window).
     */
    long longestGap(long fromMillis, long toMillis) {
        return longestGap(shell.lines(), fromMillis, toMillis);
    }

    static long longestGap(List<String> lines, long fromMillis, long toMillis) {
        java.util.List<Long> served = new java.util.ArrayList<>();
        for (String line : lines) {
            String[] f = line.split(" ", 3);
            if (f.length == 3 && f[0].equals("served") && !f[2].isBlank() && f[1].matches("[0-9]{1,19}")) {
                served.add(Long.parseLong(f[1]) / 1000);
            }
        }
        java.util.Collections.sort(served); // the fetches run in parallel: they may finish out of order
        long previous = Long.MIN_VALUE;
        long gap = -1;
        for (long t : served) {
            if (t > toMillis) {
                break;
            }
            if (t >= fromMillis) {
                gap = Math.max(gap, previous == Long.MIN_VALUE ? 0 : t - previous);
            }
            previous = t;
        }
        return gap;
    }

    @Override
    public void close() {
        shell.close();
    }
}
