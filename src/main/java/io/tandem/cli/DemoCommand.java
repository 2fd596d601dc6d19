package io.tandem.cli;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tandem demo}: a two-node cluster on this machine without root — two real daemons on
 * loopback addresses with ucast, a loopback "VIP" served by the built-in DemoWeb resource, a
 * client fetching the page every 100 ms — then node 1 is stopped (or killed) and the failover is
 * shown with its measured duration.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, versionProvider = Version.class, description = "Run a two-node cluster on this machine (no root needed) and show a failover.")
final class DemoCommand implements Callable<Integer> {
    @Option(names = "--kill-after", paramLabel = "SECONDS",
            description = "stop node 1 this long after the page is first served (default: ${DEFAULT-VALUE}; Enter stops it at once)")
    int killAfter = 8;

    @Option(names = "--crash", description = "kill node 1 with SIGKILL instead of a graceful stop: the peer waits for deadtime")
    boolean crash;

    @Option(names = "--port", paramLabel = "UDPPORT", description = "heartbeat port on the loopback (default: ${DEFAULT-VALUE})")
    int udpPort = 17694;

    @Option(names = "--http", paramLabel = "ADDRESS:PORT", description = "where the demo service floats (default: ${DEFAULT-VALUE})")
    String http = "127.0.0.100:8080";

    @Option(names = "--keep", description = "keep the demo's files and logs (ha.cf, ha-log, ...) when it ends")
    boolean keep;

    @Option(names = "--netns", description = "as root: nodes and a client in network namespaces, a real VIP, bcast heartbeats")
    boolean netns;

    @Override
    public Integer call() throws IOException, InterruptedException {
        if (netns) {
            String why = NetnsDemo.unavailable();
            if (why != null) {
                System.err.println(why);
                return 2;
            }
            NetnsDemo demo = new NetnsDemo(System.out, keep);
            Thread cleanup = new Thread(demo::close, "tandem-demo-cleanup");
            Runtime.getRuntime().addShutdownHook(cleanup);
            try {
                return demo.run(Duration.ofSeconds(killAfter), crash);
            } finally {
                demo.close();
                Runtime.getRuntime().removeShutdownHook(cleanup);
            }
        }
        int colon = http.lastIndexOf(':');
        if (colon <= 0) {
            System.err.println("tandem demo: --http must be ADDRESS:PORT");
            return 2;
        }
        DemoCluster cluster = new DemoCluster(udpPort, http.substring(0, colon), Integer.parseInt(http.substring(colon + 1)), System.out,
                keep);
        Thread cleanup = new Thread(cluster::close, "tandem-demo-cleanup"); // Ctrl-C: stop the daemons, remove the files
        Runtime.getRuntime().addShutdownHook(cleanup);
        try {
            return cluster.run(Duration.ofSeconds(killAfter), crash);
        } finally {
            cluster.close();
            Runtime.getRuntime().removeShutdownHook(cleanup);
        }
    }
}
