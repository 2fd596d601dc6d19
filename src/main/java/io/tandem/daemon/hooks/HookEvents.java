package io.tandem.daemon.hooks;

import io.tandem.daemon.history.StoredEvent;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Which entries of the event history are notify hooks' events (docs/observability.md), so the hooks
 * and {@code tandem events} tell one story:
 * <ul>
 * <li>{@code group-acquired}: a group entry from {@code starting} to {@code running};
 * <li>{@code group-released}: from {@code stopping} to {@code stopped};
 * <li>{@code group-failed}: to {@code start failed}, {@code stop failed}, {@code failed} or {@code address in use};
 * <li>{@code node-dead}: a {@code node-dead} entry;
 * <li>{@code node-back}: the first {@code node-up} of a node after its {@code node-dead};
 * <li>{@code split-brain}: the duplicate-address guard ({@code address-in-use}, {@code address-conflict}) and
 *     the healing release of a group held twice (the engine's "Releasing [...] their home node keeps them").
 * </ul>
 * Used on the event loop; the set of dead nodes is bounded.
 */
public final class HookEvents {
    /** Words of the healing release's notice (resources.Healing): a group held twice, this node lets go. */
    static final String HEALING_RELEASE = "their home node keeps them";
    private static final Set<String> FAILED = Set.of("start failed", "stop failed", "failed", "address in use");
    private static final int MAX_DEAD = 64;

    private final Set<String> dead = new LinkedHashSet<>();

    public Optional<HookEvent> of(StoredEvent e) {
        switch (e.kind()) {
            case "group": {
                String from = e.field("from");
                String to = e.field("to");
                String event = from.equals("starting") && to.equals("running") ? "group-acquired"
                        : from.equals("stopping") && to.equals("stopped") ? "group-released"
                        : FAILED.contains(to) ? "group-failed" : "";
                return event.isEmpty() ? Optional.empty()
                        : Optional.of(new HookEvent(event, e.subject(), e.subject(), "", to, e.cause(), e.time(), e.seq()));
            }
            case "node-dead":
                if (dead.size() < MAX_DEAD) {
                    dead.add(e.subject());
                }
                return Optional.of(new HookEvent("node-dead", e.subject(), "", e.subject(), "", e.cause(), e.time(), e.seq()));
            case "node-up":
                return dead.remove(e.subject())
                        ? Optional.of(new HookEvent("node-back", e.subject(), "", e.subject(), "", e.cause(), e.time(), e.seq()))
                        : Optional.empty();
            case "address-in-use":
            case "address-conflict":
                return Optional.of(new HookEvent("split-brain", e.subject(), "", "", "", e.kind() + ": " + e.cause(), e.time(), e.seq()));
            case "notice":
                return e.cause().startsWith("Releasing [") && e.cause().contains(HEALING_RELEASE)
                        ? Optional.of(new HookEvent("split-brain", "", "", "", "", e.cause(), e.time(), e.seq()))
                        : Optional.empty();
            default:
                return Optional.empty();
        }
    }
}
