package io.tandem.membership;

import io.tandem.config.Severity;
import io.tandem.membership.MembershipEffect.Log;
import io.tandem.wire.RejectReason;
import java.util.ArrayList;
import java.util.List;

/**
 * The effect sink of the membership engine: its parts append effects here, in the order the caller
 * must perform them; each event of {@link MembershipEngine} returns what gathered ({@link #drain}).
 */
final class Effects {
    private List<MembershipEffect> out = new ArrayList<>();

    void add(MembershipEffect effect) {
        out.add(effect);
    }

    void log(Severity level, String text) {
        out.add(new Log(level, text));
    }

    void reject(RejectReason reason, String text) {
        out.add(new MembershipEffect.Rejected(reason, text));
    }

    /** The effects gathered since the last call; the sink starts a new list. */
    List<MembershipEffect> drain() {
        List<MembershipEffect> effects = out;
        out = new ArrayList<>();
        return effects;
    }
}
