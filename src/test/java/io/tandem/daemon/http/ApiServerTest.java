package io.tandem.daemon.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.config.HttpApiCf;
import io.tandem.daemon.control.ControlReply;
import io.tandem.daemon.history.JsonRead;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The listener on a real socket (127.0.0.1, a free port), its daemon side a control path that records
 * the words it is given and answers as the control socket would: each endpoint becomes the words
 * {@code tandem} would send, replies map to HTTP codes, hostile text comes back as valid JSON, and
 * requests beyond the bounds, unknown paths and paths out of the dashboard's directory are refused.
 */
class ApiServerTest {
    private static final String TOKEN = "unit-test-token-0123456789";
    private final List<String> asked = new CopyOnWriteArrayList<>();
    private final List<String> askedBy = new CopyOnWriteArrayList<>();
    private volatile ControlReply reply = ControlReply.ok("{\"node\":\"n1\"}\n");
    private ApiServer server;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @BeforeEach
    void start() throws Exception {
        ApiSetup setup = new ApiSetup(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), true,
                TOKEN.getBytes(StandardCharsets.US_ASCII), null, new HttpApiCf("127.0.0.1", 1, "/t", null, null));
        server = new ApiServer(setup, (who, words) -> {
            asked.add(String.join(" ", words));
            askedBy.add(who);
            return CompletableFuture.completedFuture(reply);
        });
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String token, String form) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.address().getPort() + path);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> json(String text) {
        return (Map<String, Object>) JsonRead.parse(text);
    }

    @Test
    void each_endpoint_asks_the_control_path_with_tandems_words() throws Exception {
        assertThat(get("/api/v1/status").body()).isEqualTo("{\"node\":\"n1\"}\n");
        get("/api/v1/events");
        get("/api/v1/events?since=10m");
        get("/api/v1/why");
        get("/api/v1/why?group=IPaddr%3A%3A192.0.2.10");
        assertThat(asked).containsExactly("status --json", "events --json --local", "events --json --since 10m --local", "why --json --local",
                "why IPaddr::192.0.2.10 --json --local"); // this node's own view: what a peer merges
        assertThat(askedBy).containsOnly("");
        asked.clear();
        askedBy.clear();
        reply = ControlReply.ok("");
        assertThat(post("/api/v1/standby", TOKEN, "").statusCode()).isEqualTo(200);
        post("/api/v1/standby", TOKEN, "what=local");
        post("/api/v1/takeover?what=foreign", TOKEN, "");
        post("/api/v1/takeover", TOKEN, "what=failback");
        post("/api/v1/cleanup", TOKEN, "group=IPaddr::192.0.2.10");
        post("/api/v1/cleanup?resource=apache", TOKEN, "");
        assertThat(asked).containsExactly("hb_standby all", "hb_standby local", "hb_takeover foreign", "hb_takeover failback",
                "cleanup IPaddr::192.0.2.10", "cleanup apache");
        assertThat(askedBy).containsOnly("http token from 127.0.0.1");
    }

    @Test
    void bad_parameters_never_reach_the_daemon() throws Exception {
        reply = ControlReply.ok("");
        assertThat(post("/api/v1/standby", TOKEN, "what=everything").statusCode()).isEqualTo(400);
        assertThat(post("/api/v1/cleanup", TOKEN, "").statusCode()).isEqualTo(400);
        assertThat(post("/api/v1/cleanup", TOKEN, "group=a&resource=b").statusCode()).isEqualTo(400);
        assertThat(get("/api/v1/why?group=--json").statusCode()).isEqualTo(400);
        assertThat(post("/api/v1/standby", TOKEN, "what=%zz").statusCode()).isEqualTo(400);
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 17; i++) {
            many.append("p").append(i).append("=1&");
        }
        assertThat(post("/api/v1/standby", TOKEN, many.toString()).statusCode()).isEqualTo(400);
        assertThat(post("/api/v1/standby", null, "").statusCode()).isEqualTo(401);
        assertThat(asked).isEmpty();
    }

    @Test
    void replies_map_to_http_codes_and_hostile_text_comes_back_as_valid_json() throws Exception {
        String hostile = "no move of x\n\"}{\u0001\u001f\u007f\u2028 <script>\\";
        reply = ControlReply.fail(1, hostile);
        HttpResponse<String> why = get("/api/v1/why?group=x");
        assertThat(why.statusCode()).isEqualTo(404);
        assertThat(why.body().strip()).doesNotContain("\n").doesNotContain("\u0001");
        assertThat(json(why.body())).containsEntry("error", "not found").containsEntry("message", hostile.strip());
        assertThat(post("/api/v1/standby", TOKEN, "").statusCode()).isEqualTo(409);
        reply = ControlReply.fail(2, "usage");
        assertThat(get("/api/v1/events?since=x").statusCode()).isEqualTo(400);
        reply = ControlReply.fail(3, "stopping");
        assertThat(get("/api/v1/status").statusCode()).isEqualTo(503);
        reply = new ControlReply(0, "", "Going standby [all].\n");
        HttpResponse<String> ok = post("/api/v1/standby", TOKEN, "");
        assertThat(json(ok.body())).containsEntry("ok", true).containsEntry("message", "Going standby [all].");
        assertThat(ok.headers().firstValue("Cache-Control")).hasValue("no-store");
    }

    @Test
    void unknown_paths_and_methods() throws Exception {
        assertThat(get("/api/v2/status").statusCode()).isEqualTo(404);
        assertThat(get("/api/v1/standby").statusCode()).isEqualTo(405);
        assertThat(get("/api/v1/standby").headers().firstValue("Allow")).hasValue("POST");
        assertThat(post("/api/v1/status", TOKEN, "").statusCode()).isEqualTo(405);
        assertThat(json(get("/nothing").body())).containsEntry("error", "not found");
    }

    @Test
    void the_dashboards_files_and_no_way_out_of_its_directory() throws Exception {
        HttpResponse<String> probe = get("/ui/api-test-probe.txt");
        assertThat(probe.statusCode()).isEqualTo(200);
        assertThat(probe.body()).isEqualTo("probe of the API's file route\n");
        assertThat(probe.headers().firstValue("Content-Type")).hasValue("text/plain; charset=utf-8");
        assertThat(probe.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(v -> assertThat(v).startsWith("default-src 'self'"));
        HttpResponse<String> css = get("/ui/sub/api-test-probe.css");
        assertThat(css.statusCode()).isEqualTo(200);
        assertThat(css.headers().firstValue("Content-Type")).hasValue("text/css; charset=utf-8");
        for (String bad : List.of("/ui/missing.js", "/ui/sub", "/ui/sub/", "/ui/../api-test-probe.txt", "/ui/%2e%2e/http/ApiServer.class",
                "/ui/sub/../api-test-probe.txt", "/ui/.hidden.txt", "/ui/a/b/c.txt", "/ui/..%2f..%2fconfig%2fHaCf.class", "/ui/")) {
            assertThat(raw("GET " + bad + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")).as(bad).startsWith("HTTP/1.1 404 ");
        }
        assertThat(DashboardFiles.type("index.html")).isEqualTo("text/html; charset=utf-8");
        assertThat(DashboardFiles.type("app.js")).isEqualTo("text/javascript; charset=utf-8");
        assertThat(DashboardFiles.type("x.bin")).isEqualTo("application/octet-stream");
    }

    @Test
    void requests_beyond_the_bounds_are_refused() throws Exception {
        assertThat(get("/api/v1/events?since=" + "1".repeat(3000)).statusCode()).isEqualTo(414);
        assertThat(post("/api/v1/standby", TOKEN, "what=all&pad=" + "x".repeat(5000)).statusCode()).isEqualTo(413);
        assertThat(raw("POST /api/v1/standby HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + TOKEN
                + "\r\nContent-Length: 999999999\r\nConnection: close\r\n\r\n")).startsWith("HTTP/1.1 413 ");
        String big = "GET /api/v1/status HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Pad: " + "y".repeat(9000) + "\r\nConnection: close\r\n\r\n";
        String answer = raw(big);
        assertThat(answer).as("a 9 KB header").satisfiesAnyOf(a -> assertThat(a).isEmpty(), a -> assertThat(a).startsWith("HTTP/1.1 4"));
        assertThat(asked).isEmpty();
    }

    @Test
    void a_refused_post_gets_its_whole_answer_even_when_its_body_comes_late() throws Exception {
        // the body arrives just after the head (as java.net.http sends it). Answered without reading it, a
        // socket closed with the body unread is reset and the answer's last segment can be lost: the CI
        // run of 857e632 saw "fixed content-length: 101, bytes received: 0". Varying the gap (0-580 us)
        // hits that window in most runs without the drain.
        for (int i = 0; i < 300; i++) {
            try (Socket s = new Socket("127.0.0.1", server.address().getPort())) {
                s.setSoTimeout(10_000);
                OutputStream out = s.getOutputStream();
                out.write(("POST /api/v1/standby HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                        + "Content-Length: 8\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                long until = System.nanoTime() + (i % 30) * 20_000L;
                while (System.nanoTime() < until) {
                    Thread.onSpinWait();
                }
                out.write("what=all".getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
                assertThat(answer).as("attempt " + i).startsWith("HTTP/1.1 401 ").contains("Content-length: 101\r\n");
                assertThat(answer.substring(answer.indexOf("\r\n\r\n") + 4)).as("attempt " + i).hasSize(101).startsWith("{\"error\":\"unauthorized\"");
            }
        }
        assertThat(asked).isEmpty();
    }

    /** A request as bytes on a socket; the answer to its end (empty when the server just closed). */
    private String raw(String request) throws IOException {
        try (Socket s = new Socket("127.0.0.1", server.address().getPort())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            try {
                return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            } catch (java.net.SocketException e) {
                return "";
            }
        }
    }
}
