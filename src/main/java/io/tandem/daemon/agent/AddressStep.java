package io.tandem.daemon.agent;

import io.tandem.config.Severity;
import io.tandem.daemon.process.ProcessResult;
import io.tandem.daemon.os.NetlinkAddresses;
import io.tandem.daemon.process.ProcessRunner;
import io.tandem.resources.Effect;
import io.tandem.resources.ResourceOp.Action;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The fast address step for heartbeat's {@code IPaddr} script with heartbeat-style arguments
 * ({@code IPaddr::ip/bits/iface[/broadcast]}): the daemon does the part the client waits for itself and
 * then runs the script as always, which finds its work done.
 *
 * <ul>
 * <li><b>start</b>: if the address is on no interface, {@code ip addr add ip/bits brd B dev IFACE label IFACE:N}
 * with the label the script would choose (its lock links {@code $HA_RSCTMP/IPaddr-IFACE:N} made the same way),
 * then {@code send_arp} with the script's arguments and pid file, in the background as the script runs it;
 * then the script's {@code start}, whose {@code ip_status} finds the address on {@code IFACE:N} and succeeds.</li>
 * <li><b>stop</b>: if the address is on {@code IFACE} under an alias label (what the script manages),
 * every gratuitous-ARP sender of the address stopped ({@link ArpSenders}: the {@code send_arp} of the
 * script's pid file, verified by its command line, and the step's own arping) while it still serves; then
 * {@code ip addr del} and the lock link removed; then, the address on no other interface, the step says it is gone
 * ({@link Outcome#addressGone}: a standby giver says {@code done} on it); then the script's {@code stop},
 * which finds nothing else to do.</li>
 * </ul>
 *
 * <p>The script decides the outcome: a failed step is logged and the script runs as it would have; the
 * step never runs for anything else (IPaddr2, no interface or netmask given, the address already
 * present on start, unlabelled on stop). Every piece of the argument is validated by {@link IpAddrSpec}
 * and passed as one argv word: no shell.
 */
public final class AddressStep {
    /** resource-agents' {@code $HA_RSCTMP}: IPaddr's lock links and send_arp's pid file. */
    public static final Path RSCTMP = Path.of("/run/resource-agents");
    /** resource-agents' {@code $HA_BIN/send_arp}. */
    public static final String SEND_ARP = "/usr/libexec/heartbeat/send_arp";
    /** iputils' arping, when send_arp is not installed. */
    public static final String ARPING = "/usr/bin/arping";
    /** IPaddr's defaults ({@code ARP_INTERVAL_MS}, {@code ARP_REPEAT}, {@code ARP_NETMASK}). */
    static final String ARP_INTERVAL_MS = "500";
    static final String ARP_REPEAT = "10";
    static final String ARP_NETMASK = "ffffffffffff";
    private static final long COMMAND_TIMEOUT_MS = 5_000;
    private static final long ARP_TIMEOUT_MS = 30_000;
    /** IPaddr's label search stops here ({@code [ $j -lt 512 ]}). */
    static final int MAX_ALIAS = 512;
    private static final String SOURCE = "ResourceManager";

    private final ProcessRunner runner;
    private final List<String> prefix;
    private final Path rsctmp;
    private final String sendArp;
    private final String arping;
    private final ArpSenders senders = new ArpSenders();
    /** Whether addresses are read over rtnetlink ({@link #addresses}); off only to test the {@code ip} listing. */
    private final boolean netlink;

    /**
     * @param execPrefix put before every command ({@code ip netns exec NS}); empty normally
     * @param rsctmp     where IPaddr keeps its lock links and send_arp's pid file ({@link #RSCTMP})
     * @param sendArp    send_arp's path, used when executable ({@link #SEND_ARP})
     * @param arping     arping's path, used when send_arp is not ({@link #ARPING})
     */
    public AddressStep(ProcessRunner runner, List<String> execPrefix, Path rsctmp, String sendArp, String arping) {
        this(runner, execPrefix, rsctmp, sendArp, arping, true);
    }

    /** As above; {@code netlink} false lists addresses with {@code ip} only. */
    AddressStep(ProcessRunner runner, List<String> execPrefix, Path rsctmp, String sendArp, String arping, boolean netlink) {
        this.netlink = netlink;
        this.runner = runner;
        this.prefix = List.copyOf(execPrefix);
        this.rsctmp = rsctmp;
        this.sendArp = sendArp;
        this.arping = arping;
    }

    /**
     * The standard paths; {@code $HA_RSCTMP} as the scripts will see it ({@code env}, else the daemon's
     * environment, else resource-agents' default {@link #RSCTMP}).
     */
    public static AddressStep standard(ProcessRunner runner, List<String> execPrefix, Map<String, String> env) {
        String dir = env.getOrDefault("HA_RSCTMP", System.getenv("HA_RSCTMP"));
        Path rsctmp = dir != null && dir.startsWith("/") && !dir.contains("\0") ? Path.of(dir) : RSCTMP;
        return new AddressStep(runner, execPrefix, rsctmp, SEND_ARP, ARPING);
    }

    /** The address of a call the step applies to: heartbeat's IPaddr with one argument naming address, bits and interface. */
    static Optional<IpAddrSpec> eligible(AgentCall call, Action action) {
        if (call.kind() != AgentKind.HEARTBEAT_SCRIPT || !BuiltinNames.IPADDR.equals(call.name()) || call.args().size() != 1
                || action == Action.STATUS) {
            return Optional.empty();
        }
        try {
            IpAddrSpec spec = IpAddrSpec.parse(call.args().get(0));
            // the script ignores a label after the interface and picks IFACE:N itself: so do we
            // and an interface name that cannot read as an option to ip or send_arp
            return spec.prefix() >= 0 && spec.iface().matches("[A-Za-z0-9][A-Za-z0-9_.@-]*") && spec.label().isEmpty() ? Optional.of(spec)
                    : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Whether a {@code status} of {@code call} may be answered by {@link #absent}: the calls the step applies to. */
    static boolean eligibleStatus(AgentCall call) {
        return eligible(call, Action.START).isPresent();
    }

    /**
     * For a {@code status} outside monitoring: when the address is configured on no interface, the log lines
     * saying so (the answer is "stopped", as IPaddr's own {@code ip_status} would find: it looks for the
     * address among the interfaces' aliases); empty when it is configured somewhere or the addresses cannot
     * be listed: then the script answers. Never completes exceptionally.
     */
    public CompletableFuture<Optional<List<Effect.Log>>> absent(AgentCall call) {
        Optional<IpAddrSpec> spec = eligible(call, Action.START);
        if (spec.isEmpty()) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        return addresses(new ArrayList<>()).thenApply(listed -> {
            if (listed.isEmpty() || listed.get().stream().anyMatch(a -> a.ip().equals(spec.get().ip()))) {
                return Optional.<List<Effect.Log>>empty();
            }
            return Optional.of(List.of(log(Severity.DEBUG, "Fast address step: " + spec.get().ip() + " is on no interface: "
                    + call.resource() + " is stopped (status without the script)")));
        }).exceptionally(e -> Optional.empty());
    }

    /** Runs the step for {@code call} (nothing when it does not apply); completes with its log lines, never exceptionally. */
    public CompletableFuture<List<Effect.Log>> before(AgentCall call, Action action) {
        return step(call, action).thenApply(Outcome::lines);
    }

    /**
     * What a step did: its log lines, and for a stop whether the address is gone from this host
     * ({@code addressGone}): removed by the step, every {@code send_arp}/arping of it stopped, and found on
     * no interface afterwards. Then nothing of this host announces it any more, whatever the script's rest does.
     */
    public record Outcome(List<Effect.Log> lines, boolean addressGone) {
        public Outcome {
            lines = List.copyOf(lines);
        }
    }

    /** Runs the step for {@code call} (nothing when it does not apply); never completes exceptionally. */
    public CompletableFuture<Outcome> step(AgentCall call, Action action) {
        Optional<IpAddrSpec> spec = eligible(call, action);
        if (spec.isEmpty()) {
            return CompletableFuture.completedFuture(new Outcome(List.of(), false));
        }
        List<Effect.Log> lines = new ArrayList<>();
        return addresses(lines).thenCompose(listed -> {
            if (listed.isEmpty()) {
                return CompletableFuture.completedFuture(new Outcome(lines, false));
            }
            List<IpAddress> present = listed.get();
            return action == Action.START ? add(spec.get(), present, lines).thenApply(l -> new Outcome(l, false))
                    : del(spec.get(), present, lines);
        }).exceptionally(e -> {
            lines.add(log(Severity.WARN, "Fast address step failed: " + e));
            return new Outcome(lines, false);
        });
    }

    private CompletableFuture<List<Effect.Log>> add(IpAddrSpec spec, List<IpAddress> present, List<Effect.Log> lines) {
        if (present.stream().anyMatch(a -> a.ip().equals(spec.ip()))) {
            return CompletableFuture.completedFuture(lines); // the script judges an address already there
        }
        Set<String> used = new HashSet<>();
        present.forEach(a -> used.add(a.label()));
        String label = claimLabel(spec.iface(), used);
        if (label == null) {
            lines.add(log(Severity.WARN, "Fast address step skipped: no free alias of " + spec.iface() + " in " + rsctmp));
            return CompletableFuture.completedFuture(lines);
        }
        List<String> add = addArgv(spec, label);
        return exec(add).thenApply(r -> {
            if (!r.succeeded()) {
                releaseLabel(label);
                lines.add(log(Severity.WARN, "Fast address step: " + String.join(" ", add) + " failed (exit " + r.exitCode() + "): "
                        + io.tandem.daemon.log.LogText.clean(String.join(" / ", r.output()))));
                return lines;
            }
            lines.add(log(Severity.INFO, "Fast address step: " + String.join(" ", add)));
            List<String> arp = arpArgv(spec);
            if (!arp.isEmpty()) {
                exec(arp, ARP_TIMEOUT_MS); // in the background, as IPaddr runs send_arp; its stop kills it by the pid file
                lines.add(log(Severity.DEBUG, "Fast address step: " + String.join(" ", arp)));
            }
            return lines;
        });
    }

    private CompletableFuture<Outcome> del(IpAddrSpec spec, List<IpAddress> present, List<Effect.Log> lines) {
        Optional<IpAddress> held = present.stream()
                .filter(a -> a.ip().equals(spec.ip()) && a.iface().equals(spec.iface()) && a.label().startsWith(a.iface() + ":"))
                .findFirst();
        if (held.isEmpty()) {
            return CompletableFuture.completedFuture(new Outcome(lines, false)); // not an alias of IFACE: the script's business
        }
        List<String> del = delArgv(held.get());
        // the senders first, while the address still serves: their end is not part of the clients' gap
        boolean silent = silence(spec, lines);
        boolean only = present.stream().filter(a -> a.ip().equals(spec.ip())).count() == 1;
        return exec(del).thenApply(r -> {
            if (!r.succeeded()) {
                lines.add(log(Severity.WARN, "Fast address step: " + String.join(" ", del) + " failed (exit " + r.exitCode() + ")"));
                return new Outcome(lines, false);
            }
            releaseLabel(held.get().label());
            lines.add(log(Severity.INFO, "Fast address step: " + String.join(" ", del)));
            // removed by the kernel (exit 0), and the listing before showed it nowhere else: gone from this host
            if (only && silent) {
                lines.add(log(Severity.INFO, "Fast address step: " + spec.ip() + " is on no interface and no longer announced from here"));
            } else if (!only) {
                lines.add(log(Severity.WARN, "Fast address step: " + spec.ip() + " is on another interface too: the script's stop decides"));
            }
            return new Outcome(lines, only && silent);
        });
    }

    /**
     * Stops every gratuitous-ARP sender of the address on this host ({@link ArpSenders}): the send_arp of
     * IPaddr's pid file (the script's or ours; the pid file goes too, as IPaddr's stop removes it) and our
     * own background arping. False when one still runs.
     */
    private boolean silence(IpAddrSpec spec, List<Effect.Log> lines) {
        try {
            boolean silent = true;
            Path pidFile = rsctmp.resolve("send_arp-" + spec.ip());
            Optional<Long> sendArp = senders.sendArpOf(pidFile, spec.ip());
            if (sendArp.isPresent()) {
                boolean stopped = senders.stop(sendArp.get(), "send_arp", spec.ip());
                if (stopped) {
                    Files.deleteIfExists(pidFile);
                }
                lines.add(log(stopped ? Severity.INFO : Severity.WARN, "Fast address step: send_arp " + sendArp.get() + " for " + spec.ip()
                        + (stopped ? " stopped" : " still runs")));
                silent = stopped;
            }
            for (long pid : senders.ownArpings(spec.ip())) {
                boolean stopped = senders.stop(pid, "arping", spec.ip());
                lines.add(log(stopped ? Severity.DEBUG : Severity.WARN, "Fast address step: arping " + pid + " for " + spec.ip()
                        + (stopped ? " stopped" : " still runs")));
                silent &= stopped;
            }
            return silent;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (IOException | RuntimeException e) {
            lines.add(log(Severity.WARN, "Fast address step: cannot stop the ARP senders of " + spec.ip() + ": " + e));
            return false;
        }
    }

    /** {@code ip addr add IP/BITS [brd B] dev IFACE label LABEL}. */
    static List<String> addArgv(IpAddrSpec spec, String label) {
        List<String> argv = new ArrayList<>(List.of("ip", "addr", "add", spec.ip() + "/" + spec.prefix()));
        String brd = spec.effectiveBroadcast();
        if (!brd.isEmpty()) {
            argv.addAll(List.of("brd", brd));
        }
        argv.addAll(List.of("dev", spec.iface(), "label", label));
        return List.copyOf(argv);
    }

    /** {@code ip addr del IP/BITS dev IFACE}. */
    static List<String> delArgv(IpAddress held) {
        return List.of("ip", "addr", "del", held.ip() + "/" + held.prefix(), "dev", held.iface());
    }

    /** IPaddr's own send_arp call (its pid file, so that its stop kills it), or arping, or nothing when neither is installed. */
    List<String> arpArgv(IpAddrSpec spec) {
        if (Files.isExecutable(Path.of(sendArp))) {
            return sendArpArgv(sendArp, rsctmp, spec);
        }
        if (Files.isExecutable(Path.of(arping))) {
            return List.of(arping, "-U", "-c", "3", "-I", spec.iface(), spec.ip());
        }
        return List.of();
    }

    static List<String> sendArpArgv(String sendArp, Path rsctmp, IpAddrSpec spec) {
        return List.of(sendArp, "-i", ARP_INTERVAL_MS, "-r", ARP_REPEAT, "-p", rsctmp.resolve("send_arp-" + spec.ip()).toString(), spec.iface(),
                spec.ip(), "auto", spec.ip(), ARP_NETMASK);
    }

    /**
     * IPaddr's {@code find_free_interface}: start at N = the number of lock links {@code IPaddr-IFACE:*} (0 if
     * {@code IPaddr-IFACE:N} exists), skip labels in use, and take the first N whose link
     * {@code IPaddr-IFACE:N → IPaddr-IFACE} can be made. Null when none (or the directory cannot be used).
     */
    String claimLabel(String iface, Set<String> used) {
        try {
            Files.createDirectories(rsctmp);
            Path base = rsctmp.resolve("IPaddr-" + iface);
            if (!Files.exists(base)) {
                Files.createFile(base);
            }
            int links = 0;
            try (var s = Files.newDirectoryStream(rsctmp)) {
                for (Path p : s) {
                    if (p.getFileName().toString().startsWith("IPaddr-" + iface + ":")) {
                        links++;
                    }
                }
            }
            int j = Files.exists(rsctmp.resolve("IPaddr-" + iface + ":" + links)) ? 0 : links;
            for (; j < MAX_ALIAS; j++) {
                String label = iface + ":" + j;
                if (used.contains(label) || label.length() > 15) {
                    continue;
                }
                try {
                    Files.createLink(rsctmp.resolve("IPaddr-" + label), base);
                    return label;
                } catch (FileAlreadyExistsException e) {
                    // taken by an earlier run: the next one
                }
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return null;
    }

    /** IPaddr's stop: {@code rm -f $VLDIR/IPaddr-LABEL}. */
    void releaseLabel(String label) {
        try {
            Files.deleteIfExists(rsctmp.resolve("IPaddr-" + label));
        } catch (IOException e) {
            // as rm -f
        }
    }

    /**
     * The IPv4 addresses of this host: read over rtnetlink in the daemon's process (no process started:
     * {@link NetlinkAddresses}), else listed by {@code ip -o -4 addr show} (with an exec prefix, which names
     * another namespace, always). Empty, with a warning in {@code lines}, when neither can list them.
     */
    private CompletableFuture<Optional<List<IpAddress>>> addresses(List<Effect.Log> lines) {
        if (prefix.isEmpty() && netlink) {
            try {
                List<IpAddress> out = new ArrayList<>();
                for (NetlinkAddresses.Entry e : NetlinkAddresses.list()) {
                    out.add(new IpAddress(e.iface(), e.ip(), e.prefix(), e.label()));
                }
                return CompletableFuture.completedFuture(Optional.of(out));
            } catch (IOException e) {
                lines.add(log(Severity.DEBUG, "Fast address step: " + e.getMessage() + "; listing with ip instead"));
            }
        }
        return exec(List.of("ip", "-o", "-4", "addr", "show")).thenApply(listed -> {
            if (listed.exitCode() != 0) {
                lines.add(log(Severity.WARN, "Fast address step skipped: cannot list addresses (exit " + listed.exitCode() + ")"));
                return Optional.empty();
            }
            return Optional.of(IpAddress.parse(listed.stdout()));
        });
    }

    private CompletableFuture<ProcessResult> exec(List<String> command) {
        return exec(command, COMMAND_TIMEOUT_MS);
    }

    private CompletableFuture<ProcessResult> exec(List<String> command, long timeoutMs) {
        List<String> argv = new ArrayList<>(prefix);
        argv.addAll(command);
        return runner.run(argv, Map.of("LC_ALL", "C"), timeoutMs);
    }

    private static Effect.Log log(Severity level, String text) {
        return new Effect.Log(level, SOURCE, text);
    }
}
