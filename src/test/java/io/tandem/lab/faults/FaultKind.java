package io.tandem.lab.faults;

import java.util.Random;

/**
 * The faults of the campaign (issue 16's list). Each one injects itself, holds for a drawn time and
 * repairs itself ({@link Faults} does the work); a fault of a node draws its node from the seed,
 * except where only the VIP's holder makes sense (standby, apache2) or its peer (takeover).
 */
public enum FaultKind {
    POWER_OFF("power-off and restart"),
    GRACEFUL_STOP("graceful stop/start"),
    STANDBY("hb_standby on the holder"),
    TAKEOVER("hb_takeover on the other"),
    DAEMON_KILL("daemon SIGKILL and restart"),
    DAEMON_STOP("daemon SIGSTOP 0.5-3 x deadtime"),
    APACHE_KILL("apache2 SIGKILL"),
    APACHE_BROKEN("apache2 unable to start"),
    HB_LINK_CUT("heartbeat link cut and healed"),
    ALL_LINKS_CUT("all links cut and healed"),
    PACKET_LOSS("5-30 % loss on the heartbeat LAN"),
    LOG_FULL("full log filesystem (+ hb_standby)"),
    GARBAGE_FLOOD("garbage flood on port 694"),
    HOSTILE_PACKETS("replays and hostile packets");

    private final String label;

    FaultKind(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** The next fault, drawn uniformly. */
    static FaultKind draw(Random random) {
        FaultKind[] all = values();
        return all[random.nextInt(all.length)];
    }
}
