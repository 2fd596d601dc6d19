package io.tandem.resources;

import io.tandem.config.Severity;
import static io.tandem.resources.Effects.HB;

import io.tandem.resources.OwnershipState.Peer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiFunction;
import java.util.function.Predicate;

/**
 * Probe before death (docs/split-brain.md): the duplicate-address probe of a takeover begun while the
 * peer holding the groups is still only silent, so that the takeover that follows its death adds the
 * addresses at once instead of probing them then.
 *
 * <p>When a live peer that holds groups this node would take on its death has been silent so long that
 * its deadline (the deadtime membership applies to it) is no more than a probe window away, and at least
 * two keepalives, {@link #silent} asks the daemon to probe those groups' addresses ({@link Effect.ProbeAddress}).
 * The answer comes back through {@link #probed}. A packet from the peer ({@link #heard}) drops every probe
 * begun in its silence: nothing is taken from it. After its death, an acquisition's {@code start} of such an
 * address takes the probe in place of its own ({@link ResourceOp#preProbed()}) when nobody answered, or it
 * still listens, and it began no more than the window + {@value #SLACK_MS} ms before that start: its
 * listening then ended at most {@value #SLACK_MS} ms before the address is added, what the early probe
 * promises too. An answered probe, one that could not run, or an older one: the start probes anew, as
 * today. Decisions take the time of the event (the timer's, the answer's), never a clock.
 *
 * <p>Probe at start-up ({@link #atStart}): when the node starts, the addresses of the groups it prefers are
 * probed beside the start-up probe's status scripts, which begin no probe of their own
 * ({@link Jobs.Job#quietStatus}). When both nodes start together, the preferred node acquires its groups
 * a few hundred milliseconds later and its start takes that probe under the same rule: nobody answered or
 * it still listens, and it began no more than the window + {@value #SLACK_MS} ms before. Only the preferred
 * node probes: two nodes probing one address at once would each take the other's probe for a holder.
 */
public final class AddressPreProbe {
    /** How long one probe listens (tandem-arp.cf's {@code probe_window}); {@link #OFF}: no probe before death. */
    public record Settings(boolean enabled, long windowMs) {
        public static final Settings OFF = new Settings(false, 0);

        public Settings {
            if (enabled && (windowMs < 1 || windowMs > 10_000)) {
                throw new IllegalArgumentException("probe window out of range: " + windowMs + " ms (1 ms to 10 s)");
            }
        }

        /** Probes before death, each listening {@code windowMs}. */
        public static Settings window(long windowMs) {
            return new Settings(true, windowMs);
        }
    }

    /** A probe stands for a start's own until its window + this much after it began (as the daemon's early probe). */
    public static final long SLACK_MS = 200;
    /** A silence shorter than this many of our keepalives (one lost heartbeat) never begins a probe. */
    static final int MIN_MISSED_KEEPALIVES = 2;

    private enum Result { PENDING, FREE, ANSWERED, NOT_PROBED }

    /** One probe asked for: whose silence (null: the node's start), its number, when it was asked, what it found. */
    private static final class Entry {
        final String peer;
        final long id;
        final long begunAt;
        Result result = Result.PENDING;

        Entry(String peer, long id, long begunAt) {
            this.peer = peer;
            this.id = id;
            this.begunAt = begunAt;
        }
    }

    private final OwnershipState state;
    private final Effects out;
    private final Settings settings;
    /** Whether a peer's death now would be taken over at once ({@link Takeover#takesAtOnce}: no gate, no fence first). */
    private final Predicate<String> takesAtOnce;
    /** The engine's flow of every event ({@link EventFlow#event}). */
    private final BiFunction<Long, Runnable, List<Effect>> event;
    /** By address resource (bounded by the configuration). */
    private final Map<String, Entry> entries = new LinkedHashMap<>();
    /** Per peer: the deadline whose silence was looked at (one look per silence). */
    private final Map<String, Long> looked = new HashMap<>();
    private final boolean anyAddress;
    private long lastId;

    AddressPreProbe(OwnershipState state, Effects out, Settings settings, Predicate<String> takesAtOnce,
            BiFunction<Long, Runnable, List<Effect>> event) {
        this.state = state;
        this.out = out;
        this.settings = settings;
        this.takesAtOnce = takesAtOnce;
        this.event = event;
        this.anyAddress = state.cfg.groups().stream().anyMatch(g -> g.resources().stream().anyMatch(AddressGuard::isAddress));
    }

    /** The peers whose silence may begin a probe. */
    public Set<String> peers() {
        return state.peers.keySet();
    }

    /**
     * When the silence of {@code peer}, declared dead at {@code deadAt} unless heard ({@code deadtimeMs} after
     * it was last heard), begins a probe: the window before {@code deadAt}, not before {@link #MIN_MISSED_KEEPALIVES}
     * of {@code keepaliveMs} of silence; -1 when none will (off, no address, this silence looked at already).
     */
    public long dueAt(String peer, long deadAt, long deadtimeMs, long keepaliveMs) {
        if (!settings.enabled() || !anyAddress || state.finished || Long.valueOf(deadAt).equals(looked.get(peer))) {
            return -1;
        }
        long at = Math.max(deadAt - settings.windowMs(), deadAt - deadtimeMs + MIN_MISSED_KEEPALIVES * keepaliveMs);
        return at < deadAt ? at : -1;
    }

    /**
     * The silence of {@code peer} reached {@link #dueAt}: probe the addresses of the groups this node would
     * take on its death, once per silence (its {@code deadAt}).
     */
    public List<Effect> silent(long now, String peer, long deadAt, long deadtimeMs) {
        return event.apply(now, () -> {
            if (Long.valueOf(deadAt).equals(looked.put(peer, deadAt))) {
                return;
            }
            List<String> addresses = toProbe(peer);
            if (addresses.isEmpty()) {
                return;
            }
            for (String r : addresses) {
                Entry e = new Entry(peer, ++lastId, state.now);
                entries.put(r, e);
                out.add(new Effect.ProbeAddress(e.id, r));
            }
            out.log(Severity.INFO, HB, "Probing the address" + (addresses.size() > 1 ? "es of " : " of ") + String.join(", ", addresses)
                    + " before the death of " + peer + ": silent for " + (state.now - (deadAt - deadtimeMs)) + " ms, declared dead after "
                    + deadtimeMs + " ms.");
        });
    }

    /** The addresses a death of {@code peer} would have this node add: of the groups it holds (its report, in its own view) not running here. */
    private List<String> toProbe(String peer) {
        Peer p = state.peers.get(peer);
        if (p == null || p.status == PeerStatus.DEAD || p.leaving || !state.commUp || !takesAtOnce.test(peer)) {
            return List.of(); // no takeover would follow at once: the ping-node tiebreak or a fence first, or none at all
        }
        List<String> list = new ArrayList<>();
        for (GroupSpec g : state.cfg.groups()) {
            GroupState s = state.groups.get(g.key());
            if (s != GroupState.STOPPED && s != GroupState.ADDRESS_IN_USE || state.nice && !state.peerHolds.intersects(state.setOf(g).mirror())) {
                continue;
            }
            g.resources().stream().filter(AddressGuard::isAddress).forEach(list::add);
        }
        return list;
    }

    /**
     * The node starts (with its start-up probe): probe the addresses of the groups it prefers, for the
     * acquisition that follows when both nodes start together.
     */
    void atStart() {
        if (!settings.enabled() || !anyAddress || state.finished) {
            return;
        }
        List<String> addresses = new ArrayList<>();
        for (GroupSpec g : state.cfg.groups()) {
            if (g.preferredBy(state.local)) {
                g.resources().stream().filter(AddressGuard::isAddress).forEach(addresses::add);
            }
        }
        for (String r : addresses) {
            Entry e = new Entry(null, ++lastId, state.now);
            entries.put(r, e);
            out.add(new Effect.ProbeAddress(e.id, r, true));
        }
        if (!addresses.isEmpty()) {
            out.log(Severity.INFO, HB, "Probing the address" + (addresses.size() > 1 ? "es of " : " of ") + String.join(", ", addresses)
                    + " at start-up, for the start that follows if this node takes " + (addresses.size() > 1 ? "them." : "it."));
        }
    }

    /** Who the probe was for, in a log line: "before the death of PEER" or "at start-up". */
    private static String when(Entry e) {
        return e.peer == null ? "at start-up" : "before the death of " + e.peer;
    }

    /**
     * The probe {@code id} of the address of {@code resource} ended: {@code mac} answered ("" nobody), or it
     * could not run ({@code ran} false). An answer to a probe dropped or replaced since is ignored.
     */
    public List<Effect> probed(long now, long id, String resource, String mac, boolean ran) {
        Entry e = entries.get(resource);
        if (e == null || e.id != id || e.result != Result.PENDING) {
            return List.of();
        }
        return event.apply(now, () -> {
            if (!ran) {
                e.result = Result.NOT_PROBED;
            } else if (mac.isEmpty()) {
                e.result = Result.FREE;
                out.log(Severity.DEBUG, HB, "Nobody answered the probe of the address of " + resource + " begun " + when(e) + ".");
            } else if (e.peer == null) {
                // usual when the peer runs the group already (this node joins a running cluster)
                e.result = Result.ANSWERED;
                out.log(Severity.DEBUG, HB, "The address of " + resource + " is in use by " + mac + " (probed at start-up): a start"
                        + " probes it again before adding it.");
            } else {
                e.result = Result.ANSWERED;
                out.log(Severity.WARN, HB, "The address of " + resource + " is in use by " + mac + " while " + e.peer
                        + " is silent (probed before its death): a start probes it again before adding it.");
            }
        });
    }

    /** A packet from {@code peer} came (it talks): the probes begun in its silence are dropped; nothing is taken from it. */
    public List<Effect> heard(long now, String peer) {
        String p = peer.toLowerCase(Locale.ROOT);
        if (entries.values().stream().noneMatch(e -> p.equals(e.peer))) {
            return List.of();
        }
        return event.apply(now, () -> {
            Set<String> dropped = new TreeSet<>();
            entries.entrySet().removeIf(x -> p.equals(x.getValue().peer) && dropped.add(x.getKey()));
            out.log(Severity.INFO, HB, p + " was heard again: dropping the probe of the address" + (dropped.size() > 1 ? "es of " : " of ")
                    + String.join(", ", dropped) + " begun before its death.");
        });
    }

    /** Whether the probe begun ahead (before a death, at start-up) stands for a call of {@code resource}'s address at {@code now}. */
    boolean stands(String resource, long now) {
        Entry e = entries.get(resource);
        if (e == null) {
            return false;
        }
        return (e.peer == null || peerDead(e)) && stands(e, now - e.begunAt);
    }

    private boolean peerDead(Entry e) {
        Peer p = state.peers.get(e.peer);
        return p != null && p.status == PeerStatus.DEAD;
    }

    /**
     * A {@code start} of {@code resource}'s address is issued at {@code now}: true when the probe begun before the
     * death stands for its own (then it is used up); false, and the probe forgotten, when it does not.
     */
    boolean takeForStart(String resource, long now) {
        Entry e = entries.get(resource);
        if (e == null) {
            return false;
        }
        if (e.peer != null && !peerDead(e)) {
            return false; // a start while the peer still counts as alive (never one of its takeover): not this probe's business
        }
        entries.remove(resource);
        long age = now - e.begunAt;
        if (!stands(e, age)) {
            // at start-up, a probe that is too old is the usual case (this node alone, waiting for initdead): said in the debug log only
            boolean usual = e.peer == null && e.result != Result.NOT_PROBED;
            out.log(usual ? Severity.DEBUG : Severity.INFO, HB, "Probing the address of " + resource + " again before its start: the probe begun "
                    + when(e) + " " + (e.result == Result.ANSWERED ? "was answered" : e.result == Result.NOT_PROBED ? "could not run"
                    : "is too old (began " + age + " ms ago)") + ".");
            return false;
        }
        out.log(Severity.INFO, HB, e.result == Result.FREE
                ? "Not probing the address of " + resource + " again before its start: probed " + when(e)
                        + ", nobody answered (began " + age + " ms ago)."
                : "Not probing the address of " + resource + " anew before its start: taking the rest of the probe begun " + when(e)
                        + " (began " + age + " ms ago).");
        return true;
    }

    private boolean stands(Entry e, long age) {
        return (e.result == Result.FREE || e.result == Result.PENDING) && age <= settings.windowMs() + SLACK_MS;
    }
}
