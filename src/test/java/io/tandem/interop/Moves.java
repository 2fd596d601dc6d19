package io.tandem.interop;

import static io.tandem.lab.TandemNodes.tandem;

import io.tandem.lab.Lab;
import io.tandem.lab.PageClient;
import io.tandem.lab.Poll;
import io.tandem.lab.VipSampler;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * A move of the group between node1 and node2 as the hand-over lab tests watch it: a client fetching the
 * VIP's page and a sampler looking for the VIP on both nodes, around the command; and, in a mixed pair
 * (heartbeat 3.0.6 on node1, Tandem on node2), the wait until the resources settled on one node.
 */
final class Moves {
    static final String N1 = "node1";
    static final String N2 = "node2";

    private Moves() {
    }

    /** What the client and the sampler saw of one move. */
    record Measured(long gapMs, long failed, long fetched, long servedAfterMs, int both, int samples, long sampleGapMs) {
        @Override
        public String toString() {
            return "client-visible gap " + gapMs + " ms (longest time between two served fetches, fetch every ~20 ms; a failed fetch"
                    + " waits curl's 1 s limit, so an upper bound); failed fetches " + failed + " of " + fetched + "; the new node served "
                    + servedAfterMs + " ms after the command; VIP on both in " + both + " of " + samples + " samples (largest sample gap "
                    + sampleGapMs + " ms)";
        }
    }

    /** Runs {@code move} with the sampler and the client on, until {@code to} serves the VIP, and 2 s more. */
    static Measured measure(Lab lab, String vip, String to, Supplier<String> logs, Runnable move) throws Exception {
        try (VipSampler sampler = new VipSampler(lab, N1, N2, vip, 20); PageClient client = new PageClient(lab, vip, to, 20)) {
            LockSupport.parkNanos(Duration.ofSeconds(1).toNanos());
            long from = System.nanoTime();
            move.run();
            Poll.untilOrElse(Duration.ofSeconds(60), () -> client.fromWatched.get() > 0, () -> to + " never served\n" + logs.get());
            long servedAt = System.nanoTime();
            LockSupport.parkNanos(Duration.ofSeconds(2).toNanos());
            sampler.close();
            client.close();
            return new Measured(client.longestGapMs(from), client.count(client.failedAt, from), client.count(client.fetchedAt, from),
                    (servedAt - from) / 1_000_000, sampler.bothSamples.get(), sampler.samples.get(), sampler.maxGapMs.get());
        }
    }

    /** Mixed pair: until {@code owner} runs all of its resources and the other none. */
    static void settledOnMixed(Lab lab, String owner, Supplier<String> logs) {
        String other = owner.equals(N1) ? N2 : N1;
        Poll.untilOrElse(Duration.ofSeconds(60), () -> "all".equals(mixedRscstatus(lab, owner)) && "none".equals(mixedRscstatus(lab, other)),
                () -> "resources did not settle on " + owner + ": " + mixedRscstatus(lab, N1) + "/" + mixedRscstatus(lab, N2) + "\n" + logs.get());
    }

    /** cl_status rscstatus of a node of the mixed pair: heartbeat's on node1, Tandem's on node2. */
    static String mixedRscstatus(Lab lab, String node) {
        return node.equals(N1) ? lab.clStatus(N1, "rscstatus").out() : tandem(lab, N2, "cl_status", "rscstatus").out();
    }
}
