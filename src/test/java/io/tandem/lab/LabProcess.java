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
 */
public final class LabProcess implements AutoCloseable {
    private final String host;
    private final String description;
    private final Process process;
    private final Writer stdin;
    private final List<String> lines = new ArrayList<>();
    private final Thread reader;

    LabProcess(String host, String description, Process process) {
        this.host = host;
        this.description = description;
        this.process = process;
        this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        this.reader = new Thread(this::collect, "lab-output-" + host);
        this.reader.setDaemon(true);
        this.reader.start();
    }

    public String host() {
        return host;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
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
        Poll.within(timeout, () -> !lines(match).isEmpty() || !process.isAlive() && !reader.isAlive());
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
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
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
        process.destroyForcibly();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return description + " on " + host + " (pid " + process.pid() + ")";
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
