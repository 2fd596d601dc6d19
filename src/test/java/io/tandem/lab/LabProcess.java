package io.tandem.lab;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A long-running process inside a lab host, started by {@link Lab#spawn} or {@link Lab#startJava}:
 * its combined stdout/stderr is collected line by line, its stdin can be written to.
 * <p>
 * The JVM's child is {@code nsenter}, which forks the command into the host's PID namespace and
 * waits for it; {@link #pid} is the command's own pid. When the command is stopped (SIGSTOP: a
 * frozen daemon), nsenter stops itself as well and stays stopped after the command is continued;
 * this class continues it again then (see {@link #wakeEnterer}), so exits are still seen.
 */
public final class LabProcess implements AutoCloseable {
    private final String host;
    private final String description;
    private final Process process;
    private final Writer stdin;
    private final List<String> lines = new ArrayList<>();
    private final Thread reader;
    private final boolean entered;
    private long commandPid = -1;

    /** A process of the machine itself (not entered into a lab host). */
    LabProcess(String host, String description, Process process) {
        this(host, description, process, false);
    }

    private LabProcess(String host, String description, Process process, boolean entered) {
        this.entered = entered;
        this.host = host;
        this.description = description;
        this.process = process;
        this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        this.reader = new Thread(this::collect, "lab-output-" + host);
        this.reader.setDaemon(true);
        this.reader.start();
    }

    /** A process started with {@code nsenter ... -- COMMAND} (see {@link HostInit#enter}). */
    static LabProcess entered(String host, String description, Process process) {
        return new LabProcess(host, description, process, true);
    }

    public String host() {
        return host;
    }

    /** The command's pid as the machine numbers it (for kill, SIGSTOP, /proc from the test). */
    public synchronized long pid() {
        if (!entered) {
            return process.pid();
        }
        if (commandPid < 0) {
            long[] child = {-1};
            Poll.within(Duration.ofSeconds(10), () -> {
                child[0] = process.toHandle().children().mapToLong(ProcessHandle::pid).findFirst().orElse(-1);
                return child[0] > 0 || !process.isAlive();
            });
            if (child[0] < 0) {
                throw new IllegalStateException(description + " on " + host + " has no process (it exited with "
                        + (process.isAlive() ? "?" : process.exitValue()) + "); output:\n" + output());
            }
            commandPid = child[0];
        }
        return commandPid;
    }

    public boolean isAlive() {
        wakeEnterer();
        return process.isAlive();
    }

    /** Writes one line to the process's stdin and flushes. */
    public void println(String line) {
        try {
            stdin.write(line);
            stdin.write('\n');
            stdin.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(description + " on " + host + ": cannot write stdin (exited? output: " + output() + ")", e);
        }
    }

    /** All output lines so far (stdout and stderr interleaved). */
    public synchronized List<String> lines() {
        return List.copyOf(lines);
    }

    public String output() {
        return String.join("\n", lines());
    }

    /** Lines so far that match. */
    public List<String> lines(Predicate<String> match) {
        return lines().stream().filter(match).toList();
    }

    /** Waits until a line matching {@code match} has been printed; returns the first such line. */
    public String awaitLine(Duration timeout, Predicate<String> match, String what) {
        Poll.within(timeout, () -> !lines(match).isEmpty() || !isAlive() && !reader.isAlive());
        if (lines(match).isEmpty()) {
            throw new AssertionError("no line with " + what + " from " + description + " on " + host
                    + (process.isAlive() ? " within " + timeout.toMillis() + " ms" : " (it exited with " + process.exitValue() + ")")
                    + "; output:\n" + output());
        }
        return lines(match).get(0);
    }

    /** Waits for the process to exit on its own; returns the exit code. */
    public int waitFor(Duration timeout) {
        try {
            if (!Poll.within(timeout, () -> !isAlive())) {
                throw new AssertionError(description + " on " + host + " still running after " + timeout.toMillis() + " ms; output:\n" + output());
            }
            reader.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
        return process.exitValue();
    }

    /** Kills the process (SIGKILL) and its descendants, and waits for it. */
    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        if (entered) {
            // nsenter reaps the killed command and exits with it. Killed first, it would leave the command's
            // zombie to the machine's init, and a zombie holding the pid in the daemon's pid file looks
            // alive to the next daemon started there ("already running").
            Poll.within(Duration.ofSeconds(5), () -> !isAlive());
        }
        process.destroyForcibly();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return description + " on " + host + " (pid " + (entered && commandPid > 0 ? commandPid : process.pid()) + ")";
    }

    /**
     * nsenter waits for its child with WUNTRACED: when the child stops it stops itself, and only a
     * SIGCONT to nsenter makes it continue the child and wait again. A test that freezes a daemon
     * continues the daemon itself, which leaves nsenter stopped and the daemon's exit unseen; once the
     * daemon is no longer stopped, nsenter is continued here (its SIGCONT to the daemon is then a no-op).
     */
    private void wakeEnterer() {
        if (!entered || HostInit.state(process.pid()) != 'T'
                || process.toHandle().children().anyMatch(child -> HostInit.state(child.pid()) == 'T')) {
            return;
        }
        try {
            new ProcessBuilder("kill", "-CONT", Long.toString(process.pid())).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor(5, TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot continue nsenter of " + this, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void collect() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                synchronized (this) {
                    lines.add(line);
                }
            }
        } catch (IOException e) {
            synchronized (this) {
                lines.add("[lab: output stream closed: " + e.getMessage() + "]");
            }
        }
    }
}
