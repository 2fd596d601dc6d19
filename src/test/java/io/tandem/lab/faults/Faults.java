package io.tandem.lab.faults;

import io.tandem.lab.Lab;
import io.tandem.lab.LabProcess;
import io.tandem.lab.Poll;
import io.tandem.lab.TandemNodes;
import io.tandem.security.Attacker;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.locks.LockSupport;

/**
 * Injects one fault, holds it for a time drawn from the seed (in deadtimes) and repairs it. Keeps
 * the campaign's knowledge the audits need: whether the nodes can talk (with the time they could
 * again, for the grace after a heal) and which daemons are down on purpose.
 */
final class Faults {
    static final String NOISE = "noise";
    static final String BROADCAST = "198.51.100.255";
    private static final long D = TwoNodes.DEADTIME_MS;

    private final TwoNodes cluster;
    private final Audits audits;
    private final Trace trace;
    private volatile long talkAgainAt;
    private String captured;

    Faults(TwoNodes cluster, Audits audits, Trace trace) {
        this.cluster = cluster;
        this.audits = audits;
        this.trace = trace;
        cluster.lab.addLanHost(NOISE, Lab.Lan.HEARTBEAT, 60);
    }

    /** After a fault that failed half-way or a restart of both nodes: they can talk, no daemon is down on purpose. */
    void recover() {
        TwoNodes.NODES.forEach(n -> audits.downOnPurpose(n, false));
        cut(true);
    }

    long talkAgainAt() {
        return talkAgainAt;
    }

    /** Runs one fault on the cluster; returns what was done (for the trace and the report). */
    String run(FaultKind kind, Random r, String holder) {
        String node = TwoNodes.NODES.get(r.nextInt(2));
        String target = holder == null ? node : holder;
        long hold = D / 2 + (long) (r.nextDouble() * 2.5 * D);
        return switch (kind) {
            case POWER_OFF -> {
                cut(false);
                down(node);
                cluster.powerOff(node);
                pause(D + hold);
                cluster.powerOn(node);
                up(node);
                cut(true);
                yield node + " off for " + (D + hold) + " ms";
            }
            case GRACEFUL_STOP -> {
                down(node);
                cluster.stop(node);
                pause(hold);
                cluster.start(node);
                up(node);
                yield node + " stopped for " + hold + " ms";
            }
            case STANDBY -> "hb_standby on " + target + ": " + cluster.standby(target);
            case TAKEOVER -> "hb_takeover on " + TwoNodes.other(target) + ": " + cluster.takeover(TwoNodes.other(target));
            case DAEMON_KILL -> {
                cut(false);
                down(node);
                cluster.signalDaemon(node, "KILL");
                Poll.within(Duration.ofSeconds(10), () -> !cluster.daemonAlive(node));
                pause(hold);
                cluster.start(node);
                up(node);
                cut(true);
                yield node + "'s daemon killed, restarted after " + hold + " ms";
            }
            case DAEMON_STOP -> {
                cut(false);
                down(node);
                var pids = cluster.signalDaemon(node, "STOP");
                pause(hold);
                TwoNodes.signal("CONT", pids);
                up(node);
                cut(true);
                yield node + "'s daemon stopped " + hold + " ms (" + pids.size() + " processes)";
            }
            case APACHE_KILL -> target + ": " + cluster.killApache(target) + " apache2 processes killed";
            case APACHE_BROKEN -> {
                TandemNodes.breakApache(cluster.lab, target);
                int killed = cluster.killApache(target);
                pause(D + hold);
                TandemNodes.repairApache(cluster.lab, target);
                if (cluster.tandem(target)) {
                    TandemNodes.tandem(cluster.lab, target, "cleanup", "apache2");
                }
                yield target + ": apache2 configuration broken, " + killed + " killed, repaired after " + (D + hold) + " ms";
            }
            case HB_LINK_CUT -> {
                cluster.nft(node, "add table inet flcut; add chain inet flcut in { type filter hook input priority 0; };"
                        + " add chain inet flcut out { type filter hook output priority 0; };"
                        + " add rule inet flcut in iifname \"eth1\" drop; add rule inet flcut out oifname \"eth1\" drop");
                pause(D + hold);
                cluster.nft(node, "delete table inet flcut");
                yield node + "'s eth1 cut for " + (D + hold) + " ms (eth0 still carries heartbeats)";
            }
            case ALL_LINKS_CUT -> {
                cut(false);
                cluster.nft(node, "add table inet flcut; add chain inet flcut in { type filter hook input priority 0; };"
                        + " add chain inet flcut out { type filter hook output priority 0; };"
                        + " add rule inet flcut in iifname != \"lo\" drop; add rule inet flcut out oifname != \"lo\" drop;"
                        + " add table arp flcut; add chain arp flcut in { type filter hook input priority 0; policy drop; };"
                        + " add chain arp flcut out { type filter hook output priority 0; policy drop; }");
                pause(D + hold);
                cluster.nft(node, "delete table inet flcut; delete table arp flcut");
                cut(true);
                yield node + " cut off (all links, ARP too) for " + (D + hold) + " ms";
            }
            case PACKET_LOSS -> {
                int percent = 5 + r.nextInt(26);
                for (String n : TwoNodes.NODES) {
                    cluster.nft(n, "add table inet flloss; add chain inet flloss in { type filter hook input priority 0; };"
                            + " add rule inet flloss in iifname \"eth1\" numgen random mod 100 < " + percent + " drop");
                }
                pause(2 * D + hold);
                TwoNodes.NODES.forEach(n -> cluster.nft(n, "delete table inet flloss"));
                yield percent + " % loss on eth1 of both nodes for " + (2 * D + hold) + " ms";
            }
            case LOG_FULL -> {
                var fill = cluster.lab.exec(node, Duration.ofSeconds(60), "dd", "if=/dev/zero", "of=/var/log/fill", "bs=64k");
                String what = node + "'s /var/log full (dd: " + fill.stderr().lines().findFirst().orElse("") + ")";
                pause(D / 2);
                String standby = "hb_standby on " + target + ": " + cluster.standby(target);
                pause(D + hold);
                cluster.lab.exec(node, Duration.ofSeconds(10), "rm", "-f", "/var/log/fill");
                yield what + ", " + standby + ", freed after " + (D + hold) + " ms";
            }
            case GARBAGE_FLOOD -> {
                long seconds = (2 * D + hold) / 1000;
                long seed = r.nextLong();
                try (LabProcess p = cluster.lab.startJava(NOISE, GarbageFlood.class.getName(), BROADCAST, "694", Long.toString(seconds), "2000",
                        Long.toString(seed))) {
                    String sent = p.awaitLine(Duration.ofSeconds(seconds + 60), l -> l.startsWith("sent "), "the flood's count");
                    yield "garbage to " + BROADCAST + ":694 for " + seconds + " s at 2,000/s (seed " + seed + "): " + sent;
                }
            }
            case HOSTILE_PACKETS -> hostile(r);
        };
    }

    private String hostile(Random r) {
        StringBuilder what = new StringBuilder();
        if (captured == null) {
            captured = cluster.lab.path(NOISE, "/var/log/node2-packets").toString();
            what.append("captured ").append(attack(Duration.ofSeconds(60), "capture", "694", cluster.lab.heartbeatAddress("node2"), "20", captured))
                    .append("; ");
        }
        String peer = TwoNodes.NODES.get(r.nextInt(2));
        what.append("signed absurd as ").append(peer).append(": ")
                .append(attack(Duration.ofSeconds(60), "signed", BROADCAST, "694", "300", TwoNodes.KEY, peer, "absurd"));
        what.append("; forged: ").append(attack(Duration.ofSeconds(60), "forged", BROADCAST, "694", "300", peer + "%0aCRIT: forged"));
        what.append("; replay of node2's packets 8 s: ").append(attack(Duration.ofSeconds(80), "replay", BROADCAST, "694", captured, "8"));
        what.append("; quadratic: ").append(attack(Duration.ofSeconds(60), "quadratic", BROADCAST, "694", "20", "100"));
        return what.toString();
    }

    private String attack(Duration timeout, String... args) {
        try (LabProcess p = cluster.lab.startJava(NOISE, Attacker.class.getName(), args)) {
            return p.awaitLine(timeout, l -> l.startsWith("sent "), "the attacker's count");
        }
    }

    private void down(String node) {
        audits.downOnPurpose(node, true);
        trace.now("fault: " + node + "'s daemon down on purpose");
    }

    private void up(String node) {
        audits.downOnPurpose(node, false);
        trace.now("fault: " + node + "'s daemon back");
    }

    private void cut(boolean canTalkAgain) {
        if (canTalkAgain) {
            talkAgainAt = System.nanoTime();
        }
        audits.talk(canTalkAgain);
        trace.now("fault: nodes can " + (canTalkAgain ? "" : "not ") + "talk");
    }

    static void pause(long ms) {
        LockSupport.parkNanos(ms * 1_000_000);
    }
}
