package io.tandem.lab.faults;

import io.tandem.lab.ExecResult;
import java.time.Duration;

/**
 * The campaign's bounds, from the cluster's timers and the resource scripts' times measured on this
 * machine before the campaign (IPaddr and apache2 started and stopped once on node1, by hand):
 * <ul>
 *   <li>service back within {@code initdead + deadtime + 2 x (the four script times) + ALLOWANCE} of a fault's repair
 *       (a restarted node may wait initdead, its peer deadtime, then a stop and a start of the group on each side);</li>
 *   <li>a second VIP holder is a violation while the nodes can talk, once {@code initdead + 2 x scripts} have passed
 *       since they could talk again (the start-up probe and the negotiation of a restarted or healed pair).</li>
 * </ul>
 * ALLOWANCE (10 s) is for the load of a 2-CPU machine shared with other work.
 */
record Limits(long scriptsMs, long ipStartMs, long apacheStartMs, long apacheStopMs, long ipStopMs) {
    static final long ALLOWANCE_MS = 10_000;

    static Limits measure(TwoNodes cluster) {
        String n = TwoNodes.NODES.get(0);
        String ip = "/etc/ha.d/resource.d/IPaddr";
        String arg = TwoNodes.VIP + "/24/eth0";
        long a = time(cluster, n, ip, arg, "start");
        long b = time(cluster, n, "/etc/init.d/apache2", "start");
        long c = time(cluster, n, "/etc/init.d/apache2", "stop");
        long d = time(cluster, n, ip, arg, "stop");
        cluster.killApache(n);
        cluster.lab.ip(n, "addr", "del", TwoNodes.VIP + "/24", "dev", "eth0");
        return new Limits(a + b + c + d, a, b, c, d);
    }

    private static long time(TwoNodes cluster, String node, String... cmd) {
        long t0 = System.nanoTime();
        ExecResult r = cluster.lab.exec(node, Duration.ofSeconds(60), cmd);
        if (!r.ok()) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed on " + node + ": " + r);
        }
        return (System.nanoTime() - t0) / 1_000_000;
    }

    long serviceBoundMs() {
        return TwoNodes.INITDEAD_MS + TwoNodes.DEADTIME_MS + 2 * scriptsMs + ALLOWANCE_MS;
    }

    long graceMs() {
        return TwoNodes.INITDEAD_MS + 2 * scriptsMs;
    }

    String describe() {
        return String.format("scripts measured on node1: IPaddr start %d ms, apache2 start %d ms, apache2 stop %d ms, IPaddr stop %d ms;"
                + " service bound = initdead %d + deadtime %d + 2 x %d + allowance %d = %d ms; dual-VIP grace after the nodes can talk"
                + " again = initdead + 2 x scripts = %d ms", ipStartMs, apacheStartMs, apacheStopMs, ipStopMs, TwoNodes.INITDEAD_MS,
                TwoNodes.DEADTIME_MS, scriptsMs, ALLOWANCE_MS, serviceBoundMs(), graceMs());
    }
}
