package io.tandem.daemon.os;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The name {@code ps} and {@code top} show for the process: the kernel's {@code comm} of the
 * thread-group leader (the JVM's primordial thread, not the thread that runs {@code main}), which
 * any thread of the process may rewrite through {@code /proc/self/task/PID/comm}. The launcher sets
 * argv[0] ({@code exec -a tandem}), which {@code ps -f} shows; this sets the short name (at most 15
 * bytes), which {@code ps}, {@code top}, {@code pgrep tandem} and {@code pidof} use.
 */
public final class ProcessName {
    private ProcessName() {
    }

    /** Renames the process; an error (no /proc) is returned as text, the name stays {@code java} then. */
    public static java.util.Optional<String> set(String name) {
        long pid = ProcessHandle.current().pid();
        Path comm = Path.of("/proc/self/task", Long.toString(pid), "comm");
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        if (bytes.length == 0 || bytes.length > 15) {
            throw new IllegalArgumentException("a process name has 1 to 15 bytes: '" + name + "'");
        }
        try {
            Files.write(comm, bytes);
            return java.util.Optional.empty();
        } catch (IOException | UnsupportedOperationException e) {
            return java.util.Optional.of("cannot name the process " + name + " (" + comm + "): " + e.getMessage());
        }
    }
}
