package io.tandem.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.daemon.control.ControlClient;
import io.tandem.daemon.control.ControlReply;
import io.tandem.daemon.history.JsonRead;
import io.tandem.daemon.lifecycle.DaemonPaths;
import io.tandem.lab.Poll;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
 * {@code tandem why} merging the peer's history (docs/observability.md): two real daemons on the
 * loopback (127.0.0.71 and .72, no root, no namespaces), each with its HTTP API on and {@code http_peer}
 * naming the other's listener, one token file shared. After a standby of pw1, {@code tandem why --json}
 * on the taker pw2 has pw1's own steps (the operator's hb_standby, its give-up, its stop, the group
 * stopped) marked pw1 before its own takeover marked pw2, in time order; pw1 answers the same chain.
 * With pw1's daemon stopped, pw2's answer says the peer is not reachable and still shows its own chain.
 */
class PeerWhyLoopbackTest {
    private static final String[] NODES = {"pw1", "pw2"};
    private static final String[] ADDRESSES = {"127.0.0.71", "127.0.0.72"};
    private static final String TOKEN = "peer-why-loopback-token-0123456789";

    @TempDir
    Path dir;
    private final Process[] daemons = new Process[2];
    private final int[] ports = new int[2];
    private String group;

    @Test
    void why_on_the_taker_has_the_givers_release_and_says_when_the_peer_is_gone() throws Exception {
        setUp();
        start(0);
        start(1);
        await(() -> ask(0, "status").out().contains(" running") && ask(1, "cl_status", "nodestatus", "pw1").out().equals("active\n"),
                "pw1 to run the group and pw2 to see it");
        ControlReply standby = ask(0, "hb_standby", "all");
        assertThat(standby.exitCode()).as(standby.err()).isZero();
        await(() -> ask(1, "status").out().contains(" running") && ask(1, "why", "--local").out().contains("group running"),
                "pw2 to take the group over");

        ControlReply why = ask(1, "why", "--json");
        assertThat(why.exitCode()).as(why.err()).isZero();
        Map<String, Object> doc = map(JsonRead.parse(why.out()));
        System.out.println("tandem why on pw2 after the standby of pw1:\n" + ask(1, "why").out());
        assertThat(doc.get("group")).isEqualTo(group);
        assertThat(map(doc.get("peer"))).isEqualTo(Map.of("node", "pw1", "reachable", true));
        List<Map<String, Object>> chain = list(doc.get("chain"));
        List<String> steps = chain.stream().map(l -> l.get("node") + " " + l.get("kind")).toList();
        assertThat(steps).contains("pw1 operator", "pw1 decision", "pw2 decision");
        assertThat(steps.indexOf("pw1 decision")).isLessThan(steps.indexOf("pw2 decision"));
        assertThat(chain).anyMatch(l -> l.get("node").equals("pw1") && ((String) l.get("text")).startsWith("give-up of " + group + " decided"));
        assertThat(chain).anyMatch(l -> l.get("node").equals("pw1") && ((String) l.get("text")).matches("group stopped \\d+ ms after the decision"));
        assertThat(chain).anyMatch(l -> l.get("node").equals("pw1") && ((String) l.get("text")).matches(".* stop \\d+ ms"));
        assertThat(chain).anyMatch(l -> l.get("node").equals("pw2") && ((String) l.get("text")).matches("group running \\d+ ms after the decision"));
        assertThat(chain).extracting(l -> ((Number) l.get("epochMs")).longValue()).isSorted();
        assertThat(chain.stream().filter(l -> l.get("node").equals("pw1")).map(l -> l.get("kind")).toList()).contains("operator");
        assertThat(map(chain.stream().filter(l -> l.get("kind").equals("operator")).findFirst().orElseThrow()).get("text"))
                .asString().startsWith("operator ").contains("ran hb_standby all");
        // the giver tells the same story
        Map<String, Object> onGiver = map(JsonRead.parse(ask(0, "why", "--json").out()));
        assertThat(list(onGiver.get("chain"))).isEqualTo(chain);
        // the merged timeline: both nodes' entries, each marked
        List<Map<String, Object>> events = list(map(JsonRead.parse(ask(1, "events", "--json").out())).get("events"));
        assertThat(events).extracting(e -> e.get("node")).contains("pw1", "pw2");
        assertThat(events).extracting(e -> ((Number) e.get("epochMs")).longValue()).isSorted();
        // the API answers this node's view only (a peer reads it: no calls back and forth)
        HttpResponse<String> api = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://" + ADDRESSES[1] + ":" + ports[1]
                + "/api/v1/events")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(api.statusCode()).isEqualTo(200);
        assertThat(list(map(JsonRead.parse(api.body())).get("events"))).extracting(e -> e.get("node")).containsOnly("pw2");

        // pw1 gone: pw2 says so in one line and shows its own chain
        assertThat(ask(0, "stop", "--wait", "30").exitCode()).isZero();
        daemons[0].waitFor();
        ControlReply alone = ask(1, "why", "--json");
        assertThat(alone.exitCode()).as(alone.err()).isZero();
        Map<String, Object> aloneDoc = map(JsonRead.parse(alone.out()));
        assertThat(map(aloneDoc.get("peer"))).containsEntry("node", "pw1").containsEntry("reachable", false).containsKey("error");
        assertThat(list(aloneDoc.get("chain"))).extracting(l -> l.get("node")).containsOnly("pw2");
        assertThat(list(aloneDoc.get("chain"))).extracting(l -> l.get("kind")).contains("decision", "group");
        ControlReply text = ask(1, "why");
        System.out.println("tandem why on pw2 with pw1 stopped:\n" + text.err() + text.out());
        assertThat(text.err()).isEqualTo("tandem why: peer pw1 not reachable: " + map(aloneDoc.get("peer")).get("error")
                + "; this node's view only\n");
        assertThat(text.out()).contains("pw2: ").contains("→ pw2: takeover of " + group + " decided ");
        assertThat(ask(1, "events").err()).startsWith("tandem events: peer pw1 not reachable: ");
    }

    private static void await(java.util.function.BooleanSupplier condition, String what) {
        Poll.until(Duration.ofSeconds(60), what, condition);
    }

    private void setUp() throws IOException {
        int udp;
        int web;
        try (DatagramSocket u = new DatagramSocket(0); ServerSocket t = new ServerSocket(0); ServerSocket a = new ServerSocket(0);
             ServerSocket b = new ServerSocket(0)) {
            udp = u.getLocalPort();
            web = t.getLocalPort();
            ports[0] = a.getLocalPort();
            ports[1] = b.getLocalPort();
        }
        group = "DemoWeb::127.0.0.1::" + web;
        for (int i = 0; i < 2; i++) {
            Path etc = Files.createDirectories(home(i).resolve("etc"));
            Files.writeString(etc.resolve("ha.cf"), "logfile " + home(i).resolve("ha-log") + "\nkeepalive 200ms\ndeadtime 3\nwarntime 1\n"
                    + "initdead 6\nudpport " + udp + "\nucast lo " + ADDRESSES[0] + "\nucast lo " + ADDRESSES[1] + "\n"
                    + "auto_failback off\nnode " + NODES[0] + "\nnode " + NODES[1] + "\n");
            Path keys = etc.resolve("authkeys");
            Files.createFile(keys, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(keys, "auth 1\n1 sha1 peer-why\n");
            Files.writeString(etc.resolve("haresources"), NODES[0] + " " + group + "\n");
            Path token = etc.resolve("token");
            Files.createFile(token, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(token, TOKEN + "\n");
            int other = 1 - i;
            Files.writeString(etc.resolve("tandem.cf"), "http_listen " + ADDRESSES[i] + ":" + ports[i] + "\nhttp_token_file " + token + "\n"
                    + "http_peer " + NODES[other] + " http://" + ADDRESSES[other] + ":" + ports[other] + "\n");
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
        daemons[i] = pb.start();
        await(() -> ask(i, "ping").exitCode() == 0, "the daemon " + NODES[i] + " to answer (see " + home(i).resolve("daemon.out") + ")");
    }

    private ControlReply ask(int i, String... words) {
        return ControlClient.ask(DaemonPaths.controlSocket(home(i).resolve("run")), List.of(words));
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
