package io.tandem.daemon.node;

import io.tandem.membership.Environment;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;

/** The membership engine's view of this machine: a strong random source and /proc/loadavg. */
final class MachineEnvironment implements Environment {
    private static final Path LOADAVG = Path.of("/proc/loadavg");
    private final SecureRandom random = new SecureRandom();

    @Override
    public long random(long bound) {
        return Math.floorMod(random.nextLong(), bound);
    }

    @Override
    public String loadAverage() {
        try {
            return Files.readString(LOADAVG, StandardCharsets.US_ASCII).strip();
        } catch (IOException e) {
            return "n/a";
        }
    }
}
