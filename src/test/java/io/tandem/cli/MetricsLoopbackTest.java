package io.tandem.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.daemon.control.ControlClient;
import io.tandem.daemon.control.ControlReply;
import io.tandem.daemon.lifecycle.DaemonPaths;
import io.tandem.daemon.metrics.Promtool;
import io.tandem.lab.Poll;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tandem metrics} and the notify hooks on two real daemons (docs/observability.md): met1 and
 * met2 on the loopback (ucast on 127.0.0.61 and .62, no root, no namespaces), a DemoWeb group at home
 * on met1. The metrics follow the cluster: a standby on met1 moves the owner metric to met2 (on both
 * nodes), a SIGKILL of met2 shows met2 and its link dead on met1 and a takeover caused by node_dead;
 * each answer (also through the perl client, bin/tandem) passes {@code promtool check metrics}. Each
 * node's hooks write their arguments and TANDEM_* variables to a file: group-released on met1 and
 * group-acquired on met2 for the standby, node-dead met2 then group-acquired on met1 for the kill. A
 * second hook hangs on node-dead: it is killed at notify_timeout and logged, while met1's event loop
 * keeps publishing metrics (the snapshot stays fresh) and the hooks after it still run.
 */
class MetricsLoopbackTest {
    private static final String[] NODES = {"met1", "met2"};
    private static final String[] ADDRESSES = {"127.0.0.61", "127.0.0.62"};

    @TempDir
    Path dir;
    private final Process[] daemons = new Process[2];
    private String group;

    @Test
    void metrics_follow_a_standby_and_a_crash_and_the_hooks_run() throws Exception {
        setUp();
        start(0);
        start(1);
        await(() -> ask(0, "status").out().contains(" running") && ask(1, "cl_status", "nodestatus", "met1").out().equals("active\n"),
                "met1 to run the group and met2 to see it");
        await(() -> metrics(1).contains(owner("met1")) && metrics(1).contains("tandem_link_up{node=\"met1\",link=\"lo\"} 1\n")
                && metrics(0).contains("tandem_group_state{group=\"" + group + "\",state=\"running\"} 1\n"),
                "both nodes' metrics to show met1 running the group");
        String m2 = checked(1);
        assertThat(m2).contains("tandem_node_up{node=\"met1\",type=\"normal\"} 1\n").contains("tandem_group_held{group=\"" + group + "\"} 0\n")
                .containsPattern("tandem_link_heartbeat_age_seconds\\{node=\"met1\",link=\"lo\"} [0-9.]+\n")
                .contains("tandem_heartbeats_late_total{node=\"met1\"} ").contains("tandem_rejected_packets_total{reason=\"bad_auth\"} 0\n");
        assertThat(checked(0)).contains("tandem_group_held{group=\"" + group + "\"} 1\n").contains(owner("met1"))
                .containsPattern("tandem_resource_operation_duration_seconds_count\\{agent=\"DemoWeb\",action=\"start\",result=\"ok\"} 1\n");
        String quick = quickClient(1);
        assertThat(quick).contains("# TYPE tandem_group_owner gauge\n").contains(owner("met1"));
        promtool(quick);

        // A standby on met1: the owner metric moves to met2, on both nodes.
        assertThat(ask(0, "standby").exitCode()).isZero();
        await(() -> metrics(1).contains(owner("met2")) && metrics(1).contains("tandem_group_state{group=\"" + group + "\",state=\"running\"} 1\n")
                && metrics(0).contains(owner("met2")), "both nodes' metrics to show met2 owning the group");
        assertThat(checked(1)).contains("tandem_group_held{group=\"" + group + "\"} 1\n")
                .contains("tandem_failovers_total{decision=\"takeover\",cause=\"peer_standby\"} 1\n");
        assertThat(checked(0)).contains("tandem_group_held{group=\"" + group + "\"} 0\n")
                .contains("tandem_failovers_total{decision=\"giveup\",cause=\"operator_standby\"} 1\n");
        await(() -> hookLines(1).contains("group-acquired " + group + " peer= group=" + group + " node=met2 state=running"),
                "met2's hook to say it acquired the group");
        await(() -> hookLines(0).contains("group-released " + group + " peer= group=" + group + " node=met1 state=stopped"),
                "met1's hook to say it released the group");

        // met2 (the owner now) is killed: met1 shows it dead, its link down, and takes the group over.
        daemons[1].destroyForcibly().waitFor();
        await(() -> metrics(0).contains(owner("met1")) && metrics(0).contains("tandem_group_state{group=\"" + group + "\",state=\"running\"} 1\n"),
                "met1 to take the group over after met2's crash");
        String after = checked(0);
        System.out.println("tandem events on met1:\n" + ask(0, "events").out() + "tandem why on met1:\n" + ask(0, "why").out());
        assertThat(after).contains("tandem_node_up{node=\"met2\",type=\"normal\"} 0\n").contains("tandem_node_status{node=\"met2\",status=\"dead\"} 1\n")
                .contains("tandem_link_up{node=\"met2\",link=\"lo\"} 0\n")
                .contains("tandem_failovers_total{decision=\"takeover\",cause=\"node_dead\"} 1\n");
        System.out.println("tandem metrics on met1 after the crash of met2:\n" + after);

        // met1's hooks: node-dead (the hanging hook is killed at its timeout), then group-acquired still runs.
        String acquired = "group-acquired " + group + " peer= group=" + group + " node=met1 state=running";
        await(() -> hookLines(0).stream().filter(acquired::equals).count() == 2,
                "met1's hook to say it acquired the group (again, after the hanging hook)");
        List<String> lines = hookLines(0);
        assertThat(lines).contains("node-dead met2 peer=met2 group= node=met1 state=");
        assertThat(lines.indexOf("node-dead met2 peer=met2 group= node=met1 state=")).isLessThan(lines.lastIndexOf(acquired));
        assertThat(Files.readString(home(0).resolve("hook.env.node-dead"))).contains("TANDEM_CAUSE=silent ").contains("TANDEM_PEER=met2\n").containsPattern("TANDEM_TIME=20\\d\\d-")
                .contains("HA_CURHOST=met1");
        assertThat(Files.exists(home(0).resolve("hang.started"))).as("the hanging hook ran").isTrue();
        assertThat(Files.readString(home(0).resolve("ha-log"))).contains("Notify hook " + home(0).resolve("hang") + " node-dead met2 timed out after 2000 ms");
        await(() -> metrics(0).contains("tandem_notify_hooks_total{result=\"timeout\"} 1\n"), "the timeout to be counted");
        // the loop published all along: the snapshot is fresh (published every second)
        assertThat(snapshotAge(metrics(0))).isLessThan(5.0);
    }

    private String owner(String node) {
        return "tandem_group_owner{group=\"" + group + "\",node=\"" + node + "\"} 1\n";
    }

    private static double snapshotAge(String metrics) {
        Matcher m = Pattern.compile("(?m)^tandem_metrics_snapshot_age_seconds ([0-9.]+)$").matcher(metrics);
        assertThat(m.find()).as(metrics).isTrue();
        return Double.parseDouble(m.group(1));
    }

    /** The metrics of node i, checked by promtool when it is installed. */
    private String checked(int i) throws Exception {
        String text = metrics(i);
        promtool(text);
        return text;
    }

    private static void promtool(String text) throws Exception {
        if (Promtool.find().isEmpty()) {
            System.out.println("Skipping promtool check metrics: " + Promtool.MISSING);
            return;
        }
        Promtool.Result r = Promtool.checkMetrics(text);
        assertThat(r.exitCode()).as("promtool check metrics:\n" + r.output() + "\non:\n" + text).isZero();
    }

    private String metrics(int i) {
        ControlReply r = ask(i, "metrics");
        return r.exitCode() == 0 ? r.out() : "";
    }

    /** {@code bin/tandem metrics} (the perl client, without a JVM). */
    private String quickClient(int i) throws Exception {
        Process p = new ProcessBuilder(TestProcesses.CHECKOUT.resolve("bin/tandem").toString(), "metrics", "--run-dir",
                home(i).resolve("run").toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        return out;
    }

    private List<String> hookLines(int i) {
        try {
            Path f = home(i).resolve("hook.out");
            return Files.exists(f) ? Files.readAllLines(f) : List.of();
        } catch (IOException e) {
            return List.of();
        }
    }

    private static void await(java.util.function.BooleanSupplier condition, String what) {
        Poll.until(Duration.ofSeconds(40), what, condition);
    }

    private void setUp() throws IOException {
        int udp;
        int http;
        try (DatagramSocket u = new DatagramSocket(0); ServerSocket t = new ServerSocket(0)) {
            udp = u.getLocalPort();
            http = t.getLocalPort();
        }
        group = "DemoWeb::127.0.0.1::" + http;
        for (int i = 0; i < 2; i++) {
            Path home = home(i);
            Path etc = Files.createDirectories(home.resolve("etc"));
            Files.writeString(etc.resolve("ha.cf"), "logfile " + home.resolve("ha-log") + "\nkeepalive 200ms\ndeadtime 1\nwarntime 500ms\n"
                    + "initdead 3\nudpport " + udp + "\nucast lo " + ADDRESSES[0] + "\nucast lo " + ADDRESSES[1] + "\n"
                    + "auto_failback off\nnode " + NODES[0] + "\nnode " + NODES[1] + "\n");
            Path keys = etc.resolve("authkeys");
            Files.createFile(keys, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(keys, "auth 1\n1 sha1 metrics-loopback\n");
            Files.writeString(etc.resolve("haresources"), NODES[0] + " " + group + "\n");
            Path record = script(home.resolve("record"), "printf '%s %s peer=%s group=%s node=%s state=%s\\n' \"$1\" \"$2\" \"$TANDEM_PEER\" "
                    + "\"$TANDEM_GROUP\" \"$TANDEM_NODE\" \"$TANDEM_STATE\" >>" + home.resolve("hook.out") + "\n"
                    + "env | grep -E '^(TANDEM_|HA_CURHOST=)' >" + home.resolve("hook.env") + ".\"$1\"\n");
            Path hang = script(home.resolve("hang"), "[ \"$1\" = node-dead ] || exit 0\necho started >" + home.resolve("hang.started")
                    + "\nexec sleep 600\n");
            Files.writeString(etc.resolve("tandem.cf"), "notify " + hang + "\nnotify " + record + "\nnotify_timeout 2\n");
        }
    }

    private static Path script(Path p, String body) throws IOException {
        Files.writeString(p, "#!/bin/sh\n" + body);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }

    private Path home(int i) {
        return dir.resolve(NODES[i]);
    }

    private void start(int i) throws IOException {
        List<String> args = new ArrayList<>(List.of("run", "--quiet", "--run-dir", home(i).resolve("run").toString(), "-c",
                home(i).resolve("etc").toString(), "--node", NODES[i], "--state-dir", home(i).resolve("state").toString(), "--bind", ADDRESSES[i]));
        ProcessBuilder pb = new ProcessBuilder(TestProcesses.tandem(System.getProperty("java.class.path"), args)).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(home(i).resolve("daemon.out").toFile()));
        daemons[i] = pb.start();
        await(() -> ask(i, "ping").exitCode() == 0, "the daemon " + NODES[i] + " to answer (see " + home(i).resolve("daemon.out") + ")");
    }

    private ControlReply ask(int i, String... words) {
        return ControlClient.ask(DaemonPaths.controlSocket(home(i).resolve("run")), List.of(words));
    }

    @AfterEach
    void stopAll() {
        for (int i = 0; i < 2; i++) {
            if (daemons[i] != null && daemons[i].isAlive()) {
                ask(i, "stop", "--wait", "20");
                daemons[i].destroyForcibly();
            }
        }
    }
}
