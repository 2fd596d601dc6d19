package io.tandem.lab;

import java.time.Duration;

/**
 * Test program for {@link LabTest}: builds a lab with the prefix given, leaves a daemon running in
 * its node, prints "ready" and waits to be killed with SIGKILL (no shutdown hook runs), like a
 * crashed test JVM.
 */
public final class StaleLabMain {
    private StaleLabMain() {
    }

    public static void main(String[] args) throws Exception {
        Lab lab = Lab.start(args[0], "node1");
        lab.exec("node1", Duration.ofSeconds(10), "setsid", "-f", "sleep", "600");
        // setsid -f returns before its child has become "sleep"
        Poll.until(Duration.ofSeconds(10), "the daemon in the lab to start", () -> lab.pids("node1", "sleep").size() == 1);
        System.out.println("ready " + lab.pids("node1", "sleep"));
        System.out.flush();
        while (System.in.read() >= 0) {
            // wait for the kill
        }
    }
}
