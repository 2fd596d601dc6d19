package io.tandem.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.daemon.control.ControlClient;
import io.tandem.daemon.control.ControlReply;
import io.tandem.daemon.history.EventHistory;
import io.tandem.daemon.history.JsonRead;
import io.tandem.daemon.lifecycle.DaemonPaths;
import io.tandem.lab.Poll;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tandem events} and {@code tandem why} from real daemons (docs/observability.md): two nodes on
 * the loopback (ucast on 127.0.0.41 and .42, no root, no namespaces), a DemoWeb group on ev1; ev1 is
 * killed (SIGKILL), ev2 takes the group over, and its control socket explains the move: the death
 * (last heartbeat, link, deadtime), the decision, the start and the running group; the JSON answers
 * parse. Then ev2's history survives its restart, and with the cap at its minimum (16 KiB) a flood of
 * operator commands rotates the file and both files stay under the cap.
 */
class EventHistoryLoopbackTest {
    private static final String[] NODES = {"ev1", "ev2"};
    private static final String[] ADDRESSES = {"127.0.0.41", "127.0.0.42"};
    private static final long CAP = EventHistory.MIN_MAX_BYTES;

    @TempDir
    Path dir;
    private final Process[] daemons = new Process[2];
    private String group;

    @Test
    void why_explains_a_failover_and_the_history_survives_a_restart_under_its_cap() throws Exception {
        setUp();
        start(0);
        start(1);
        await(() -> ask(0, "status").out().contains(" running") && ask(1, "cl_status", "nodestatus", "ev1").out().equals("active\n"),
                "ev1 to run the group and ev2 to see it");
        ControlReply cleanup = ask(1, "cleanup", group);
        assertThat(cleanup.exitCode()).as(cleanup.err()).isZero();

        daemons[0].destroyForcibly().waitFor();
        await(() -> ask(1, "status").out().contains(" running"), "ev2 to take the group over");

        ControlReply why = ask(1, "why");
        assertThat(why.exitCode()).as(why.err()).isZero();
        String text = why.out();
        System.out.println("tandem why on ev2 after the kill of ev1:\n" + text + "tandem events on ev2:\n" + ask(1, "events").out());
        assertThat(text).startsWith("ev1 declared dead at ").contains("(last heartbeat ").containsPattern(", deadtime \\d+ ms\\)")
                .contains("→ takeover of " + group + " decided ").contains("→ " + group + " start ")
                .containsPattern("→ group running \\d+ ms after the decision");
        assertThat(ask(1, "why", group).out()).isEqualTo(text);
        assertThat(ask(1, "why", "nothing").exitCode()).isEqualTo(1);

        Map<String, Object> whyJson = json(ask(1, "why", "--json").out());
        List<Map<String, Object>> chain = list(whyJson.get("chain"));
        assertThat(chain).extracting(l -> l.get("kind")).startsWith("node-dead", "decision").endsWith("group");
        assertThat(whyJson.get("group")).isEqualTo(group);

        List<Map<String, Object>> events = list(json(ask(1, "events", "--json").out()).get("events"));
        Map<String, Object> dead = events.stream().filter(e -> e.get("kind").equals("node-dead")).reduce((a, b) -> b).orElseThrow();
        Map<String, Object> deadFields = map(dead.get("fields"));
        assertThat(dead.get("subject")).isEqualTo("ev1");
        // the silence allowed: ha.cf's deadtime 1 s, or more while the peer announced its start-up grace
        long deadtime = Long.parseLong((String) deadFields.get("deadtimeMs"));
        assertThat(deadtime).isGreaterThanOrEqualTo(1000);
        assertThat(Long.parseLong((String) deadFields.get("silentMs"))).isGreaterThanOrEqualTo(deadtime);
        assertThat(text).contains(", deadtime " + deadtime + " ms)");
        assertThat(text).contains(" on " + deadFields.get("link") + ",");
        Map<String, Object> operator = events.stream().filter(e -> e.get("kind").equals("operator")).findFirst().orElseThrow();
        assertThat(operator.get("cause")).isEqualTo("cleanup " + group);
        assertThat(map(operator.get("fields")).get("user")).isEqualTo(System.getProperty("user.name"));
        assertThat(events).anyMatch(e -> e.get("kind").equals("op") && map(e.get("fields")).get("action").equals("start")
                && map(e.get("fields")).get("result").equals("ok") && "0".equals(map(e.get("fields")).get("exitCode")));
        assertThat(ask(1, "events", "--since", "10m").out()).contains(" node-dead ev1: silent ");
        assertThat(ask(1, "events", "--since", "banana").exitCode()).isEqualTo(2);

        // A restart of ev2: the death of ev1 is still in its history, from its earlier life.
        assertThat(ask(1, "stop", "--wait", "30").exitCode()).isZero();
        daemons[1].waitFor();
        start(1);
        await(() -> ask(1, "status").out().contains(" running"), "ev2 to hold the group again");
        List<Map<String, Object>> after = list(json(ask(1, "events", "--json").out()).get("events"));
        assertThat(after).anyMatch(e -> e.get("kind").equals("node-dead") && e.get("seq").equals(dead.get("seq"))
                && e.get("life").equals(dead.get("life")) && e.get("epochMs").equals(dead.get("epochMs")));
        assertThat(after.stream().map(e -> e.get("life")).distinct().count()).as("entries of both lives").isEqualTo(2);

        // A flood of operator commands: the files rotate and stay under the cap; the newest come back after a restart.
        for (int i = 0; i < 150; i++) {
            assertThat(ask(1, "cleanup", group).exitCode()).isZero();
        }
        Path state = home(1).resolve("state");
        Path file = state.resolve(EventHistory.FILE);
        Path old = state.resolve(EventHistory.FILE + ".1");
        await(() -> Files.exists(old), "the history file to be rotated");
        assertThat(ask(1, "stop", "--wait", "30").exitCode()).isZero();
        daemons[1].waitFor();
        assertThat(Files.size(file) + Files.size(old)).isLessThanOrEqualTo(CAP);
        start(1);
        long operators = list(json(ask(1, "events", "--json").out()).get("events")).stream()
                .filter(e -> e.get("kind").equals("operator")).count();
        assertThat(operators).as("the newest operator entries survive the restart").isGreaterThan(20).isLessThan(152);
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
            Path etc = Files.createDirectories(home(i).resolve("etc"));
            Files.writeString(etc.resolve("ha.cf"), "logfile " + home(i).resolve("ha-log") + "\nkeepalive 200ms\ndeadtime 1\nwarntime 500ms\n"
                    + "initdead 3\nudpport " + udp + "\nucast lo " + ADDRESSES[0] + "\nucast lo " + ADDRESSES[1] + "\n"
                    + "auto_failback off\nnode " + NODES[0] + "\nnode " + NODES[1] + "\n");
            Path keys = etc.resolve("authkeys");
            Files.createFile(keys, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(keys, "auth 1\n1 sha1 event-history\n");
            Files.writeString(etc.resolve("haresources"), NODES[0] + " " + group + "\n");
        }
    }

    private Path home(int i) {
        return dir.resolve(NODES[i]);
    }

    private void start(int i) throws IOException {
        List<String> args = new ArrayList<>(List.of("run", "--quiet", "--run-dir", home(i).resolve("run").toString(), "-c",
                home(i).resolve("etc").toString(), "--node", NODES[i], "--state-dir", home(i).resolve("state").toString(), "--bind", ADDRESSES[i]));
        ProcessBuilder pb = new ProcessBuilder(TestProcesses.tandem(System.getProperty("java.class.path"), args)).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(home(i).resolve("daemon.out").toFile()));
        pb.environment().put("TANDEM_EVENTS_MAX_BYTES", Long.toString(CAP));
        daemons[i] = pb.start();
        await(() -> ask(i, "ping").exitCode() == 0, "the daemon " + NODES[i] + " to answer (see " + home(i).resolve("daemon.out") + ")");
    }

    private ControlReply ask(int i, String... words) {
        return ControlClient.ask(DaemonPaths.controlSocket(home(i).resolve("run")), List.of(words));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> json(String text) {
        return (Map<String, Object>) JsonRead.parse(text);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Object o) {
        return (List<Map<String, Object>>) o;
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
