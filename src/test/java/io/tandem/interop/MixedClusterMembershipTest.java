package io.tandem.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tandem.lab.ExecResult;
import io.tandem.lab.HeartbeatConfig;
import io.tandem.lab.Lab;
import io.tandem.lab.LabProcess;
import io.tandem.lab.Poll;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 3's interop proof: a Tandem node and a real heartbeat 3.0.6 node on one bcast link form one
 * cluster. Each sees the other active (heartbeat's {@code cl_status}, Tandem's {@code cl_status}),
 * heartbeat logs no complaint about the Tandem node's packets, and killing either side is noticed
 * by the other after its deadtime. Run with md5 and sha1 keys.
 */
class MixedClusterMembershipTest {
    private static final String HB = "node1";
    private static final String TANDEM = "node2";
    private static Lab lab;

    @BeforeAll
    static void up() {
        assumeTrue(Lab.unavailable().isEmpty(), () -> "skipped: " + Lab.unavailable().orElse(""));
        assumeTrue(Lab.heartbeatUnavailable().isEmpty(), () -> "skipped: " + Lab.heartbeatUnavailable().orElse(""));
        lab = Lab.start("tmx", HB, TANDEM);
    }

    @AfterAll
    static void down() {
        if (lab != null) {
            lab.close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"md5", "sha1"})
    void heartbeatAndTandemSeeEachOtherAndNoticeDeaths(String method) throws Exception {
        HeartbeatConfig cfg = HeartbeatConfig.fastBcast(List.of(HB, TANDEM), "eth1", 694)
                .withAuthkeys("auth 3\n1 crc\n3 " + method + " mixed-cluster-" + method + "\n");
        lab.exec(HB, Duration.ofSeconds(5), "sh", "-c", "rm -f /var/log/ha-log /var/lib/heartbeat/hb_generation");
        lab.exec(TANDEM, Duration.ofSeconds(5), "sh", "-c", "rm -f /var/log/ha-log");
        lab.startHeartbeat(HB, cfg);
        lab.writeHeartbeatConfig(TANDEM, cfg);
        LabProcess tandem = startTandem();
        try {
            Poll.untilOrElse(Duration.ofSeconds(30), () -> hbSees(TANDEM).equals("active") && tandemSees(HB).equals("active"),
                    () -> "not both active: heartbeat sees " + hbSees(TANDEM) + ", Tandem sees " + tandemSees(HB) + "\n" + logs());
            assertThat(lab.clStatus(HB, "nodestatus", TANDEM).exitCode()).isZero();
            assertThat(tandem(TANDEM, "cl_status", "hblinkstatus", HB, "eth1").out()).isEqualTo("up");
            assertThat(complaints(lab.haLog(HB))).as("heartbeat's complaints about our packets").isEmpty();
            siteHookRunsForAMessageFromHeartbeat(method);
            clStatusAnswersLikeHeartbeats();

            tandem.close(); // SIGKILL: no goodbye
            Poll.untilOrElse(Duration.ofSeconds(15), () -> hbSees(TANDEM).equals("dead"), () -> "heartbeat did not declare Tandem dead\n" + logs());
            assertThat(lab.haLog(HB)).contains("WARN: node " + TANDEM + ": is dead");

            tandem = startTandem();
            Poll.untilOrElse(Duration.ofSeconds(30), () -> hbSees(TANDEM).equals("active") && tandemSees(HB).equals("active"),
                    () -> "Tandem did not rejoin\n" + logs());
            assertThat(lab.haLog(HB)).contains("Heartbeat restart on node " + TANDEM);

            lab.killHeartbeat(HB);
            Poll.untilOrElse(Duration.ofSeconds(15), () -> tandemSees(HB).equals("dead"), () -> "Tandem did not declare heartbeat dead\n" + logs());
            Poll.untilOrElse(Duration.ofSeconds(5), () -> lab.haLog(TANDEM).contains("WARN: node " + HB + ": is dead"),
                    () -> "Tandem did not log the death (its log is written asynchronously)\n" + logs());
            assertThat(complaints(lab.haLog(HB))).isEmpty();
            System.out.println("=== " + method + ": evidence\n" + logs());
        } finally {
            tandem.close();
            lab.killHeartbeat(HB);
        }
    }

    /**
     * A site's own message type sent by heartbeat's shell helper (ha_clustermsg writes it into
     * heartbeat's FIFO) reaches Tandem, which runs its rc.d hook with heartbeat's environment.
     */
    private static void siteHookRunsForAMessageFromHeartbeat(String method) throws Exception {
        java.nio.file.Path hook = lab.path(TANDEM, "/etc/ha.d/rc.d/site-notice");
        java.nio.file.Files.createDirectories(hook.getParent());
        java.nio.file.Files.writeString(hook, "#!/bin/sh\nenv | grep '^HA_' | sort > /var/log/site-notice.env\necho \"notice: $1 $HA_info\"\n");
        hook.toFile().setExecutable(true);
        ExecResult sent = lab.exec(HB, Duration.ofSeconds(10), "sh", "-c",
                ". /etc/ha.d/shellfuncs; ha_clustermsg <<EOF\nt=site-notice\ninfo=hello-" + method + "\nEOF\n");
        assertThat(sent.exitCode()).as(sent.toString()).isZero();
        Poll.untilOrElse(Duration.ofSeconds(10), () -> lab.read(TANDEM, "/var/log/site-notice.env").contains("HA_info=hello-" + method),
                () -> "the rc.d hook did not run: " + lab.read(TANDEM, "/var/log/site-notice.env") + "\n" + logs());
        String env = lab.read(TANDEM, "/var/log/site-notice.env");
        assertThat(env).contains("HA_t=site-notice", "HA_src=" + HB, "HA_OSTATUS=active", "HA_NICEFAILBACK=yes", "HA_CURHOST=" + TANDEM);
        Poll.untilOrElse(Duration.ofSeconds(5), () -> lab.haLog(TANDEM).contains("notice: site-notice hello-" + method),
                () -> "hook output not logged\n" + logs());
        Poll.untilOrElse(Duration.ofSeconds(5), () -> lab.haLog(TANDEM).contains("harc(default)["), () -> "harc line missing\n" + logs());
    }

    /** The same question asked of heartbeat on node1 and of Tandem on node2 (about each other) gets the same answer. */
    private static void clStatusAnswersLikeHeartbeats() {
        List<List<String>> questions = List.of(List.of("hbstatus"), List.of("nodestatus", "%peer"), List.of("nodetype", "%peer"),
                List.of("listhblinks", "%peer"), List.of("hblinkstatus", "%peer", "eth1"), List.of("nodestatus", "nosuchnode"),
                List.of("-m", "nodestatus", "%peer"), List.of("nodestatus", "-m", "%peer"), List.of("listnodes", "-n"), List.of("listnodes"), List.of("listnodes", "-v"),
                List.of("listhblinks", "%self"), List.of("hblinkstatus", "%self", "eth1"), List.of("nodestatus", "%self"), List.of("hbparameter", "-p", "deadtime"), List.of("hbparameter", "-p", "keepalive"),
                List.of("hbparameter", "-p", "nosuch"), List.of("hblinkstatus", "%peer", "nosuch"), List.of("listhblinks", "nosuchnode"),
                List.of("nodetype", "nosuchnode"), List.of("rscstatus"), List.of("nosuchcommand"));
        List<String> differences = new ArrayList<>();
        for (List<String> q : questions) {
            String[] hbArgs = q.stream().map(a -> a.equals("%peer") ? TANDEM : a.equals("%self") ? HB : a).toArray(String[]::new);
            List<String> tArgs = new ArrayList<>(List.of("cl_status"));
            q.forEach(a -> tArgs.add(a.equals("%peer") ? HB : a.equals("%self") ? TANDEM : a));
            ExecResult hb = lab.clStatus(HB, hbArgs);
            ExecResult t = tandem(TANDEM, tArgs.toArray(String[]::new));
            // bin/cl_status answers without a JVM (libexec/tandem-control): byte for byte what the Java command says
            ExecResult quick = io.tandem.lab.TandemNodes.bin(lab, TANDEM, "cl_status", tArgs.subList(1, tArgs.size()).toArray(String[]::new));
            if (!quick.stdout().equals(t.stdout()) || !quick.stderr().equals(t.stderr()) || quick.exitCode() != t.exitCode()) {
                differences.add("bin/cl_status " + q + " differs from the Java command: " + quick + " vs " + t);
            }
            String hbOut = hb.stdout().replace(TANDEM, "PEER").replace(HB, "SELF");
            String tOut = t.stdout().replace(HB, "PEER").replace(TANDEM, "SELF");
            if (!tOut.equals(hbOut) || t.exitCode() != hb.exitCode()) {
                differences.add("cl_status " + q + ": heartbeat rc " + hb.exitCode() + " out [" + hbOut + "] err [" + hb.stderr().strip()
                        + "]; Tandem rc " + t.exitCode() + " out [" + tOut + "] err [" + t.stderr().strip() + "]");
            }
        }
        assertThat(differences).isEmpty();
    }

    private static LabProcess startTandem() {
        return lab.startJava(TANDEM, "io.tandem.cli.Main", "run");
    }

    private static String hbSees(String node) {
        return lab.clStatus(HB, "nodestatus", node).out();
    }

    private static String tandemSees(String node) {
        return tandem(TANDEM, "cl_status", "nodestatus", node).out();
    }

    static ExecResult tandem(String host, String... args) {
        List<String> cmd = new ArrayList<>(List.of(java(), "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-cp",
                System.getProperty("java.class.path"), "io.tandem.cli.Main"));
        cmd.addAll(Arrays.asList(args));
        return lab.exec(host, Duration.ofSeconds(30), cmd.toArray(String[]::new));
    }

    private static String java() {
        return java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Lines where heartbeat complains about packets: authentication, parsing, replay, bad node. */
    static List<String> complaints(String haLog) {
        return haLog.lines().filter(l -> !l.contains("api_process_request")) // our cl_status questions about unknown nodes
                .filter(l -> l.contains("auth") || l.contains("Auth") || l.contains("bad ") || l.contains("replay")
                || l.contains("parse") || l.contains("corrupt") || l.contains("Invalid")).collect(Collectors.toList());
    }

    private static String logs() {
        return "--- heartbeat (" + HB + ") ha-log:\n" + lab.haLog(HB) + "--- Tandem (" + TANDEM + ") ha-log:\n" + lab.haLog(TANDEM);
    }
}
