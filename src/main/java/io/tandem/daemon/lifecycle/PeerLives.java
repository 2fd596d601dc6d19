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

/**
 * {@code tandem-peers} beside heartbeat's state files: one line {@code NODE GENERATION SEQ
 * live|ended} per configured peer, what the membership engine last reported of its life. Read at
 * start (so packets recorded before our restart are recognised as replays), rewritten atomically
 * when a peer's life changes (new generation, shutdone, declared dead, our own stop): a handful of
 * writes per peer restart, never per packet. Heartbeat does not read the file. Deleting it is
 * safe: the node then trusts the first packet of each peer as heartbeat does.
 */
public final class PeerLives {
    public static final String FILE = "tandem-peers";

    private final Path file;
    private final Map<String, PeerLife> lives = new LinkedHashMap<>();

    private PeerLives(Path file) {
        this.file = file;
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

    /** Records a peer's life and rewrites the file (temporary file, fsync, rename). */
    public void update(PeerLife life) throws IOException {
        if (life.equals(lives.get(life.node()))) {
            return;
        }
        lives.put(life.node(), life);
        StringBuilder b = new StringBuilder();
        for (PeerLife l : lives.values()) {
            b.append(l.node()).append(' ').append(l.generation()).append(' ').append(l.seq()).append(' ')
                    .append(l.ended() ? "ended" : "live").append('\n');
        }
        Identity.writeSynced(file, b.toString().getBytes(StandardCharsets.US_ASCII));
    }
}
