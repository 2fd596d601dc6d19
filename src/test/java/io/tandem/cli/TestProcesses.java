package io.tandem.cli;

import io.tandem.lab.ExecResult;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Commands the CLI tests run as processes: the checkout's scripts, this JVM's classes, another user. */
final class TestProcesses {
    /** The checkout (surefire runs the tests there). */
    static final Path CHECKOUT = Path.of(System.getProperty("user.dir"));
    static final boolean ROOT = "root".equals(System.getProperty("user.name"));

    private TestProcesses() {
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** {@code java ... io.tandem.cli.Main ARGS} with this test's class path. */
    static List<String> tandem(String classPath, List<String> args) {
        List<String> cmd = new ArrayList<>(List.of(java(), "-Xmx64m", "-XX:TieredStopAtLevel=1", "-XX:-UsePerfData", "-Xshare:auto",
                "-cp", classPath, "io.tandem.cli.Main"));
        cmd.addAll(args);
        return cmd;
    }

    static boolean onPath(String tool) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .anyMatch(d -> !d.isEmpty() && Files.isExecutable(Path.of(d, tool)));
    }

    /** Runs a command to its end; stdout and stderr apart, byte for byte (as UTF-8). {@code env} is added to this one's. */
    static ExecResult run(List<String> cmd, Map<String, String> env, Path scratch) throws IOException, InterruptedException {
        Path out = Files.createTempFile(scratch, "out", ".txt");
        Path err = Files.createTempFile(scratch, "err", ".txt");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("still running after 120 s: " + cmd);
        }
        try {
            return new ExecResult(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.delete(out);
            Files.delete(err);
        }
    }

    /** Whether a process has ended: gone, or a zombie its parent (this JVM) has not reaped yet. */
    static boolean ended(long pid) throws IOException {
        Path stat = Path.of("/proc", Long.toString(pid), "stat");
        try {
            String s = Files.readString(stat);
            return s.substring(s.lastIndexOf(')') + 2).startsWith("Z");
        } catch (java.nio.file.NoSuchFileException e) {
            return true;
        }
    }

    /** The command run as nobody (root only): setpriv drops to uid/gid 65534. */
    static List<String> asNobody(List<String> cmd) {
        List<String> all = new ArrayList<>(List.of("/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"));
        all.addAll(cmd);
        return all;
    }

    /**
     * This JVM's class path copied below {@code home} where any user can read it (root's ~/.m2 is
     * not readable by other users); {@code home} is opened to all.
     */
    static String readableClassPath(Path home) throws IOException {
        Files.setPosixFilePermissions(home, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
        Path lib = Files.createDirectories(home.resolve("lib"));
        List<String> entries = new ArrayList<>();
        int n = 0;
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path src = Path.of(e);
            if (!Files.exists(src)) {
                continue;
            }
            Path dst = lib.resolve((n++) + "-" + src.getFileName());
            if (Files.isDirectory(src)) {
                try (Stream<Path> files = Files.walk(src)) {
                    for (Path f : (Iterable<Path>) files::iterator) {
                        Path t = dst.resolve(src.relativize(f).toString());
                        if (Files.isDirectory(f)) {
                            Files.createDirectories(t);
                        } else {
                            Files.copy(f, t, StandardCopyOption.REPLACE_EXISTING);
                        }
                    }
                }
            } else {
                Files.copy(src, dst, StandardCopyOption.REPLACE_EXISTING);
            }
            entries.add(dst.toString());
        }
        try (Stream<Path> files = Files.walk(home)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                f.toFile().setReadable(true, false);
                if (Files.isDirectory(f)) {
                    f.toFile().setExecutable(true, false);
                }
            }
        }
        return String.join(File.pathSeparator, entries);
    }
}
