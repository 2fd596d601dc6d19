package io.tandem.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A network-namespace lab: N cluster nodes, a gateway and a client, each a small machine: its own
 * network, mount, UTS and PID namespace (with its own /proc and an init as PID 1, {@link HostInit}),
 * its own hostname and its own private /etc/ha.d, /var/lib/heartbeat, /run (= /var/run) and
 * /var/log. See docs/lab.md.
 *
 * <pre>
 *  node1 eth0 192.0.2.11/24 ─┐                         ┌─ node1 eth1 198.51.100.128/24
 *  node2 eth0 192.0.2.12/24 ─┤ bridge PREFIX-pub0      │  bridge PREFIX-hb0
 *  gw    eth0 192.0.2.254/24 ┘ ("public" LAN)          └─ node2 eth1 198.51.100.129/24 ("heartbeat" LAN)
 *  gw    eth1 203.0.113.254/24 ── client eth0 203.0.113.10/24 (default route via gw)
 * </pre>
 * Nodes route by default via the gateway 192.0.2.254 (also a natural ping node). The bridges live
 * in a switch namespace {@code PREFIX-sw}, so nothing is added to the machine's own network.
 * Everything is named with the prefix; {@link #start} first removes leftovers of an earlier run
 * with the same prefix (a killed JVM), {@link #close} (and a shutdown hook) removes everything.
 */
public final class Lab implements AutoCloseable {
    public static final String HEARTBEAT = "/usr/libexec/heartbeat/heartbeat";
    public static final String GATEWAY = "gw";
    public static final String CLIENT = "client";
    public static final String GATEWAY_ADDRESS = "192.0.2.254";
    public static final String GATEWAY_CLIENT_ADDRESS = "203.0.113.254";
    public static final String CLIENT_ADDRESS = "203.0.113.10";
    private static final String PATH_ENV = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    private static final Duration SETUP_TIMEOUT = Duration.ofSeconds(30);
    private static final List<String> PRIVATE_DIRS = List.of("/etc/ha.d", "/var/lib/heartbeat", "/run", "/var/log");

    private record Host(String name, String namespace, Path dir, Map<String, Path> mounts) {
    }

    private final String prefix;
    private final Path base;
    private final Map<String, Host> hosts = new LinkedHashMap<>();
    private final Map<String, HostInit> inits = new LinkedHashMap<>();
    private final List<String> nodes;
    private final List<LabProcess> processes = Collections.synchronizedList(new ArrayList<>());
    private final Thread shutdownHook;
    private final PrefixLock prefixLock;
    private volatile boolean closed;

    private Lab(String prefix, List<String> nodes, PrefixLock prefixLock) {
        this.prefix = prefix;
        this.prefixLock = prefixLock;
        this.nodes = List.copyOf(nodes);
        this.base = Path.of(System.getProperty("java.io.tmpdir"), "tandem-lab-" + prefix);
        this.shutdownHook = new Thread(this::teardown, "lab-teardown-" + prefix);
    }

    /** Why the lab cannot run here (not root, tools missing), or empty if it can. */
    public static Optional<String> unavailable() {
        try {
            Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
            if (!Integer.valueOf(0).equals(uid)) {
                return Optional.of("the namespace lab needs root (uid is " + uid + ")");
            }
        } catch (IOException | UnsupportedOperationException e) {
            return Optional.of("the namespace lab needs Linux /proc: " + e.getMessage());
        }
        for (String tool : List.of("ip", "unshare", "nsenter", "mount", "hostname", HostInit.INIT)) {
            if (Stream.of(PATH_ENV.split(":")).noneMatch(d -> Files.isExecutable(Path.of(d, tool)))) {
                return Optional.of("the namespace lab needs '" + tool + "' (apt-get install iproute2 util-linux catatonit)");
            }
        }
        return Optional.empty();
    }

    /** Why real heartbeat cannot run here, or empty if it can. */
    public static Optional<String> heartbeatUnavailable() {
        Optional<String> lab = unavailable();
        if (lab.isPresent()) {
            return lab;
        }
        if (!Files.isExecutable(Path.of(HEARTBEAT))) {
            return Optional.of("real heartbeat 3.0.6 is not installed (" + HEARTBEAT + ")");
        }
        try {
            UserPrincipalLookupService users = Path.of("/").getFileSystem().getUserPrincipalLookupService();
            users.lookupPrincipalByName("hacluster");
            users.lookupPrincipalByGroupName("haclient");
        } catch (IOException e) {
            return Optional.of("heartbeat's hacluster user / haclient group is missing");
        }
        return Optional.empty();
    }

    /**
     * Builds a lab whose namespaces, bridges and veths are named {@code PREFIX-...} with nodes of
     * the given host names (e.g. "node1", "node2"). Leftovers of an earlier lab with this prefix
     * are removed first.
     */
    public static Lab start(String prefix, String... nodeNames) {
        if (!prefix.matches("[a-z][a-z0-9]{0,5}")) {
            throw new IllegalArgumentException("lab prefix must be 1-6 lower-case letters/digits: " + prefix);
        }
        if (nodeNames.length == 0 || nodeNames.length > 99) {
            throw new IllegalArgumentException("a lab has 1 to 99 nodes");
        }
        PrefixLock lock = PrefixLock.acquire(prefix);
        try {
            removeLeftOvers(prefix);
        } catch (RuntimeException | Error e) {
            lock.close();
            throw e;
        }
        Lab lab = new Lab(prefix, Arrays.asList(nodeNames), lock);
        Runtime.getRuntime().addShutdownHook(lab.shutdownHook);
        try {
            lab.build();
        } catch (RuntimeException | Error e) {
            lab.close();
            throw e;
        }
        return lab;
    }

    /**
     * Removes namespaces, links, processes and files left by a lab with this prefix (e.g. after kill -9);
     * refuses ({@link IllegalStateException}) while a running lab holds the prefix ({@link PrefixLock}).
     */
    public static void cleanStale(String prefix) {
        try (PrefixLock lock = PrefixLock.acquire(prefix)) {
            removeLeftOvers(prefix);
        }
    }

    private static void removeLeftOvers(String prefix) {
        String p = prefix + "-";
        HostInit.killLeftOvers(Path.of(System.getProperty("java.io.tmpdir"), "tandem-lab-" + prefix));
        for (String line : run(List.of("ip", "netns", "list")).stdout().split("\n")) {
            String ns = line.split(" ")[0].strip();
            if (ns.startsWith(p)) {
                killNamespace(ns);
                run(List.of("ip", "netns", "del", ns));
            }
        }
        for (String line : run(List.of("ip", "-o", "link", "show")).stdout().split("\n")) {
            String[] parts = line.split(": ");
            if (parts.length > 1) {
                String name = parts[1].split("@")[0];
                if (name.startsWith(p)) {
                    run(List.of("ip", "link", "del", name));
                }
            }
        }
        run(List.of("rm", "-rf", "--one-file-system", Path.of(System.getProperty("java.io.tmpdir"), "tandem-lab-" + prefix).toString()));
    }

    // ---------------------------------------------------------------- topology

    /** Host names of the cluster nodes, in order. */
    public List<String> nodes() {
        return nodes;
    }

    /** The network namespace of a host (node name, {@link #GATEWAY} or {@link #CLIENT}). */
    public String namespace(String host) {
        return host(host).namespace();
    }

    /** The address of a node on the public LAN (its eth0): 192.0.2.(10+i). */
    public String publicAddress(String node) {
        return "192.0.2." + (10 + nodeNumber(node));
    }

    /** The address of a node on the heartbeat LAN (its eth1): 198.51.100.(127+i). */
    public String heartbeatAddress(String node) {
        return "198.51.100." + (127 + nodeNumber(node));
    }

    /**
     * Where a path inside a host lives on the machine: inside one of the host's private directories
     * (e.g. {@code /var/log/ha-log} of node1), or the shared path itself.
     */
    public Path path(String host, String absolutePath) {
        String p = absolutePath.startsWith("/var/run/") || absolutePath.equals("/var/run") ? absolutePath.substring(4) : absolutePath;
        Host h = host(host);
        String best = null;
        for (String dst : h.mounts().keySet()) {
            if ((p.equals(dst) || p.startsWith(dst + "/")) && (best == null || dst.length() > best.length())) {
                best = dst;
            }
        }
        if (best == null) {
            return Path.of(p);
        }
        String rest = p.substring(best.length());
        return rest.isEmpty() ? h.mounts().get(best) : h.mounts().get(best).resolve(rest.substring(1));
    }

    /**
     * Gives a host its own empty copy of directory {@code absolutePath} (e.g. /var/www for apache),
     * bound at once in the host's mount namespace, so its running processes see it too. Returns the
     * directory on the machine.
     */
    public Path addPrivateDir(String host, String absolutePath) {
        Host h = host(host);
        Path src = h.dir().resolve(absolutePath.substring(1));
        try {
            Files.createDirectories(src);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        h.mounts().put(absolutePath, src);
        writeMounts(h);
        List<String> bind = new ArrayList<>(List.of("nsenter", "--target", Long.toString(init(host).pid()), "--mount", "--", "/bin/sh", "-c",
                "[ -d \"$1\" ] || mkdir -p \"$1\" || exit 120; mount --bind \"$0\" \"$1\"", src.toString(), absolutePath));
        check(run(bind), "bind " + src + " on " + absolutePath + " in " + host);
        return src;
    }

    /** Runs {@code ip -n NS ARGS} for a host, e.g. {@code ip(node, "link", "set", "eth1", "down")}. */
    public ExecResult ip(String host, String... args) {
        List<String> cmd = new ArrayList<>(List.of("ip", "-n", namespace(host)));
        cmd.addAll(Arrays.asList(args));
        return run(cmd);
    }

    /** The two LANs of the lab, for {@link #addLanHost}. */
    public enum Lan {
        PUBLIC("pub0", "192.0.2."), HEARTBEAT("hb0", "198.51.100.");

        final String bridge;
        final String net;

        Lan(String bridge, String net) {
            this.bridge = bridge;
            this.net = net;
        }
    }

    /**
     * Adds a host with one interface {@code eth0} on a LAN (e.g. an attacker, or a second client
     * beside the nodes): address {@code NET.hostByte/24}, a namespace {@code PREFIX-x<hostByte>},
     * private directories like every host. {@code hostByte} must not be a node's, the gateway's
     * or a floating address in use; 50-99 are free on both LANs.
     */
    public String addLanHost(String name, Lan lan, int hostByte) {
        if (hostByte < 1 || hostByte > 254) {
            throw new IllegalArgumentException("host byte must be 1-254: " + hostByte);
        }
        String ns = prefix + "-x" + hostByte;
        addHost(name, ns);
        cable(prefix + "-sw", prefix + "-x" + hostByte + "e0", prefix + "-" + lan.bridge, ns, "eth0");
        String address = lan.net + hostByte;
        address(ns, "eth0", address + "/24");
        return address;
    }

    /** Sets an interface of a host up or down (a cable pulled). */
    public void setLink(String host, String device, boolean up) {
        check(ip(host, "link", "set", device, up ? "up" : "down"), "set " + device + " of " + host + (up ? " up" : " down"));
    }

    // ---------------------------------------------------------------- processes

    /**
     * Runs a command inside a host (its network, mount, UTS and PID namespace) to completion; stdout
     * and stderr go to files, so a command that leaves a daemon behind (heartbeat) returns at once.
     */
    public ExecResult exec(String host, Duration timeout, String... command) {
        Host h = host(host);
        try {
            Path out = Files.createTempFile(h.dir(), "exec-", ".out");
            Path err = Files.createTempFile(h.dir(), "exec-", ".err");
            try {
                ProcessBuilder pb = builder(h, Arrays.asList(command)).redirectOutput(out.toFile()).redirectError(err.toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
                Process p = pb.start();
                if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    p.descendants().forEach(ProcessHandle::destroyForcibly);
                    p.waitFor(5, TimeUnit.SECONDS); // nsenter reaps the command it entered (see LabProcess#close)
                    p.destroyForcibly();
                    throw new AssertionError(String.join(" ", command) + " on " + host + " did not finish within " + timeout.toMillis()
                            + " ms; output: " + Files.readString(out) + Files.readString(err));
                }
                return new ExecResult(p.exitValue(), Files.readString(out), Files.readString(err));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + String.join(" ", command) + " on " + host, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Starts a long-running command inside a host; its output is collected, its stdin writable. */
    public LabProcess spawn(String host, String... command) {
        Host h = host(host);
        try {
            Process p = builder(h, Arrays.asList(command)).redirectErrorStream(true).start();
            LabProcess lp = LabProcess.entered(host, command[0], p);
            processes.add(lp);
            return lp;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + String.join(" ", command) + " on " + host, e);
        }
    }

    /**
     * Starts {@code mainClass} of this project (or its tests) in a JVM inside a host, with this
     * JVM's class path (the test class path under Maven) and small-daemon JVM flags.
     */
    public LabProcess startJava(String host, String mainClass, String... args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-Xmx64m", "-XX:TieredStopAtLevel=1", "-XX:+PerfDisableSharedMem", "-Xshare:auto",
                "-cp", System.getProperty("java.class.path"), mainClass));
        cmd.addAll(Arrays.asList(args));
        return spawn(host, cmd.toArray(String[]::new));
    }

    /**
     * The command line that runs COMMAND inside a host, e.g. to open a shell there by hand:
     * {@code enterCommand("node1", "bash")}. Unlike {@link #exec} it keeps the caller's session (a
     * shell keeps its terminal); the lab's own commands each get a session of their own.
     */
    public List<String> enterCommand(String host, String... command) {
        if (closed) {
            throw new IllegalStateException("lab " + prefix + " is closed");
        }
        return init(host).interactive(Arrays.asList(command));
    }

    /**
     * Process ids (as the machine numbers them: usable for kill, SIGSTOP, /proc from the test) of
     * everything running in a host, i.e. in its PID namespace, except its init. Zombies are left out.
     */
    public List<Long> pids(String host) {
        return init(host).processes();
    }

    /** Process ids in a host whose command name ({@code /proc/PID/comm}) is {@code comm}. */
    public List<Long> pids(String host, String comm) {
        return pids(host).stream().filter(pid -> comm.equals(HostInit.comm(pid))).toList();
    }

    /**
     * The machine's pid of a host's init, PID 1 of its PID namespace. SIGKILL to it ends every process
     * of the host at once (the kernel kills a PID namespace whose init dies), like a power cut; the host
     * then takes no more commands, its network namespace and interfaces stay.
     */
    public long initPid(String host) {
        return init(host).pid();
    }

    /** The machine's pid of the running process that {@code host} numbers {@code hostLocalPid} (e.g. read from a pid file there). */
    public Optional<Long> machinePid(String host, long hostLocalPid) {
        return init(host).machinePid(hostLocalPid);
    }

    // ---------------------------------------------------------------- real heartbeat

    /** Writes /etc/ha.d/{ha.cf,authkeys (mode 600),haresources} of a node. */
    public void writeHeartbeatConfig(String node, HeartbeatConfig config) {
        try {
            Files.writeString(path(node, "/etc/ha.d/ha.cf"), config.haCf());
            Path keys = path(node, "/etc/ha.d/authkeys");
            Files.deleteIfExists(keys);
            Files.createFile(keys, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(keys, config.authkeys());
            Files.writeString(path(node, "/etc/ha.d/haresources"), config.haresources());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write heartbeat config of " + node, e);
        }
    }

    /**
     * Writes the node's configuration and starts the real heartbeat 3.0.6 there (it daemonises);
     * returns once its master process is running.
     */
    public void startHeartbeat(String node, HeartbeatConfig config) {
        writeHeartbeatConfig(node, config);
        removeStalePidFile(node);
        ExecResult r = exec(node, SETUP_TIMEOUT, HEARTBEAT);
        if (!r.ok()) {
            throw new AssertionError("heartbeat did not start on " + node + ": " + r + "\nha-log:\n" + haLog(node));
        }
        Poll.untilOrElse(Duration.ofSeconds(15), () -> Files.exists(path(node, "/run/heartbeat.pid")) && !pids(node, "heartbeat").isEmpty(),
                () -> "heartbeat on " + node + " did not come up; ha-log:\n" + haLog(node));
    }

    /**
     * After {@link #killHeartbeat} the pid file stays, and its process may linger as a zombie until
     * the host's init reaps it, which heartbeat takes for "already running"; a dead pid's file goes.
     * The pid in the file is the node's own (its PID namespace's).
     */
    private void removeStalePidFile(String node) {
        Path pidFile = path(node, "/run/heartbeat.pid");
        String text = readIfExists(pidFile).strip();
        if (text.matches("\\d+") && machinePid(node, Long.parseLong(text)).isEmpty()) {
            try {
                Files.deleteIfExists(pidFile);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Stops heartbeat on a node gracefully ({@code heartbeat -k}: it tells the peers it leaves). */
    public void stopHeartbeat(String node) {
        ExecResult r = exec(node, Duration.ofSeconds(90), HEARTBEAT, "-k");
        check(r, "heartbeat -k on " + node);
        Poll.until(Duration.ofSeconds(30), "heartbeat processes on " + node + " to end", () -> pids(node, "heartbeat").isEmpty());
    }

    /** Kills every heartbeat process of a node with SIGKILL (a crash: no goodbye to the peers). */
    public void killHeartbeat(String node) {
        pids(node, "heartbeat").forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
        Poll.until(Duration.ofSeconds(10), "heartbeat processes on " + node + " to die", () -> pids(node, "heartbeat").isEmpty());
    }

    /** Runs {@code cl_status ARGS} on a node. */
    public ExecResult clStatus(String node, String... args) {
        List<String> cmd = new ArrayList<>(List.of("cl_status"));
        cmd.addAll(Arrays.asList(args));
        return exec(node, Duration.ofSeconds(20), cmd.toArray(String[]::new));
    }

    /** The node's /var/log/ha-log ("" while it does not exist). */
    public String haLog(String node) {
        return readIfExists(path(node, "/var/log/ha-log"));
    }

    /** The text of a file inside a host ("" while it does not exist). */
    public String read(String host, String absolutePath) {
        return readIfExists(path(host, absolutePath));
    }

    // ---------------------------------------------------------------- teardown

    /** Kills every process of the lab, deletes its namespaces (and so its links) and its files. */
    @Override
    public void close() {
        teardown();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down; the hook is running or ran teardown already
        }
    }

    private synchronized void teardown() {
        if (closed) {
            return;
        }
        closed = true;
        synchronized (processes) {
            processes.forEach(LabProcess::close);
        }
        inits.values().forEach(HostInit::kill);
        List<String> namespaces = new ArrayList<>();
        hosts.values().forEach(h -> namespaces.add(h.namespace()));
        namespaces.add(prefix + "-sw");
        for (String ns : namespaces) {
            killNamespace(ns);
        }
        for (String ns : namespaces) {
            run(List.of("ip", "netns", "del", ns));
        }
        run(List.of("rm", "-rf", "--one-file-system", base.toString()));
        prefixLock.close();
    }

    // ---------------------------------------------------------------- building

    private void build() {
        try {
            Files.createDirectories(base);
            HostInit.writeScript(base);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String sw = prefix + "-sw";
        String pub = prefix + "-pub0", hb = prefix + "-hb0";
        setup("ip", "netns", "add", sw);
        for (String bridge : List.of(pub, hb)) {
            setup("ip", "-n", sw, "link", "add", bridge, "type", "bridge", "mcast_snooping", "0");
            setup("ip", "-n", sw, "link", "set", bridge, "up");
        }
        for (int i = 0; i < nodes.size(); i++) {
            String ns = prefix + "-n" + (i + 1);
            Host h = addHost(nodes.get(i), ns);
            cable(sw, prefix + "-n" + (i + 1) + "e0", pub, ns, "eth0");
            cable(sw, prefix + "-n" + (i + 1) + "e1", hb, ns, "eth1");
            address(ns, "eth0", publicAddress(h.name()) + "/24");
            address(ns, "eth1", heartbeatAddress(h.name()) + "/24");
            setup("ip", "-n", ns, "route", "add", "default", "via", GATEWAY_ADDRESS);
        }
        String gw = prefix + "-gw", cl = prefix + "-cl";
        addHost(GATEWAY, gw);
        addHost(CLIENT, cl);
        cable(sw, prefix + "-gwe0", pub, gw, "eth0");
        address(gw, "eth0", GATEWAY_ADDRESS + "/24");
        setup("ip", "-n", gw, "link", "add", "eth1", "type", "veth", "peer", "name", "eth0", "netns", cl);
        address(gw, "eth1", GATEWAY_CLIENT_ADDRESS + "/24");
        address(cl, "eth0", CLIENT_ADDRESS + "/24");
        setup("ip", "-n", cl, "route", "add", "default", "via", GATEWAY_CLIENT_ADDRESS);
        setup("ip", "netns", "exec", gw, "sysctl", "-qw", "net.ipv4.ip_forward=1");
    }

    private Host addHost(String name, String ns) {
        if (hosts.containsKey(name)) {
            throw new IllegalArgumentException("duplicate lab host name " + name);
        }
        setup("ip", "netns", "add", ns);
        setup("ip", "-n", ns, "link", "set", "lo", "up");
        Path dir = base.resolve(name);
        Map<String, Path> mounts = new LinkedHashMap<>();
        for (String d : PRIVATE_DIRS) {
            mounts.put(d, dir.resolve(d.substring(1)));
        }
        Host h = new Host(name, ns, dir, mounts);
        hosts.put(name, h);
        try {
            for (Path p : mounts.values()) {
                Files.createDirectories(p);
            }
            Path etc = mounts.get("/etc/ha.d");
            if (Files.isDirectory(Path.of("/etc/ha.d"))) {
                setup("cp", "-a", "/etc/ha.d/.", etc.toString());
                for (String f : List.of("ha.cf", "authkeys", "haresources")) {
                    Files.deleteIfExists(etc.resolve(f));
                }
            }
            Path lib = mounts.get("/var/lib/heartbeat");
            if (Files.isDirectory(Path.of("/var/lib/heartbeat"))) {
                // the directory skeleton with its owners, without state (hb_uuid, hb_generation, fifo...)
                setup("cp", "-a", "/var/lib/heartbeat/.", lib.toString());
                setup("find", lib.toString(), "-mindepth", "1", "!", "-type", "d", "-delete");
            }
            Path run = mounts.get("/run");
            Files.createDirectories(run.resolve("lock"));
            setup("chmod", "1777", run.resolve("lock").toString());
            // resource-agents' tmpfiles.d entry: "d /run/resource-agents 1755 root root" (IPaddr keeps state there)
            Files.createDirectories(run.resolve("resource-agents"));
            setup("chmod", "1755", run.resolve("resource-agents").toString());
            for (String d : List.of("heartbeat", "heartbeat/ccm", "heartbeat/crm", "heartbeat/dopd", "crm")) {
                Path p = Files.createDirectories(run.resolve(d));
                haclusterOwned(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the directories of lab host " + name, e);
        }
        writeMounts(h);
        inits.put(name, HostInit.boot(name, ns, base, dir, Map.of("PATH", PATH_ENV)));
        return h;
    }

    /** Like heartbeat's tmpfiles.d: hacluster:haclient, mode 750 (skipped where heartbeat is not installed). */
    private static void haclusterOwned(Path p) throws IOException {
        UserPrincipalLookupService users = p.getFileSystem().getUserPrincipalLookupService();
        UserPrincipal user;
        GroupPrincipal group;
        try {
            user = users.lookupPrincipalByName("hacluster");
            group = users.lookupPrincipalByGroupName("haclient");
        } catch (IOException e) {
            return;
        }
        PosixFileAttributeView view = Files.getFileAttributeView(p, PosixFileAttributeView.class);
        view.setOwner(user);
        view.setGroup(group);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-x---"));
    }

    private void writeMounts(Host h) {
        StringBuilder sb = new StringBuilder();
        h.mounts().forEach((dst, src) -> sb.append(src).append(' ').append(dst).append('\n'));
        try {
            Files.writeString(h.dir().resolve("mounts"), sb.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void cable(String sw, String switchEnd, String bridge, String ns, String device) {
        setup("ip", "-n", sw, "link", "add", switchEnd, "type", "veth", "peer", "name", device, "netns", ns);
        setup("ip", "-n", sw, "link", "set", switchEnd, "master", bridge, "up");
    }

    private void address(String ns, String device, String cidr) {
        setup("ip", "-n", ns, "addr", "add", cidr, "brd", "+", "dev", device);
        setup("ip", "-n", ns, "link", "set", device, "up");
    }

    private ProcessBuilder builder(Host h, List<String> command) {
        if (closed) {
            throw new IllegalStateException("lab " + prefix + " is closed");
        }
        ProcessBuilder pb = new ProcessBuilder(init(h.name()).enter(command));
        pb.environment().put("PATH", PATH_ENV);
        return pb;
    }

    private Host host(String name) {
        Host h = hosts.get(name);
        if (h == null) {
            throw new IllegalArgumentException("no lab host " + name + " (hosts: " + hosts.keySet() + ")");
        }
        return h;
    }

    private HostInit init(String host) {
        host(host);
        HostInit init = inits.get(host);
        if (init == null) {
            throw new IllegalStateException("lab host " + host + " has no init (its start failed)");
        }
        return init;
    }

    private int nodeNumber(String node) {
        int i = nodes.indexOf(node);
        if (i < 0) {
            throw new IllegalArgumentException("no lab node " + node + " (nodes: " + nodes + ")");
        }
        return i + 1;
    }

    private static void setup(String... cmd) {
        check(run(Arrays.asList(cmd)), String.join(" ", cmd));
    }

    private static void check(ExecResult r, String what) {
        if (!r.ok()) {
            throw new IllegalStateException("lab: " + what + " failed: " + r);
        }
    }

    private static List<Long> namespacePids(String ns) {
        ExecResult r = run(List.of("ip", "netns", "pids", ns));
        if (!r.ok()) {
            return List.of();
        }
        return r.stdout().lines().map(String::strip).filter(s -> s.matches("\\d+")).map(Long::valueOf).toList();
    }

    private static void killNamespace(String ns) {
        // kill is asynchronous and a dying daemon may still fork: re-list until the namespace is empty
        Poll.within(Duration.ofSeconds(10), () -> {
            List<Long> pids = namespacePids(ns);
            pids.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
            return pids.isEmpty();
        });
    }

    private static String readIfExists(Path p) {
        try {
            // logs may quote binary packet bytes: decode leniently (malformed bytes become U+FFFD)
            return Files.exists(p) ? new String(Files.readAllBytes(p), StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs a command on the machine itself (not in a lab host). */
    static ExecResult run(List<String> cmd) {
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
            pb.environment().put("PATH", PATH_ENV);
            Process p = pb.start();
            var err = new java.io.ByteArrayOutputStream();
            Thread errReader = new Thread(() -> {
                try (var in = p.getErrorStream()) {
                    in.transferTo(err);
                } catch (IOException e) {
                    err.writeBytes(("[stderr unreadable: " + e.getMessage() + "]").getBytes(StandardCharsets.UTF_8));
                }
            }, "lab-stderr");
            errReader.start();
            byte[] out;
            try (var in = p.getInputStream()) {
                out = in.readAllBytes();
            }
            errReader.join();
            if (!p.waitFor(SETUP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("lab: " + String.join(" ", cmd) + " did not finish");
            }
            return new ExecResult(p.exitValue(), new String(out, StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("lab: cannot run " + String.join(" ", cmd), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    // ---------------------------------------------------------------- power

    /**
     * Powers a host off the way a power switch would: every interface of its namespace goes down (no
     * packet in or out, its addresses unreachable) and every process in it is killed at once (SIGKILL,
     * no stop script runs). The namespace stays, empty, for the lab to remove at {@link #close}.
     */
    public void powerOff(String host) {
        String ns = namespace(host);
        for (String line : ip(host, "-o", "link", "show").stdout().lines().toList()) {
            String[] f = line.split(":\\s+", 3);
            if (f.length >= 2) {
                String dev = f[1].contains("@") ? f[1].substring(0, f[1].indexOf('@')) : f[1];
                if (!dev.equals("lo")) {
                    check(ip(host, "link", "set", dev, "down"), "power off " + host + ": set " + dev + " down");
                }
            }
        }
        killNamespace(ns);
    }
}
