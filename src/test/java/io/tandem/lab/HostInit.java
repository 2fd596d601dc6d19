package io.tandem.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * PID 1 of a lab host: the host is one small machine with its own network, mount, UTS and PID
 * namespace and its own /proc. {@link #boot} starts, inside the host's network namespace,
 * <pre>
 *   unshare --pid --fork --mount-proc --mount --uts --propagation private /bin/sh init.sh HOSTDIR HOSTNAME
 * </pre>
 * whose child, PID 1 of the new PID namespace, binds the host's private directories, sets the host
 * name and then becomes {@code setsid catatonit -P} (Debian's package catatonit): an init that runs no
 * program, reaps every orphan that is reparented to it and exits on SIGTERM or SIGINT. Every command
 * of the host is entered with {@code nsenter --target INIT --net --mount --uts --pid -- setsid COMMAND}
 * ({@link #enter}), so ps, pidof and /proc inside show only the host's processes.
 * <p>
 * Sessions: catatonit blocks every signal and reads them from a signalfd, so a SIGTERM or SIGINT
 * from inside the host does reach it (the kernel drops signals to a namespace's init only when their
 * handler is the default, and a blocked signal never counts as ignored) and ends the host. Started
 * from the JVM without setsid, the init and every entered command would share the process group of
 * the JVM and of Maven: Ctrl-C at Maven's terminal, or any {@code kill(0, SIGTERM)} of a host's
 * process (inside the namespace {@code getpgrp()} of such a process is 0, so
 * {@code kill(-getpgrp(), SIGTERM)}, heartbeat's emergency shutdown, is one) would reach every init
 * of the lab, every host's processes, the JVM and Maven. So the init leads a session of its own, and
 * so does every command entered (heartbeat's daemon makes its own session anyway, and Tandem's
 * ProcessRunner one per resource script); only a signal sent to PID 1 by number reaches it.
 * <p>
 * When PID 1 of a PID namespace ends, the kernel SIGKILLs every other process in it: killing the init
 * ({@link #kill}) ends the whole host at once, daemons included, like a power cut.
 */
final class HostInit {
    static final String INIT = "catatonit";
    private static final Duration BOOT_TIMEOUT = Duration.ofSeconds(30);
    private static final String INIT_SCRIPT = """
            #!/bin/sh
            # PID 1 of a lab host until it execs the init: private directories and host name, once.
            # usage: init.sh HOSTDIR HOSTNAME
            dir=$1; host=$2
            while read -r src dst; do
                [ -n "$src" ] || continue
                [ -d "$dst" ] || mkdir -p "$dst" || exit 120
                mount --bind "$src" "$dst" || { echo "lab: cannot bind $src on $dst" >&2; exit 121; }
            done < "$dir/mounts"
            hostname "$host" || exit 122
            cd /
            # a session of its own: no signal to the JVM's (Maven's) process group reaches the init
            exec setsid catatonit -P
            """;

    private final String host;
    private final Process unshare;
    private final long pid;
    private final String pidNamespace;

    private HostInit(String host, Process unshare, long pid, String pidNamespace) {
        this.host = host;
        this.unshare = unshare;
        this.pid = pid;
        this.pidNamespace = pidNamespace;
    }

    /** Writes the init script of a lab into its directory (once per lab). */
    static void writeScript(Path base) {
        try {
            Files.writeString(base.resolve("init.sh"), INIT_SCRIPT);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Starts the init of a host inside its network namespace and waits until it runs (its private
     * directories bound, its host name set); its pid (on the machine) goes to {@code HOSTDIR/init.pid}.
     */
    static HostInit boot(String host, String netns, Path base, Path hostDir, Map<String, String> env) {
        Path log = hostDir.resolve("init.log");
        Process unshare;
        try {
            ProcessBuilder pb = new ProcessBuilder("ip", "netns", "exec", netns, "unshare", "--pid", "--fork", "--mount-proc", "--mount",
                    "--uts", "--propagation", "private", "/bin/sh", base.resolve("init.sh").toString(), hostDir.toString(), host)
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            pb.environment().putAll(env);
            unshare = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException("lab: cannot start the init of " + host, e);
        }
        long[] init = {-1};
        Poll.within(BOOT_TIMEOUT, () -> {
            // the child of unshare: sh running init.sh until it execs the init
            init[0] = unshare.toHandle().descendants().mapToLong(ProcessHandle::pid).filter(p -> INIT.equals(comm(p))).findFirst().orElse(-1);
            return !unshare.isAlive() || init[0] > 0;
        });
        if (init[0] <= 0) {
            unshare.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
            unshare.destroyForcibly();
            throw new IllegalStateException("lab: the init of " + host + " did not come up"
                    + (unshare.isAlive() ? " within " + BOOT_TIMEOUT.toSeconds() + " s" : " (exit " + exitValue(unshare) + ")") + ": "
                    + read(log));
        }
        String ns = pidNamespace(init[0]).orElseThrow(() -> new IllegalStateException("lab: the init of " + host + " vanished"));
        try {
            Files.writeString(hostDir.resolve("init.pid"), init[0] + "\n");
            Files.writeString(hostDir.resolve("init.start"), startTime(init[0]) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new HostInit(host, unshare, init[0], ns);
    }

    /** The init's pid on the machine. */
    long pid() {
        return pid;
    }

    /** Whether the init (and so the host) still runs. */
    boolean running() {
        return alive(pid) && pidNamespace.equals(pidNamespace(pid).orElse(""));
    }

    /**
     * The command line that runs {@code command} inside the host, with / as its working directory, in
     * a session of its own ({@code setsid} execs the command: its pid is nsenter's child's).
     */
    List<String> enter(List<String> command) {
        List<String> cmd = new ArrayList<>(interactive(List.of("setsid")));
        cmd.addAll(command);
        return cmd;
    }

    /**
     * The command line that runs {@code command} inside the host in the caller's session, e.g. a
     * shell typed into a terminal (with {@code setsid} it would lose the terminal and job control).
     */
    List<String> interactive(List<String> command) {
        if (!running()) {
            throw new IllegalStateException("lab host " + host + " is down: its init (pid " + pid + ") is gone");
        }
        List<String> cmd = new ArrayList<>(List.of("nsenter", "--target", Long.toString(pid), "--net", "--mount", "--uts", "--pid",
                "--wd"));
        cmd.add("--");
        cmd.addAll(command);
        return cmd;
    }

    /** Pids (on the machine) of every live process of the host but its init. */
    List<Long> processes() {
        if (!running()) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
            return entries.map(p -> p.getFileName().toString()).filter(s -> s.matches("\\d+")).map(Long::valueOf)
                    .filter(p -> p != pid && pidNamespace.equals(pidNamespace(p).orElse("")) && alive(p)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The machine's pid of the running process that the host knows as {@code hostLocalPid} (e.g. from a pid file). */
    Optional<Long> machinePid(long hostLocalPid) {
        if (hostLocalPid == 1) {
            return running() ? Optional.of(pid) : Optional.empty();
        }
        return processes().stream().filter(p -> localPid(p) == hostLocalPid).findFirst();
    }

    /** SIGKILLs the init, which ends every process of the host, and waits until the init is gone. */
    void kill() {
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        // unshare, the init's parent, reaps it and exits with it; killed only if it does not
        if (!Poll.within(Duration.ofSeconds(10), () -> !unshare.isAlive())) {
            unshare.destroyForcibly();
        }
    }

    /**
     * SIGKILLs the inits recorded in {@code BASE/HOST/init.pid} of a lab left behind (a killed JVM)
     * that still run, which ends their hosts; the processes of the lab's network namespaces are
     * killed after this anyway, this also catches a host whose namespace was deleted by hand. A pid
     * counts only while its start time is the one recorded in {@code init.start}: an init that ended
     * meanwhile may have left its number to another lab's init.
     */
    static void killLeftOvers(Path base) {
        if (!Files.isDirectory(base)) {
            return;
        }
        try (Stream<Path> hosts = Files.list(base)) {
            for (Path pidFile : hosts.map(h -> h.resolve("init.pid")).filter(Files::isRegularFile).toList()) {
                String text = read(pidFile).strip();
                String start = read(pidFile.resolveSibling("init.start")).strip();
                if (text.matches("\\d+") && INIT.equals(comm(Long.parseLong(text))) && start.equals(startTime(Long.parseLong(text)))) {
                    long init = Long.parseLong(text);
                    ProcessHandle.of(init).ifPresent(ProcessHandle::destroyForcibly);
                    Poll.within(Duration.ofSeconds(10), () -> !alive(init));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---------------------------------------------------------------- /proc

    /** The PID namespace of a process ({@code pid:[4026531836]}), empty when it is gone. */
    static Optional<String> pidNamespace(long pid) {
        try {
            return Optional.of(Files.readSymbolicLink(Path.of("/proc", Long.toString(pid), "ns", "pid")).toString());
        } catch (IOException | UnsupportedOperationException e) {
            return Optional.empty();
        }
    }

    /** The state letter of a process ({@code R}, {@code S}, {@code T} stopped, {@code Z} zombie...), '?' when it is gone. */
    static char state(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2);
        } catch (IOException | StringIndexOutOfBoundsException e) {
            return '?';
        }
    }

    /** Running: it exists and is not a zombie. */
    static boolean alive(long pid) {
        char s = state(pid);
        return s != '?' && s != 'Z' && s != 'X';
    }

    /** Field 22 of /proc/PID/stat, the process's start time in clock ticks since boot ("" when it is gone). */
    static String startTime(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return f.length > 19 ? f[19] : "";
        } catch (IOException e) {
            return "";
        }
    }

    static String comm(long pid) {
        try {
            return Files.readString(Path.of("/proc", Long.toString(pid), "comm")).strip();
        } catch (IOException e) {
            return "";
        }
    }

    /** The pid of a process inside its own (innermost) PID namespace: the last field of NSpid; -1 when gone. */
    private static long localPid(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("NSpid:")) {
                    String[] f = line.substring(6).strip().split("\\s+");
                    return Long.parseLong(f[f.length - 1]);
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    private static String exitValue(Process p) {
        try {
            return Integer.toString(p.exitValue());
        } catch (IllegalThreadStateException e) {
            return "?";
        }
    }

    private static String read(Path p) {
        try {
            return Files.exists(p) ? Files.readString(p) : "";
        } catch (IOException e) {
            return "(" + e.getMessage() + ")";
        }
    }
}
