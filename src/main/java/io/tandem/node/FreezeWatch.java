package io.tandem.node;

import java.util.OptionalLong;

/**
 * Notices that this node was frozen (SIGSTOP, a stalled VM, swapping): the event loop ran an event
 * long after the deadline the core had asked to be woken at. Pure: it compares the time of each event
 * with the last deadline the core returned, nothing else.
 *
 * <p>Lateness up to one keepalive is the ordinary jitter of a loaded machine. Beyond it, the peers'
 * silence since the deadline was partly our own: we could not read what they sent. Beyond half a
 * deadtime the freeze may have let a peer declare us dead and take over, so the node re-checks.
 */
final class FreezeWatch {
    /** What the freeze means, by how long it was. */
    enum Kind {
        /** Not late beyond one keepalive. */
        NONE,
        /** Late beyond a keepalive: do not count the lateness as the peers' silence. */
        LATE,
        /** Late by half a deadtime or more: also log it and re-check the node's claims. */
        FROZEN,
        /** Late by a deadtime or more: a peer has probably declared us dead. */
        FROZEN_PAST_DEADTIME
    }

    private long askedFor = -1;
    private long lastEvent = -1;

    /** After the event at {@code now}: the deadline the core asked for (none: no lateness can be measured). */
    void asked(long now, OptionalLong deadline) {
        lastEvent = now;
        askedFor = deadline.isPresent() ? deadline.getAsLong() : -1;
    }

    /**
     * How late the event at {@code now} runs after the deadline asked for (0 when not late). A deadline
     * that had already passed at the last event (the core wants to be woken at once) counts from that
     * event: the events that waited through one freeze are late only once.
     */
    long lateness(long now) {
        if (askedFor < 0) {
            return 0;
        }
        long due = Math.max(askedFor, lastEvent);
        return now > due ? now - due : 0;
    }

    static Kind judge(long latenessMs, long keepaliveMs, long deadtimeMs) {
        if (latenessMs >= deadtimeMs) {
            return Kind.FROZEN_PAST_DEADTIME;
        }
        if (latenessMs >= deadtimeMs / 2) {
            return Kind.FROZEN;
        }
        return latenessMs > keepaliveMs ? Kind.LATE : Kind.NONE;
    }
}
