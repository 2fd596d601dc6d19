package io.tandem.lab.faults;

import io.tandem.lab.TandemNodes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * What the campaign watches, continuously: every ~50 ms a {@link Sample} of both nodes (VIP held,
 * apache2 running, daemon alive) and whether the campaign has the nodes able to talk; a client on
 * the client network fetching the page at the VIP every ~100 ms. Changes go to the {@link Trace}.
 * The VIP is read from the node's /proc/net/fib_trie (no process per sample).
 */
final class Audits implements AutoCloseable {
    static final long PERIOD_MS = 50;

    /** One look at both nodes; {@code t} in ns (System.nanoTime). */
    record Sample(long t, boolean[] vip, boolean[] apache, boolean[] alive, boolean talk, boolean[] downOnPurpose) {
        boolean dual() {
            return vip[0] && vip[1];
        }

        int holders() {
            return (vip[0] ? 1 : 0) + (vip[1] ? 1 : 0);
        }
    }

    /** One fetch by the client. */
    record Fetch(long t, boolean served, String from) {
    }

    private final TwoNodes cluster;
    private final Trace trace;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicBoolean talk = new AtomicBoolean(true);
    private final java.util.Set<String> downOnPurpose = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final List<Sample> samples = new ArrayList<>();
    private final List<Fetch> fetches = new ArrayList<>();
    private final List<Long> gaps = new ArrayList<>();
    private final Thread sampler = new Thread(this::sampleLoop, "fault-audit-sampler");
    private final Thread client = new Thread(this::clientLoop, "fault-audit-client");

    Audits(TwoNodes cluster, Trace trace) {
        this.cluster = cluster;
        this.trace = trace;
        sampler.setDaemon(true);
        client.setDaemon(true);
        sampler.start();
        client.start();
    }

    /** The campaign says whether the nodes can talk now (no cut, no frozen daemon, no power-off). */
    void talk(boolean canTalk) {
        talk.set(canTalk);
    }

    /** The campaign says that a node's daemon is down on purpose (killed, stopped, frozen, powered off) or back. */
    void downOnPurpose(String node, boolean down) {
        if (down) {
            downOnPurpose.add(node);
        } else {
            downOnPurpose.remove(node);
        }
    }

    private void sampleLoop() {
        Sample last = null;
        while (running.get()) {
            last = sampleOnce(last);
            LockSupport.parkNanos(PERIOD_MS * 1_000_000);
        }
    }

    private Sample sampleOnce(Sample last) {
        boolean[] vip = new boolean[2];
        boolean[] apache = new boolean[2];
        boolean[] alive = new boolean[2];
        for (int i = 0; i < 2; i++) {
            String n = TwoNodes.NODES.get(i);
            int k = i;
            vip[i] = look(() -> holdsVip(n), last != null && last.vip[k]);
            try {
                boolean[] ad = cluster.apacheAndDaemon(n);
                apache[i] = ad[0];
                alive[i] = ad[1];
            } catch (RuntimeException e) {
                apache[i] = last != null && last.apache[k];
                alive[i] = last != null && last.alive[k];
            }
        }
        boolean[] down = {downOnPurpose.contains(TwoNodes.NODES.get(0)), downOnPurpose.contains(TwoNodes.NODES.get(1))};
        Sample s = new Sample(System.nanoTime(), vip, apache, alive, talk.get(), down);
        synchronized (this) {
            samples.add(s);
            if (last != null) {
                gaps.add((s.t - last.t) / 1_000_000);
            }
        }
        if (last != null) {
            for (int i = 0; i < 2; i++) {
                String n = TwoNodes.NODES.get(i);
                change(s.t, n, "VIP", last.vip[i], vip[i]);
                change(s.t, n, "apache2", last.apache[i], apache[i]);
                change(s.t, n, "daemon", last.alive[i], alive[i]);
            }
        }
        return s;
    }

    /** One look; when it fails (a process gone between listing and reading it), the previous sample's answer. */
    private static boolean look(java.util.function.BooleanSupplier probe, boolean before) {
        try {
            return probe.getAsBoolean();
        } catch (RuntimeException e) {
            return before;
        }
    }

    private void change(long t, String node, String what, boolean before, boolean now) {
        if (before != now) {
            trace.at(t, node + ": " + what + (now ? " up" : " down"));
        }
    }

    private boolean holdsVip(String node) {
        Path trie = Path.of("/proc", Long.toString(cluster.lab.initPid(node)), "net", "fib_trie");
        try {
            List<String> lines = Files.readAllLines(trie);
            String target = "|-- " + TwoNodes.VIP;
            for (int i = 0; i + 1 < lines.size(); i++) {
                if (lines.get(i).strip().equals(target) && lines.get(i + 1).strip().startsWith("/32 host LOCAL")) {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            return false;
        }
    }

    private void clientLoop() {
        Boolean lastServed = null;
        while (running.get()) {
            long t = System.nanoTime();
            String got = "";
            try {
                got = TandemNodes.fetch(cluster.lab, TwoNodes.VIP).strip();
            } catch (RuntimeException e) {
                got = "";
            }
            boolean served = !got.isEmpty();
            synchronized (this) {
                fetches.add(new Fetch(t, served, got));
            }
            if (lastServed == null || lastServed != served) {
                trace.at(t, "client: " + (served ? "served by " + got : "not served"));
                lastServed = served;
            }
            LockSupport.parkNanos(100_000_000);
        }
    }

    synchronized List<Sample> samples(long from, long to) {
        return samples.stream().filter(s -> s.t >= from && s.t <= to).toList();
    }

    synchronized List<Fetch> fetches(long from, long to) {
        return fetches.stream().filter(f -> f.t >= from && f.t <= to).toList();
    }

    synchronized Sample last() {
        return samples.isEmpty() ? null : samples.get(samples.size() - 1);
    }

    synchronized Fetch lastFetch() {
        return fetches.isEmpty() ? null : fetches.get(fetches.size() - 1);
    }

    /** Drops what is older than {@code before} (a long campaign keeps only the current fault's window). */
    synchronized void forget(long before) {
        samples.removeIf(s -> s.t < before);
        fetches.removeIf(f -> f.t < before);
    }

    /** Gaps between consecutive samples of the whole campaign, ms. */
    synchronized List<Long> gapsMs() {
        return new ArrayList<>(gaps);
    }

    @Override
    public void close() {
        running.set(false);
        try {
            sampler.join(5_000);
            client.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

}
