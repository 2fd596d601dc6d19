package io.tandem.daemon.node;

import io.tandem.daemon.os.Urandom;
import io.tandem.membership.Environment;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * The membership engine's view of this machine: random numbers (for retransmit and ack jitter, not
 * for keys: a fast generator seeded once from the system's secure source) and /proc/loadavg, read at
 * most once a second (the kernel updates it every 5 s; every heartbeat carries it).
 */
final class MachineEnvironment implements Environment {
    private static final Path LOADAVG = Path.of("/proc/loadavg");
    private static final long LOADAVG_TTL_NANOS = 1_000_000_000L;
    private final SplittableRandom random = new SplittableRandom(Urandom.nextLong());
    private String load;
    private long loadReadAt;

    @Override
    public long random(long bound) {
        return random.nextLong(bound);
    }

    @Override
    public String loadAverage() {
        long now = System.nanoTime();
        if (load == null || now - loadReadAt >= LOADAVG_TTL_NANOS) {
            try {
                load = Files.readString(LOADAVG, StandardCharsets.US_ASCII).strip();
            } catch (IOException e) {
                load = "n/a";
            }
            loadReadAt = now;
        }
        return load;
    }
}
