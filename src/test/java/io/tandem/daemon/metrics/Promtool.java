package io.tandem.daemon.metrics;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Prometheus' {@code promtool} (Debian package {@code prometheus}), for tests that check the text format and the alert rules. */
public final class Promtool {
    private static final Path PATH = Path.of("/usr/bin/promtool");

    private Promtool() {
    }

    /** Where it is, if installed. */
    public static Optional<Path> find() {
        return Files.isExecutable(PATH) ? Optional.of(PATH) : Optional.empty();
    }

    /** Why a test is skipped without it. */
    public static final String MISSING = "promtool is not installed (apt-get install prometheus): the format check needs it";

    public record Result(int exitCode, String output) {
    }

    /** {@code promtool check metrics} with {@code text} on its standard input. */
    public static Result checkMetrics(String text) throws IOException, InterruptedException {
        return run(text, "check", "metrics");
    }

    /** {@code promtool ARGS...}, with {@code input} on its standard input. */
    public static Result run(String input, String... args) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>();
        argv.add(PATH.toString());
        argv.addAll(List.of(args));
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        try (var in = p.getOutputStream()) {
            in.write(input.getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("promtool did not end within 60 s");
        }
        return new Result(p.exitValue(), out);
    }
}
