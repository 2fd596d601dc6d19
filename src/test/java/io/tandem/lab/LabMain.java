package io.tandem.lab;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;

/**
 * Builds a lab by hand and keeps it until Enter is pressed (or stdin closes), for exploring:
 * {@code java -cp ... io.tandem.lab.LabMain [--heartbeat] PREFIX NODE...}. With {@code --heartbeat}
 * the real heartbeat runs on every node (bcast eth1, md5, fast timers). Prints how to enter each host.
 */
public final class LabMain {
    private LabMain() {
    }

    public static void main(String[] args) throws IOException {
        List<String> a = Arrays.asList(args);
        boolean heartbeat = !a.isEmpty() && a.get(0).equals("--heartbeat");
        List<String> rest = heartbeat ? a.subList(1, a.size()) : a;
        if (rest.size() < 2) {
            System.err.println("usage: LabMain [--heartbeat] PREFIX NODE...");
            System.exit(2);
        }
        try (Lab lab = Lab.start(rest.get(0), rest.subList(1, rest.size()).toArray(String[]::new))) {
            if (heartbeat) {
                HeartbeatConfig config = HeartbeatConfig.fastBcast(lab.nodes(), "eth1", 694);
                lab.nodes().forEach(n -> lab.startHeartbeat(n, config));
            }
            for (String host : lab.nodes()) {
                System.out.println(host + ": " + String.join(" ", lab.enterCommand(host, "bash")));
            }
            System.out.println(Lab.GATEWAY + ": " + String.join(" ", lab.enterCommand(Lab.GATEWAY, "bash")));
            System.out.println(Lab.CLIENT + ": " + String.join(" ", lab.enterCommand(Lab.CLIENT, "bash")));
            System.out.println("Press Enter to tear the lab down.");
            System.in.read();
        }
    }
}
