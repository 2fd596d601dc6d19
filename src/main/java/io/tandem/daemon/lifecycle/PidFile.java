package io.tandem.daemon.lifecycle;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The daemon's pid file, with heartbeat's "already running" rule: a pid file whose process is
 * alive (and is a Java process of this daemon's user, so a recycled pid of some other program or
 * another user's process does not count) means a daemon runs; a stale one is replaced. It is written
 * through {@link PrivateDirectory#write} (never through a link).
 */
public final class PidFile {
    private static final String ME = ProcessHandle.current().info().user().orElse("");
    private final Path path;

    public PidFile(Path path) {
        this.path = path;
    }

    public Path path() {
        return path;
    }

    /** The pid of the running daemon, if the file names a live process. */
    public Optional<Long> runningPid() {
        try {
            String text = Files.readString(path, StandardCharsets.US_ASCII).trim();
            long pid = Long.parseLong(text);
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                    .filter(p -> p.info().command().map(c -> c.endsWith("/java") || c.endsWith("java")).orElse(true))
                    .filter(p -> p.info().user().map(u -> u.equals(ME)).orElse(true))
                    .map(ProcessHandle::pid);
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Writes this process's pid (after checking no other daemon runs). */
    public void claim() throws IOException {
        Optional<Long> other = runningPid();
        if (other.isPresent() && other.get() != ProcessHandle.current().pid()) {
            throw new IOException("already running as pid " + other.get() + " (pid file " + path + ")");
        }
        PrivateDirectory.write(path, (ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII), false);
    }

    /** Removes the file if it still names this process. */
    public void release() {
        try {
            if (runningPid().map(p -> p == ProcessHandle.current().pid()).orElse(true)) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            // Nothing more to do at exit.
        }
    }
}
