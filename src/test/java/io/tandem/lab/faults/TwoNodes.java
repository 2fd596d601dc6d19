package io.tandem.lab.faults;

import io.tandem.lab.ExecResult;
import io.tandem.lab.HeartbeatConfig;
import io.tandem.lab.Lab;
import io.tandem.lab.Poll;
import io.tandem.lab.TandemNodes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The campaign's cluster: two nodes of the namespace lab serving apache2 behind a VIP, each running
 * Tandem or heartbeat 3.0.6 ({@link Mode}), and what a fault does to a node: start, stop, kill or
 * freeze its daemon, standby/takeover, power off and on, cut links. Each node's /var/log is a small
 * tmpfs of its own (so a fault can fill it); its files are read through the init's /proc root.
 */
public final class TwoNodes implements AutoCloseable {
    public static final String VIP = "192.0.2.1";
    public static final List<String> NODES = List.of("node1", "node2");
    public static final long KEEPALIVE_MS = 500;
    public static final long DEADTIME_MS = 4_000;
    public static final long INITDEAD_MS = 8_000;
    static final String HA_CF = "logfile /var/log/ha-log\nlogfacility none\nkeepalive 500ms\ndeadtime 4\nwarntime 2\ninitdead 8\n"
            + "udpport 694\nbcast eth1\nbcast eth0\nauto_failback off\nnode node1\nnode node2\n";
    static final String KEY = "fault-campaign-key";
    static final String HARESOURCES = "node1 IPaddr::" + VIP + "/24/eth0 apache2\n";
    private static final String HB_SHARE = "/usr/share/heartbeat/";

    final Lab lab;
    final Mode mode;
    final HeartbeatConfig config;

    private TwoNodes(Lab lab, Mode mode) {
        this.lab = lab;
        this.mode = mode;
        this.config = new HeartbeatConfig(HA_CF, "auth 1\n1 md5 " + KEY + "\n", HARESOURCES);
    }

    /** Builds the lab (prefix), apache2 and the configuration on both nodes; starts nothing. */
    public static TwoNodes build(String prefix, Mode mode) {
        return build(prefix, mode, "");
    }

    /**
     * The same, with {@code tandemCf} as /etc/ha.d/tandem.cf of both nodes when not empty (e.g. {@code resource
     * apache2 warm}: the campaign of a warm apache2; heartbeat does not read the file).
     */
    public static TwoNodes build(String prefix, Mode mode, String tandemCf) {
        Lab lab = Lab.start(prefix, NODES.toArray(String[]::new));
        TwoNodes c = new TwoNodes(lab, mode);
        try {
            for (String n : NODES) {
                lab.writeHeartbeatConfig(n, c.config);
                TandemNodes.installApache(lab, n);
                Files.writeString(lab.path(n, "/etc/ha.d/tandem-monitor.cf"), "resource apache2 interval=1s\n");
                if (!tandemCf.isEmpty()) {
                    Files.writeString(lab.path(n, "/etc/ha.d/tandem.cf"), tandemCf);
                }
                check(lab.exec(n, Duration.ofSeconds(20), "mount", "-t", "tmpfs", "-o", "size=16m,mode=0755", "tmpfs", "/var/log"), "tmpfs on /var/log");
                check(lab.exec(n, Duration.ofSeconds(20), "mkdir", "-p", "/var/log/apache2"), "mkdir /var/log/apache2");
            }
        } catch (IOException e) {
            lab.close();
            throw new UncheckedIOException(e);
        } catch (RuntimeException | Error e) {
            lab.close();
            throw e;
        }
        return c;
    }

    public Lab lab() {
        return lab;
    }

    public Mode mode() {
        return mode;
    }

    boolean tandem(String node) {
        return mode.tandem(NODES.indexOf(node));
    }

    public static String other(String node) {
        return node.equals(NODES.get(0)) ? NODES.get(1) : NODES.get(0);
    }

    /** Starts the node's daemon and returns once it runs. */
    public void start(String node) {
        if (tandem(node)) {
            check(TandemNodes.tandem(lab, node, "start"), "tandem start on " + node);
            Poll.until(Duration.ofSeconds(30), "the Tandem daemon of " + node, () -> daemonAlive(node));
        } else {
            lab.startHeartbeat(node, config);
        }
    }

    /** Graceful stop: the daemon gives its groups away, tells its peer, exits. */
    public void stop(String node) {
        if (tandem(node)) {
            check(TandemNodes.tandem(lab, node, "stop"), "tandem stop on " + node);
            Poll.until(Duration.ofSeconds(60), "the Tandem daemon of " + node + " to exit", () -> !daemonAlive(node));
        } else {
            lab.stopHeartbeat(node);
        }
    }

    /** The machine pids of the node's daemon processes (empty when none runs). */
    public List<Long> daemonPids(String node) {
        if (!tandem(node)) {
            return lab.pids(node, "heartbeat");
        }
        Optional<Long> pid = tandemPid(node);
        return pid.map(List::of).orElse(List.of());
    }

    private Optional<Long> tandemPid(String node) {
        try {
            String text = Files.readString(lab.path(node, "/var/run/tandem/tandem.pid")).strip();
            return text.matches("\\d{1,9}") ? lab.machinePid(node, Long.parseLong(text)) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    public boolean daemonAlive(String node) {
        return !daemonPids(node).isEmpty();
    }

    /**
     * For the audits, with one look at the host's processes: whether apache2 runs in the node
     * ({@code [0]}) and whether its daemon does ({@code [1]}; Tandem's by its pid file, looked up in
     * the host's own /proc).
     */
    boolean[] apacheAndDaemon(String node) {
        boolean apache = false;
        boolean heartbeat = false;
        for (long pid : lab.pids(node)) {
            String comm = comm(pid);
            apache |= comm.equals("apache2");
            heartbeat |= comm.equals("heartbeat");
        }
        if (!tandem(node)) {
            return new boolean[] {apache, heartbeat};
        }
        try {
            String text = Files.readString(lab.path(node, "/var/run/tandem/tandem.pid")).strip();
            if (!text.matches("\\d{1,9}")) {
                return new boolean[] {apache, false};
            }
            Path status = inside(node, "/proc/" + text + "/status");
            boolean alive = Files.readAllLines(status).stream().noneMatch(l -> l.startsWith("State:") && l.contains("Z"));
            return new boolean[] {apache, alive};
        } catch (IOException e) {
            return new boolean[] {apache, false};
        }
    }

    private static String comm(long pid) {
        try {
            return Files.readString(Path.of("/proc", Long.toString(pid), "comm")).strip();
        } catch (IOException e) {
            return "";
        }
    }

    /** Sends a signal (KILL, STOP, CONT) to every daemon process of the node; returns the pids signalled. */
    public List<Long> signalDaemon(String node, String signal) {
        List<Long> pids = daemonPids(node);
        signal(signal, pids);
        return pids;
    }

    static void signal(String signal, List<Long> pids) {
        if (pids.isEmpty()) {
            return;
        }
        List<String> cmd = new ArrayList<>(List.of("kill", "-" + signal));
        pids.forEach(p -> cmd.add(Long.toString(p)));
        try {
            new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** hb_standby on the node: it hands its resources to the other. */
    public ExecResult standby(String node) {
        return tandem(node) ? TandemNodes.tandem(lab, node, "hb_standby") : lab.exec(node, Duration.ofSeconds(30), HB_SHARE + "hb_standby");
    }

    /** hb_takeover on the node: it takes the resources from the other. */
    public ExecResult takeover(String node) {
        return tandem(node) ? TandemNodes.tandem(lab, node, "hb_takeover") : lab.exec(node, Duration.ofSeconds(30), HB_SHARE + "hb_takeover");
    }

    /** Links down, every process of the node killed (its init stays, so its mounts), the VIP gone with the machine. */
    public void powerOff(String node) {
        lab.setLink(node, "eth0", false);
        lab.setLink(node, "eth1", false);
        for (int i = 0; i < 3 && !lab.pids(node).isEmpty(); i++) {
            signal("KILL", lab.pids(node));
            Poll.within(Duration.ofSeconds(5), () -> lab.pids(node).isEmpty());
        }
        lab.ip(node, "addr", "del", VIP + "/24", "dev", "eth0");
        Poll.until(Duration.ofSeconds(10), "processes of " + node + " to die", () -> lab.pids(node).isEmpty());
    }

    /** Links up again and the default route back (a down link loses it); the daemon starts as at boot. */
    public void powerOn(String node) {
        lab.setLink(node, "eth0", true);
        lab.setLink(node, "eth1", true);
        lab.ip(node, "route", "replace", "default", "via", Lab.GATEWAY_ADDRESS);
        clearRun(node);
        start(node);
    }

    /** What a boot clears of /run (a tmpfs on a real machine): pid files, sockets, the resource scripts' state. */
    void clearRun(String node) {
        for (String dir : List.of("/run/apache2", "/run/tandem", "/run/heartbeat/rsctmp")) {
            Path p = lab.path(node, dir);
            if (Files.isDirectory(p)) {
                try (var walk = Files.walk(p)) {
                    walk.sorted(java.util.Comparator.reverseOrder()).filter(f -> !f.equals(p)).forEach(f -> f.toFile().delete());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        lab.path(node, "/run/heartbeat.pid").toFile().delete();
    }

    /** Runs {@code nft ARGS} inside the node (its own network namespace). */
    public ExecResult nft(String node, String script) {
        return lab.exec(node, Duration.ofSeconds(20), "nft", script);
    }

    /** Kills apache2 of the node (no-op when none runs); returns how many processes were killed. */
    public int killApache(String node) {
        List<Long> pids = lab.pids(node, "apache2");
        signal("KILL", pids);
        return pids.size();
    }

    /** A file of the node as its processes see it (through its init's root: the tmpfs /var/log too). */
    public Path inside(String node, String absolutePath) {
        return Path.of("/proc", Long.toString(lab.initPid(node)), "root", absolutePath.substring(1));
    }

    public String haLog(String node) {
        try {
            return Files.readString(inside(node, "/var/log/ha-log"), java.nio.charset.StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return "";
        }
    }

    /** Stops everything of both nodes (daemons, apache2, the VIP) and starts both daemons again. */
    public void restartAll() {
        for (String n : NODES) {
            nft(n, "delete table inet flcut");
            nft(n, "delete table arp flcut");
            nft(n, "delete table inet flloss");
            signal("CONT", daemonPids(n));
            signal("KILL", daemonPids(n));
            Poll.within(Duration.ofSeconds(10), () -> !daemonAlive(n));
            killApache(n);
            lab.setLink(n, "eth0", true);
            lab.setLink(n, "eth1", true);
            lab.ip(n, "route", "replace", "default", "via", Lab.GATEWAY_ADDRESS);
            lab.ip(n, "addr", "del", VIP + "/24", "dev", "eth0");
            lab.exec(n, Duration.ofSeconds(10), "rm", "-f", "/var/log/fill");
            TandemNodes.repairApache(lab, n);
            clearRun(n);
        }
        NODES.parallelStream().forEach(this::start);
    }

    @Override
    public void close() {
        lab.close();
    }

    static void check(ExecResult r, String what) {
        if (!r.ok()) {
            throw new IllegalStateException(what + ": " + r);
        }
    }
}
