package io.tandem.daemon.address;

import io.tandem.daemon.os.ArpSocket;
import java.io.IOException;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The daemon's half of the duplicate-address guard (docs/split-brain.md): it probes an address resource's
 * address before its start, watches the addresses this node holds, and announces an address when the
 * core asks. Probes run on up to {@value #PROBERS} threads at once (a group's addresses probed ahead of a
 * takeover or at start-up do not wait for each other), announcements one at a time on a thread of their
 * own; results come back as futures, conflicts through the listener (both off the event loop: post them
 * to it). Idle, the probing and announcing threads end.
 */
public final class ArpGuard implements AutoCloseable {
    /** What the probe found. */
    public sealed interface ProbeResult {
        /** Nobody answered (or the resource is not an address, or the probe is off): go on with the start. */
        record Free() implements ProbeResult {
        }

        /** Another host answered for the address. */
        record InUse(AddressTarget target, String mac) implements ProbeResult {
        }

        /** The probe could not run (no such interface, no CAP_NET_RAW): the start goes on without it. */
        record NotProbed(String why) implements ProbeResult {
        }
    }

    /** Another host claims an address this node holds. */
    public record Conflict(AddressTarget target, String mac) {
    }

    /** RFC 5227 ANNOUNCE_NUM 2; 1 s apart, Linux's default neighbour locktime, so every cache takes the second. */
    static final int ANNOUNCEMENTS = 2;
    static final long ANNOUNCE_INTERVAL_MS = 1_000;

    /** An early probe stands for a start's own until its window + this much after it began. */
    static final long EARLY_SLACK_MS = 200;
    private static final int MAX_EARLY = 64;

    /** A probe begun when the address's status was asked. */
    private record Early(CompletableFuture<ProbeResult> result, long startedNanos) {
    }

    private final ProbeSettings settings;
    private final java.util.Map<String, Early> early = new java.util.HashMap<>();
    /** Probes the core asked for ahead of a start ({@link #probeAhead}), by resource: a start the core marks takes one. */
    private final java.util.Map<String, CompletableFuture<ProbeResult>> ahead = new java.util.HashMap<>();
    /** Told (on the probing thread) each time a probe begins, for the debug log. */
    private final Consumer<String> probing;
    /** Probes at once, each with its own socket; more wait in a queue of {@value #PROBES_QUEUED}. */
    static final int PROBERS = 4;
    static final int PROBES_QUEUED = 64;
    private final ThreadPoolExecutor worker = idleEnding("arp-probe", PROBERS, new ArrayBlockingQueue<>(PROBES_QUEUED));
    /** Announcements wait between packets: apart from the probes, which must not wait behind them. */
    private final ThreadPoolExecutor announcer = idleEnding("arp-announce", 1, new LinkedBlockingQueue<>());
    private final AddressWatch watch;

    /**
     * @param conflicts called on a reader thread when another host claims a held address
     * @param problems  called on a reader thread when an interface cannot be watched
     */
    public ArpGuard(ProbeSettings settings, Consumer<Conflict> conflicts, Consumer<String> problems) {
        this(settings, conflicts, problems, line -> { });
    }

    /**
     * @param conflicts called on a reader thread when another host claims a held address
     * @param problems  called on a reader thread when an interface cannot be watched
     * @param probing   called on the probing thread when a probe begins (what it probes, and why)
     */
    public ArpGuard(ProbeSettings settings, Consumer<Conflict> conflicts, Consumer<String> problems, Consumer<String> probing) {
        this.settings = settings;
        this.probing = probing;
        this.watch = new AddressWatch(c -> conflicts.accept(new Conflict(c.target(), ArpSocket.formatMac(c.mac()))), problems);
    }

    /** Whether a resource's start is probed first. */
    public boolean probes(String resource) {
        return settings.enabled() && AddressTarget.isAddress(resource);
    }

    /**
     * Begins the probe of {@code resource}'s address now, when its {@code status} is asked outside monitoring
     * and the address is not held here: the {@code start} that usually follows (a takeover asks status
     * first) then waits for what is left of the probe's window, not for a whole window after the status
     * script. The start takes this probe only while it is fresh ({@link #probe}); otherwise it probes anew.
     */
    public void probeEarly(String resource) {
        if (!probes(resource) || watch.held(resource) != null) {
            return;
        }
        synchronized (early) {
            Early e = early.get(resource);
            if (e != null && fresh(e) && !inUse(e)) {
                return; // under way, or nobody answered: still good
            }
            if (early.size() >= MAX_EARLY) {
                early.clear(); // bounded: addresses are few; a start after this probes anew
            }
            early.put(resource, new Early(probeNow(resource, "early, beside its status"), System.nanoTime()));
        }
    }

    /**
     * Probes the address of {@code resource}: an early probe ({@link #probeEarly}) that began at most the
     * probe window + {@value #EARLY_SLACK_MS} ms ago and that nobody answered stands for it (its listening
     * ended at most that slack before this start adds the address); otherwise (none, stale, or answered:
     * the answer may have come before a hand-over released the address) a new probe. Never completes
     * exceptionally.
     */
    public CompletableFuture<ProbeResult> probe(String resource) {
        Early e;
        synchronized (early) {
            e = early.remove(resource);
        }
        if (e == null || !fresh(e)) {
            return probeNow(resource, BEFORE_START);
        }
        // an answer to an early probe may be the peer's, before it released the address in a hand-over:
        // only "nobody answered" stands for the start's probe; an answer is asked again now
        return e.result().thenCompose(r -> standsForStart(r) ? CompletableFuture.completedFuture(r) : probeNow(resource, BEFORE_START));
    }

    private static final String BEFORE_START = "before its start";

    /**
     * Begins the probe of {@code resource}'s address now, ahead of the start that may follow (the core's
     * {@code NodeEffect.ProbeAddress}; docs/split-brain.md): before the silent peer that holds its group is declared
     * dead ("Probe before death"), or at the node's start ("Probe at start-up"), {@code why} says which, and keeps it
     * for that start ({@link #probeTaken}); a newer one replaces it. Never completes exceptionally.
     */
    public CompletableFuture<ProbeResult> probeAhead(String resource, String why) {
        CompletableFuture<ProbeResult> f = !probes(resource) ? CompletableFuture.completedFuture(new ProbeResult.NotProbed("probing is off"))
                : watch.held(resource) != null ? CompletableFuture.completedFuture(new ProbeResult.NotProbed("the address is held here"))
                : probeNow(resource, why);
        synchronized (ahead) {
            if (ahead.size() >= MAX_EARLY) {
                ahead.clear(); // bounded: addresses are few; a start after this probes anew
            }
            ahead.put(resource, f);
        }
        return f;
    }

    /**
     * The probe for a start the core marked {@code preProbed}: the probe begun ahead ({@link #probeAhead}) stands
     * for it, waited for if it still listens, when nobody answered; an answered one, one that could not run, or
     * none kept: a new probe, as for any start. The core decided that the probe is recent enough; this takes the
     * time of nothing. Never completes exceptionally.
     */
    public CompletableFuture<ProbeResult> probeTaken(String resource) {
        CompletableFuture<ProbeResult> f;
        synchronized (ahead) {
            f = ahead.remove(resource);
        }
        if (f == null) {
            return probe(resource);
        }
        return f.thenCompose(r -> r instanceof ProbeResult.Free ? CompletableFuture.completedFuture(r) : probeNow(resource, BEFORE_START));
    }

    private boolean fresh(Early e) {
        return fresh(System.nanoTime() - e.startedNanos(), settings.windowMs());
    }

    /** An early probe this old may stand for a start's probe (its window + {@value #EARLY_SLACK_MS} ms). */
    static boolean fresh(long ageNanos, long windowMs) {
        return ageNanos >= 0 && ageNanos <= (windowMs + EARLY_SLACK_MS) * 1_000_000;
    }

    /** What an early probe found that a start may take as its own: anything but an answer. */
    static boolean standsForStart(ProbeResult r) {
        return !(r instanceof ProbeResult.InUse);
    }

    private static boolean inUse(Early e) {
        return e.result().isDone() && !standsForStart(e.result().join());
    }

    /** Up to {@code threads} daemon threads named {@code name}, each ending after 30 s without work (an idle daemon keeps none). */
    private static ThreadPoolExecutor idleEnding(String name, int threads, BlockingQueue<Runnable> queue) {
        ThreadPoolExecutor e = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, queue, r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
        e.allowCoreThreadTimeOut(true);
        return e;
    }

    private CompletableFuture<ProbeResult> probeNow(String resource, String why) {
        try {
            return probeOn(resource, why);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.completedFuture(new ProbeResult.NotProbed(worker.isShutdown() ? "the daemon is leaving"
                    : PROBERS + " probes run and " + PROBES_QUEUED + " wait already"));
        }
    }

    private CompletableFuture<ProbeResult> probeOn(String resource, String why) {
        return CompletableFuture.<ProbeResult>supplyAsync(() -> {
            Optional<AddressTarget> t = AddressTarget.resolve(resource);
            if (t.isEmpty()) {
                return new ProbeResult.NotProbed("no interface has a network holding the address of " + resource);
            }
            probing.accept("Probing the address " + t.get().ip() + " on " + t.get().iface() + " (" + resource + ") " + why + ": "
                    + settings.probes() + " ARP probes, answers awaited " + settings.windowMs() + " ms.");
            try {
                OptionalLong mac = AddressProbe.probe(t.get(), settings);
                return mac.isPresent() ? new ProbeResult.InUse(t.get(), ArpSocket.formatMac(mac.getAsLong())) : new ProbeResult.Free();
            } catch (IOException e) {
                return new ProbeResult.NotProbed(e.getMessage());
            }
        }, worker).exceptionally(e -> new ProbeResult.NotProbed("the probe failed: " + e));
    }

    /** The resource's address is held here now (its start succeeded): watch it. */
    public void held(String resource) {
        AddressTarget.resolve(resource).ifPresent(watch::hold);
    }

    /** The resource's address is no longer held here. */
    public void released(String resource) {
        watch.release(resource);
    }

    /**
     * Announces the address of {@code resource} with gratuitous ARP ({@link #ANNOUNCEMENTS} of them); the
     * future says on which interface, or why not.
     */
    public CompletableFuture<String> announce(String resource) {
        return CompletableFuture.supplyAsync(() -> {
            AddressTarget t = watch.held(resource);
            if (t == null) {
                t = AddressTarget.resolve(resource).orElse(null);
            }
            if (t == null) {
                return "not announced: no interface has a network holding the address of " + resource;
            }
            try (ArpSocket s = ArpSocket.open(t.iface(), 10)) {
                for (int i = 0; i < ANNOUNCEMENTS; i++) {
                    if (i > 0) {
                        Thread.sleep(ANNOUNCE_INTERVAL_MS);
                    }
                    s.announce(t.ipValue());
                }
                return "announced " + t.ip() + " on " + t.iface();
            } catch (IOException e) {
                return "not announced: " + e.getMessage();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "not announced: interrupted";
            }
        }, announcer);
    }

    @Override
    public void close() {
        watch.close();
        worker.shutdownNow();
        announcer.shutdownNow();
        try {
            worker.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
