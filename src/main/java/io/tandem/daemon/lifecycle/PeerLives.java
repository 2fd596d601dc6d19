package io.tandem.daemon.lifecycle;

import io.tandem.membership.PeerLife;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * {@code tandem-peers} beside heartbeat's state files: one line {@code NODE GENERATION SEQ
 * live|ended} per configured peer, what the membership engine last reported of its life. Read at
 * start (so packets recorded before our restart are recognised as replays), rewritten atomically
 * when a peer's life changes (new generation, shutdone, declared dead, our own stop): a handful of
 * writes per peer restart, never per packet. The write (with its fsync) runs on a writer thread of
 * its own, so a slow disk never holds up the event loop in the middle of a failover; {@link #close}
 * waits for the last one. Heartbeat does not read the file. Deleting it is safe: the node then
 * trusts the first packet of each peer as heartbeat does.
 */
public final class PeerLives implements AutoCloseable {
    public static final String FILE = "tandem-peers";

    private final Path file;
    private final Map<String, PeerLife> lives = new LinkedHashMap<>();
    private final AtomicReference<byte[]> pending = new AtomicReference<>();
    private final ExecutorService writer = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "tandem-peers-writer");
        t.setDaemon(true);
        return t;
    });
    private Consumer<String> writeFailed = text -> { };
    private boolean failing;

    private PeerLives(Path file) {
        this.file = file;
    }

    /** Where a failed write is reported (once, until a write succeeds again). */
    public void onWriteFailure(Consumer<String> report) {
        this.writeFailed = report;
    }

    /**
     * Reads the file in {@code stateDir}, keeping only the configured peers' lines; a line that
     * does not parse is dropped and named in {@code problems}.
     */
    public static PeerLives load(Path stateDir, Set<String> peers, List<String> problems) {
        PeerLives p = new PeerLives(stateDir.resolve(FILE));
        List<String> lines;
        try {
            lines = Files.readAllLines(p.file, StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            return p;
        } catch (IOException e) {
            problems.add(p.file + ": cannot read (" + e.getMessage() + "); trusting the peers' first packets");
            return p;
        }
        for (int i = 0; i < lines.size() && i < 1000; i++) {
            String[] w = lines.get(i).trim().split("\\s+");
            try {
                if (w.length != 4 || !(w[3].equals("live") || w[3].equals("ended"))) {
                    throw new IllegalArgumentException("expected NODE GENERATION SEQ live|ended");
                }
                PeerLife life = new PeerLife(w[0], Long.parseLong(w[1]), Long.parseLong(w[2]), w[3].equals("ended"));
                if (peers.contains(life.node())) {
                    p.lives.put(life.node(), life);
                }
            } catch (IllegalArgumentException e) {
                problems.add(p.file + ":" + (i + 1) + ": ignored (" + e.getMessage() + ")");
            }
        }
        return p;
    }

    public List<PeerLife> lives() {
        return new ArrayList<>(lives.values());
    }

    /** Records a peer's life; the file is rewritten (temporary file, fsync, rename) on the writer thread. */
    public void update(PeerLife life) {
        if (life.equals(lives.get(life.node()))) {
            return;
        }
        lives.put(life.node(), life);
        StringBuilder b = new StringBuilder();
        for (PeerLife l : lives.values()) {
            b.append(l.node()).append(' ').append(l.generation()).append(' ').append(l.seq()).append(' ')
                    .append(l.ended() ? "ended" : "live").append('\n');
        }
        pending.set(b.toString().getBytes(StandardCharsets.US_ASCII));
        writer.execute(this::writeLatest);
    }

    private void writeLatest() {
        byte[] text = pending.getAndSet(null);
        if (text == null) {
            return; // a later update's task already wrote it
        }
        try {
            Identity.writeSynced(file, text);
            failing = false;
        } catch (IOException e) {
            if (!failing) { // said once until it works again; only the replay check after a restart is weaker
                failing = true;
                writeFailed.accept("Cannot record what we know of the peers (" + file + "): " + e.getMessage());
            }
        }
    }

    /** Waits (a few seconds at most) for the last write, e.g. of the lives recorded at our stop. */
    @Override
    public void close() {
        writer.shutdown();
        try {
            writer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
