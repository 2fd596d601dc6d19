package io.tandem.daemon.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a setup command in a test and returns its output. */
public final class Cmd {
    private Cmd() {
    }

    /** Runs the command; fails the test with its output if it does not exit 0. */
    public static String run(String... argv) {
        Result r = tryRun(argv);
        if (r.code != 0) {
            throw new AssertionError(String.join(" ", argv) + " exited " + r.code + ": " + r.output);
        }
        return r.output;
    }

    /** Runs the command and returns exit code and output, whatever they are. */
    public static Result tryRun(String... argv) {
        try {
            Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(-1, "timed out");
            }
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return new Result(-1, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, "interrupted");
        }
    }

    /** {@code ip netns exec NS argv...}. */
    public static String inNs(String ns, String... argv) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        full.addAll(Arrays.asList(argv));
        return run(full.toArray(String[]::new));
    }

    public static boolean isRoot() {
        Result r = tryRun("id", "-u");
        return r.code == 0 && r.output.trim().equals("0");
    }

    public static boolean available(String program) {
        return tryRun("sh", "-c", "command -v " + program).code == 0;
    }

    public record Result(int code, String output) {
    }
}
