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
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTP API of real daemons (docs/observability.md): two nodes on the loopback (ucast on
 * 127.0.0.61 and .62, no root, no namespaces), the API on both (tandem.cf: http_listen on the node's
 * address, a token file of mode 600). Status, events and why come back as JSON without a token (both
 * ends loopback); the event stream is opened; a standby without a token and with a wrong one is
 * refused (401) and changes nothing; with the token it moves the group, and the stream carries the
 * operator entry (who: the token and the client's address), the give-up and a status frame that shows
 * the peer as the owner. A reload with a changed token takes the new one in place.
 */
class HttpApiLoopbackTest {
    private static final String[] NODES = {"ap1", "ap2"};
    private static final String[] ADDRESSES = {"127.0.0.61", "127.0.0.62"};
    private static final String TOKEN = "loopback-test-token-0123456789";

    @TempDir
    Path dir;
    private final Process[] daemons = new Process[2];
    private final int[] ports = new int[2];
    private String group;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @Test
    void status_events_why_and_the_stream_over_http_and_a_standby_with_the_token_moves_the_group() throws Exception {
        setUp();
        start(0);
        start(1);
        await(() -> ask(0, "status").out().contains(" running") && ask(1, "cl_status", "nodestatus", "ap1").out().equals("active\n"),
                "ap1 to run the group and ap2 to see it");

        HttpResponse<String> status = get(0, "/api/v1/status", null);
        assertThat(status.statusCode()).isEqualTo(200);
        assertThat(status.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(status.headers().firstValue("Content-Type")).hasValue("application/json; charset=utf-8");
        Map<String, Object> s = map(JsonRead.parse(status.body()));
        assertThat(s.get("node")).isEqualTo("ap1");
        assertThat(((Number) s.get("uptime_ms")).longValue()).isPositive();
        List<Map<String, Object>> nodes = list(s.get("nodes"));
        assertThat(nodes).extracting(n -> n.get("name")).containsExactly("ap1", "ap2");
        Map<String, Object> peerLink = list(nodes.get(1).get("links")).get(0);
        assertThat(peerLink.get("status")).isEqualTo("up");
        assertThat(((Number) peerLink.get("heartbeat_age_ms")).longValue()).isGreaterThanOrEqualTo(0);
        Map<String, Object> g = list(s.get("groups")).get(0);
        assertThat(g).containsEntry("key", group).containsEntry("owner", "ap1").containsEntry("state", "running");

        assertThat(list(map(JsonRead.parse(get(0, "/api/v1/events?since=10m", null).body())).get("events")))
                .anyMatch(e -> e.get("kind").equals("group") && e.get("subject").equals(group));
        assertThat(get(0, "/api/v1/events?since=banana", null).statusCode()).isEqualTo(400);
        assertThat(get(0, "/api/v1/why?group=nothing", null).statusCode()).isEqualTo(404);

        List<String> stream = new CopyOnWriteArrayList<>();
        HttpRequest streamRequest = HttpRequest.newBuilder(uri(0, "/api/v1/events/stream")).GET().build();
        var streaming = http.sendAsync(streamRequest, HttpResponse.BodyHandlers.ofLines())
                .thenAccept(r -> r.body().forEach(stream::add));
        await(() -> stream.contains("event: status"), "the stream's first status frame");

        // refused: no token, a wrong token; nothing happens
        HttpResponse<String> none = post(0, "/api/v1/standby", null, "");
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"tandem\"");
        assertThat(map(JsonRead.parse(none.body()))).containsEntry("error", "unauthorized");
        assertThat(none.body()).doesNotContain(TOKEN);
        assertThat(post(0, "/api/v1/standby", TOKEN + "x", "").statusCode()).isEqualTo(401);
        assertThat(post(0, "/api/v1/standby", "", "").statusCode()).isEqualTo(401);
        assertThat(post(0, "/api/v1/takeover", TOKEN, "what=bogus").statusCode()).isEqualTo(400);
        assertThat(ask(0, "status").out()).contains(" running");

        HttpResponse<String> standby = post(0, "/api/v1/standby", TOKEN, "what=all");
        assertThat(standby.statusCode()).as(standby.body()).isEqualTo(200);
        assertThat(map(JsonRead.parse(standby.body()))).containsEntry("ok", true).containsEntry("message", "Going standby [all].");

        await(() -> ownerInLastStatusFrame(stream).equals("ap2"), "a status frame with ap2 owning the group");
        List<Map<String, Object>> cluster = clusterFrames(stream);
        Map<String, Object> operator = cluster.stream().filter(e -> e.get("kind").equals("operator")).findFirst().orElseThrow();
        assertThat(operator.get("cause")).isEqualTo("hb_standby all");
        assertThat((String) map(operator.get("fields")).get("user")).matches("http token from 127\\.\\d+\\.\\d+\\.\\d+");
        assertThat(cluster).anyMatch(e -> e.get("kind").equals("group") && e.get("subject").equals(group)
                && map(e.get("fields")).get("to").equals("stopping"));
        await(() -> ask(1, "status").out().contains(" running"), "ap2 to run the group");

        HttpResponse<String> why = get(1, "/api/v1/why?group=" + java.net.URLEncoder.encode(group, "UTF-8"), null);
        assertThat(why.statusCode()).isEqualTo(200);
        List<Map<String, Object>> chain = list(map(JsonRead.parse(why.body())).get("chain"));
        assertThat(chain).extracting(c -> c.get("kind")).endsWith("group");
        assertThat(chain).anyMatch(c -> ((String) c.get("text")).contains("running"));

        // a reload with a new token: the old one is refused, the new one works
        String next = "loopback-test-token-second-one";
        Files.writeString(home(0).resolve("etc/token"), next + "\n");
        assertThat(ask(0, "reload").exitCode()).isZero();
        await(() -> post(0, "/api/v1/cleanup", next, "group=" + group).statusCode() == 200, "the new token to be taken");
        assertThat(post(0, "/api/v1/cleanup", TOKEN, "group=" + group).statusCode()).isEqualTo(401);
        streaming.cancel(true);
    }

    private static String ownerInLastStatusFrame(List<String> stream) {
        String last = null;
        for (int i = 0; i + 1 < stream.size(); i++) {
            if (stream.get(i).equals("event: status") && stream.get(i + 1).startsWith("data: ")) {
                last = stream.get(i + 1).substring(6);
            }
        }
        if (last == null) {
            return "";
        }
        Object owner = list(map(JsonRead.parse(last)).get("groups")).get(0).get("owner");
        return owner == null ? "" : (String) owner;
    }

    private static List<Map<String, Object>> clusterFrames(List<String> stream) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (int i = 0; i + 1 < stream.size(); i++) {
            if (stream.get(i).equals("event: cluster")) {
                assertThat(stream.get(i + 1)).startsWith("data: {");
                out.add(map(JsonRead.parse(stream.get(i + 1).substring(6))));
            }
        }
        return out;
    }

    private URI uri(int i, String path) {
        return URI.create("http://" + ADDRESSES[i] + ":" + ports[i] + path);
    }

    private HttpResponse<String> get(int i, String path, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(i, path)).timeout(Duration.ofSeconds(20)).GET();
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return send(b.build());
    }

    private HttpResponse<String> post(int i, String path, String token, String form) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(i, path)).timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return send(b.build());
    }

    private HttpResponse<String> send(HttpRequest r) {
        try {
            return http.send(r, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void await(java.util.function.BooleanSupplier condition, String what) {
        Poll.until(Duration.ofSeconds(40), what, condition);
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
            Files.writeString(etc.resolve("ha.cf"), "logfile " + home(i).resolve("ha-log") + "\nkeepalive 200ms\ndeadtime 2\nwarntime 1\n"
                    + "initdead 4\nudpport " + udp + "\nucast lo " + ADDRESSES[0] + "\nucast lo " + ADDRESSES[1] + "\n"
                    + "auto_failback off\nnode " + NODES[0] + "\nnode " + NODES[1] + "\n");
            Path keys = etc.resolve("authkeys");
            Files.createFile(keys, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(keys, "auth 1\n1 sha1 http-api\n");
            Files.writeString(etc.resolve("haresources"), NODES[0] + " " + group + "\n");
            Path token = etc.resolve("token");
            Files.createFile(token, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(token, TOKEN + "\n");
            Files.writeString(etc.resolve("tandem.cf"), "http_listen " + ADDRESSES[i] + ":" + ports[i] + "\nhttp_token_file " + token + "\n");
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
        await(() -> {
            try {
                return get(i, "/api/v1/status", null).statusCode() == 200;
            } catch (RuntimeException e) {
                return false;
            }
        }, "the API of " + NODES[i] + " to answer");
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
