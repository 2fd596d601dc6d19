package io.tandem.daemon.agent;

import io.tandem.daemon.process.ProcessResult;
import io.tandem.daemon.process.ProcessRunner;
import io.tandem.resources.ResourceOp.Action;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Tandem's own {@code IPaddr}/{@code IPaddr2}, used when no such script is installed. It manages the
 * virtual address with iproute2 as a labelled secondary address ({@code eth0:0}, the next free
 * {@code eth0:N}, or the label given as {@code iface:label}), announces it with gratuitous ARP
 * ({@code arping -U}, in the background as heartbeat's {@code send_arp}), removes it on stop and reports
 * it running exactly when the address is configured.
 *
 * <p>Results use the codes the agent layer judges {@code BUILTIN} agents by: 0 success/running,
 * 7 not running, 1 failure, 2 bad argument.
 */
public final class BuiltinIpAddr {
    public static final int OK = 0;
    public static final int ERROR = 1;
    public static final int BAD_ARGUMENT = 2;
    public static final int NOT_RUNNING = 7;

    private static final long COMMAND_TIMEOUT_MS = 10_000;
    private static final int ARP_COUNT = 3;
    private static final int MAX_IFNAME = 15;

    private final ProcessRunner runner;
    private final List<String> prefix;

    /**
     * @param execPrefix put before every command ({@code ip netns exec NS} to act in a network namespace);
     *                   empty normally
     */
    public BuiltinIpAddr(ProcessRunner runner, List<String> execPrefix) {
        this.runner = Objects.requireNonNull(runner, "runner");
        this.prefix = List.copyOf(execPrefix);
    }

    /** Runs one operation; {@code args} are the resource's arguments (one: the IPaddr spec). */
    public CompletableFuture<ProcessResult> run(List<String> args, Action action) {
        if (args.size() != 1) {
            return done(BAD_ARGUMENT, List.of("ERROR: usage: IPaddr ip-address[/netmaskbits[/interface[:label]][/broadcast]]"));
        }
        IpAddrSpec spec;
        try {
            spec = IpAddrSpec.parse(args.get(0));
        } catch (IllegalArgumentException e) {
            return done(BAD_ARGUMENT, List.of("ERROR: " + e.getMessage()));
        }
        return addresses().thenCompose(listed -> {
            if (listed.exitCode() != 0) {
                List<String> out = new ArrayList<>(List.of("ERROR: cannot list addresses (ip -o -4 addr show):"));
                out.addAll(listed.output());
                return done(ERROR, out);
            }
            List<IpAddress> present = IpAddress.parse(listed.stdout());
            switch (action) {
                case START:
                    return start(spec, present);
                case STOP:
                    return stop(spec, present);
                default:
                    return status(spec, present);
            }
        });
    }

    private CompletableFuture<ProcessResult> status(IpAddrSpec spec, List<IpAddress> present) {
        List<IpAddress> held = holding(spec, present);
        if (held.isEmpty()) {
            return done(NOT_RUNNING, List.of("INFO: " + spec.ip() + " is stopped"));
        }
        IpAddress a = held.get(0);
        return done(OK, List.of("INFO: " + spec.ip() + " is running on " + a.iface() + " as " + a.label()));
    }

    private CompletableFuture<ProcessResult> start(IpAddrSpec given, List<IpAddress> present) {
        List<IpAddress> held = holding(given, present);
        if (!held.isEmpty()) {
            return done(OK, List.of("INFO: " + given.ip() + " is already running on " + held.get(0).label()));
        }
        IpAddrSpec spec = given;
        if (spec.iface().isEmpty() || spec.prefix() < 0) {
            IpAddress net = present.stream()
                    .filter(a -> !a.ip().equals(given.ip()))
                    .filter(a -> given.iface().isEmpty() || a.iface().equals(given.iface()))
                    .filter(a -> given.inNetwork(a.ip(), given.prefix() < 0 ? a.prefix() : given.prefix()))
                    .findFirst().orElse(null);
            if (net == null) {
                return done(ERROR, List.of("ERROR: no interface has a network containing " + given.ip()
                        + "; give it as ip/netmaskbits/interface"));
            }
            spec = given.withDefaults(net.prefix(), net.iface());
        }
        String label = spec.labelFor(freeIndex(spec.iface(), present));
        if (label.length() > MAX_IFNAME) {
            return done(BAD_ARGUMENT, List.of("ERROR: label " + label + " is longer than " + MAX_IFNAME + " characters"));
        }
        List<String> add = new ArrayList<>(List.of("ip", "addr", "add", spec.ip() + "/" + spec.prefix()));
        String brd = spec.effectiveBroadcast();
        if (!brd.isEmpty()) {
            add.addAll(List.of("brd", brd));
        }
        add.addAll(List.of("dev", spec.iface(), "label", label));
        IpAddrSpec chosen = spec;
        return exec(add).thenApply(r -> {
            List<String> out = new ArrayList<>();
            out.add("INFO: " + String.join(" ", add));
            out.addAll(r.output());
            if (!r.succeeded()) {
                out.add("ERROR: adding " + chosen.ip() + " to " + chosen.iface() + " failed (exit " + r.exitCode() + ")");
                return new ProcessResult(ERROR, out, false, out);
            }
            List<String> arp = List.of("arping", "-U", "-c", Integer.toString(ARP_COUNT), "-I", chosen.iface(), chosen.ip());
            exec(arp);
            out.add("INFO: " + String.join(" ", arp));
            return new ProcessResult(OK, out, false, out);
        });
    }

    private CompletableFuture<ProcessResult> stop(IpAddrSpec spec, List<IpAddress> present) {
        List<IpAddress> held = holding(spec, present);
        if (held.isEmpty()) {
            return done(OK, List.of("INFO: " + spec.ip() + " is already stopped"));
        }
        CompletableFuture<List<String>> chain = CompletableFuture.completedFuture(new ArrayList<>());
        for (IpAddress a : held) {
            List<String> del = List.of("ip", "addr", "del", a.ip() + "/" + a.prefix(), "dev", a.iface());
            chain = chain.thenCompose(out -> exec(del).thenApply(r -> {
                out.add("INFO: " + String.join(" ", del));
                out.addAll(r.output());
                if (!r.succeeded()) {
                    out.add("ERROR: removing " + a.ip() + " from " + a.iface() + " failed (exit " + r.exitCode() + ")");
                }
                return out;
            }));
        }
        return chain.thenCompose(out -> addresses().thenApply(after -> {
            boolean gone = after.exitCode() == 0 && holding(spec, IpAddress.parse(after.stdout())).isEmpty();
            return new ProcessResult(gone ? OK : ERROR, out, false, out);
        }));
    }

    /** The configured addresses equal to the VIP (on the given interface, if one was given). */
    private static List<IpAddress> holding(IpAddrSpec spec, List<IpAddress> present) {
        return present.stream()
                .filter(a -> a.ip().equals(spec.ip()))
                .filter(a -> spec.iface().isEmpty() || a.iface().equals(spec.iface()))
                .toList();
    }

    /** The smallest N such that {@code iface:N} is not a label in use. */
    private static int freeIndex(String iface, List<IpAddress> present) {
        Set<String> used = new HashSet<>();
        for (IpAddress a : present) {
            used.add(a.label());
        }
        int n = 0;
        while (used.contains(iface + ":" + n)) {
            n++;
        }
        return n;
    }

    private CompletableFuture<ProcessResult> addresses() {
        return exec(List.of("ip", "-o", "-4", "addr", "show"));
    }

    private CompletableFuture<ProcessResult> exec(List<String> command) {
        List<String> argv = new ArrayList<>(prefix);
        argv.addAll(command);
        return runner.run(argv, Map.of("LC_ALL", "C"), COMMAND_TIMEOUT_MS);
    }

    private static CompletableFuture<ProcessResult> done(int code, List<String> lines) {
        return CompletableFuture.completedFuture(new ProcessResult(code, lines, false, lines));
    }
}
