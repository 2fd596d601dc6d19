package io.tandem.bench;

import java.util.Locale;

/**
 * How apache2 is run in a bench/failover setup. {@code classic}: as heartbeat runs it (started where the
 * group runs, stopped before it moves; no tandem.cf line). Any other word is Tandem's tandem.cf mode
 * {@code resource apache2 WORD} ({@code warm}, and {@code may-run-twice} once that mode exists), so the
 * bench can run a mode that arrives after it was written; a build that refuses the line is reported, not
 * crashed on.
 *
 * <p>The other systems are set up the way their users would for the same intent: keepalived with
 * {@code warm} runs apache2 on both nodes (only the VIP moves, the usual keepalived set-up); for every other
 * mode keepalived keeps its notify scripts (which already start apache2 on the new master while the old one
 * stops it). heartbeat 3.0.6 has no such mode: it runs in {@code classic} only, as the reference.
 */
record ApacheMode(String word) {
    static final ApacheMode CLASSIC = new ApacheMode("classic");

    ApacheMode {
        if (!word.matches("[a-z][a-z0-9-]{0,30}")) {
            throw new IllegalArgumentException("bad apache2 mode '" + word + "' (lower-case letters, digits and '-')");
        }
    }

    static ApacheMode of(String word) {
        return new ApacheMode(word.strip().toLowerCase(Locale.ROOT));
    }

    boolean classic() {
        return word.equals(CLASSIC.word);
    }

    /** apache2 runs on both nodes between moves (the standby node keeps a copy running). */
    boolean warm() {
        return word.equals("warm");
    }

    /** Tandem's tandem.cf for this mode ("" for classic: no file). */
    String tandemCf() {
        return classic() ? "" : "# bench/failover: apache2 " + word + "\nresource apache2 " + word + "\n";
    }

    /** The setup's name in the tables: the profile alone for classic, else "profile, apache2 MODE". */
    String setup(Profile p) {
        return classic() ? p.name() : p.name() + ", apache2 " + word;
    }
}
