package io.tandem.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Tandem in the lab: its commands run inside a node, the node's /etc/ha.d, apache2 with a page naming the node. */
public final class TandemNodes {
    private TandemNodes() {
    }

    /** Runs {@code tandem ARGS} inside a host with this JVM's class path; returns when the command exits. */
    public static ExecResult tandem(Lab lab, String host, String... args) {
        List<String> cmd = new ArrayList<>(List.of(java(), "-XX:+UseSerialGC", "-Xmx64m", "-XX:TieredStopAtLevel=1",
                "-XX:+PerfDisableSharedMem", "-Xshare:auto", "-cp", System.getProperty("java.class.path"), "io.tandem.cli.Main"));
        cmd.addAll(Arrays.asList(args));
        return lab.exec(host, Duration.ofSeconds(120), cmd.toArray(String[]::new));
    }

    /**
     * Runs one of the checkout's commands ({@code bin/hb_standby}, {@code bin/cl_status}, {@code bin/tandem})
     * inside a host: the control-socket commands take the quick path without a JVM (libexec/tandem-control).
     */
    public static ExecResult bin(Lab lab, String host, String command, String... args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("user.dir"), "bin", command).toString()));
        cmd.addAll(Arrays.asList(args));
        return lab.exec(host, Duration.ofSeconds(120), cmd.toArray(String[]::new));
    }

    /** The Tandem daemon in the foreground ({@code tandem run}) as a lab process; closing it is a crash (SIGKILL). */
    public static LabProcess run(Lab lab, String host, String... args) {
        List<String> all = new ArrayList<>(List.of("run"));
        all.addAll(Arrays.asList(args));
        return lab.startJava(host, "io.tandem.cli.Main", all.toArray(String[]::new));
    }

    /** Writes a node's /etc/ha.d/{ha.cf, authkeys (0600), haresources}. */
    public static void configure(Lab lab, String node, String haCf, String authkeys, String haresources) {
        try {
            Files.writeString(lab.path(node, "/etc/ha.d/ha.cf"), haCf);
            Path keys = lab.path(node, "/etc/ha.d/authkeys");
            Files.deleteIfExists(keys);
            Files.createFile(keys, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(keys, authkeys);
            Files.writeString(lab.path(node, "/etc/ha.d/haresources"), haresources);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Prepares Debian's apache2 in a node: a private /var/www whose index page names the node, its
     * log directory, and a private copy of /etc/apache2 with {@code ServerName} set (without it
     * apache looks the lab's host name up in DNS, which nothing answers inside a namespace, and
     * every start and stop waits for resolver timeouts). It is started and stopped only by the
     * cluster (through /etc/init.d/apache2).
     */
    public static void installApache(Lab lab, String node) {
        try {
            Path conf = lab.addPrivateDir(node, "/etc/apache2");
            ExecResult copy = lab.exec(Lab.GATEWAY, Duration.ofSeconds(20), "cp", "-a", "/etc/apache2/.", conf.toString());
            if (!copy.ok()) {
                throw new IllegalStateException("cannot copy /etc/apache2: " + copy);
            }
            Files.writeString(conf.resolve("apache2.conf"), "\nServerName " + node + "\n", java.nio.file.StandardOpenOption.APPEND);
            Path www = lab.addPrivateDir(node, "/var/www");
            Files.createDirectories(www.resolve("html"));
            Files.writeString(www.resolve("html/index.html"), node + "\n");
            Files.createDirectories(lab.path(node, "/var/log/apache2"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** SIGKILLs every apache2 process of a node (a crashed service) and waits until they are gone. */
    public static void killApache(Lab lab, String node) {
        List<Long> pids = lab.pids(node, "apache2");
        if (pids.isEmpty()) {
            throw new IllegalStateException("apache2 does not run on " + node);
        }
        pids.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
        Poll.untilOrElse(Duration.ofSeconds(10), () -> lab.pids(node, "apache2").stream().noneMatch(pids::contains),
                () -> "apache2 survived SIGKILL on " + node);
    }

    private static final String BROKEN = "\nThisIsNotAnApacheDirective on\n";

    /** A configuration error in the node's private /etc/apache2 makes every start of apache2 there fail. */
    public static void breakApache(Lab lab, String node) {
        try {
            Files.writeString(lab.path(node, "/etc/apache2/apache2.conf"), BROKEN, java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Undoes {@link #breakApache}. */
    public static void repairApache(Lab lab, String node) {
        try {
            Path conf = lab.path(node, "/etc/apache2/apache2.conf");
            Files.writeString(conf, Files.readString(conf).replace(BROKEN, "\n"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What the client gets from {@code http://ADDRESS/} within a second ("" when nothing answers). */
    public static String fetch(Lab lab, String address) {
        ExecResult r = lab.exec(Lab.CLIENT, Duration.ofSeconds(5), "curl", "-s", "-m", "1", "http://" + address + "/");
        return r.ok() ? r.out() : "";
    }

    /** Whether a node has {@code address} on any interface right now. */
    public static boolean holds(Lab lab, String node, String address) {
        return lab.ip(node, "-o", "-4", "addr", "show").stdout().contains(" " + address + "/");
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /**
     * The machine pid of a node's Tandem daemon, from its pid file ({@code /var/run/tandem/tandem.pid}
     * holds the host's own number; the lab signals from outside the host's PID namespace). Not by
     * process name: the daemon names itself {@code tandem}, and a tandem command's JVM may come and go.
     */
    public static long daemonPid(Lab lab, String node) {
        java.nio.file.Path file = lab.path(node, "/var/run/tandem/tandem.pid");
        String text;
        try {
            text = java.nio.file.Files.readString(file).strip();
        } catch (java.io.IOException e) {
            throw new AssertionError("no Tandem daemon pid file on " + node + " (" + file + "): " + e.getMessage());
        }
        if (!text.matches("\\d{1,9}")) {
            throw new AssertionError("pid file of " + node + " holds [" + text + "]");
        }
        return lab.machinePid(node, Long.parseLong(text))
                .orElseThrow(() -> new AssertionError("the daemon " + text + " named by " + node + "'s pid file does not run"));
    }

    /**
     * Waits up to 60 s until the two nodes have settled: exactly one holds {@code vip}, each sees the
     * other {@code active}, neither says its resources are in {@code transition}, and the page is served.
     * {@code context} (e.g. both ha-logs) is shown when they do not.
     */
    public static void awaitSettled(Lab lab, String a, String b, String vip, java.util.function.Supplier<String> context) {
        Poll.untilOrElse(Duration.ofSeconds(60), () -> holds(lab, a, vip) != holds(lab, b, vip)
                && "active".equals(tandem(lab, a, "cl_status", "nodestatus", b).out())
                && "active".equals(tandem(lab, b, "cl_status", "nodestatus", a).out())
                && !tandem(lab, a, "cl_status", "rscstatus").out().equals("transition")
                && !tandem(lab, b, "cl_status", "rscstatus").out().equals("transition")
                && !fetch(lab, vip).isEmpty(),
                () -> "not settled: " + tandem(lab, a, "status").out() + tandem(lab, b, "status").out() + context.get());
    }

    /**
     * A lab of node1 and node2 (prefix {@code prefix}) for a Tandem pair serving apache2 behind a VIP:
     * skips the test (JUnit assumption) when the lab, apache2 or heartbeat's IPaddr script is missing,
     * then writes ha.cf, authkeys and haresources and installs apache2 on both nodes.
     */
    public static Lab apachePair(String prefix, String haCf, String authkeys, String haresources) {
        org.junit.jupiter.api.Assumptions.assumeTrue(Lab.unavailable().isEmpty(), () -> "skipped: " + Lab.unavailable().orElse(""));
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(Path.of("/etc/init.d/apache2")), "skipped: apache2 is not installed");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(Path.of("/etc/ha.d/resource.d/IPaddr")),
                "skipped: heartbeat's IPaddr script is not installed");
        Lab lab = Lab.start(prefix, "node1", "node2");
        for (String n : List.of("node1", "node2")) {
            configure(lab, n, haCf, authkeys, haresources);
            installApache(lab, n);
        }
        return lab;
    }
}
