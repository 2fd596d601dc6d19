package io.tandem.daemon.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.tandem.config.TandemCfParser;
import io.tandem.daemon.history.EventText;
import io.tandem.daemon.history.PeerView;
import io.tandem.daemon.history.StoredEvent;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reading the peer's history from its API over real loopback sockets: a good answer, the token sent, and
 * every way a peer can fail (refused, silent, an error status, garbage, an answer past the 4 MiB bound)
 * gives a {@link PeerView} that says why, never an exception.
 */
class PeerFetchTest {
    private static final String TOKEN = "peer-fetch-test-token-0123456789";
    @TempDir
    Path dir;
    private final List<AutoCloseable> open = new ArrayList<>();
    private final PeerFetch fetch = new PeerFetch();

    private HttpServer server(Consumer<com.sun.net.httpserver.HttpExchange> answer) throws IOException {
        HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        s.createContext("/", x -> {
            answer.accept(x);
            x.close();
        });
        s.start();
        open.add(() -> s.stop(0));
        return s;
    }

    private void peerAt(int port, boolean token) throws IOException {
        String cf = "http_listen 127.0.0.1:1\nhttp_peer n2 http://127.0.0.1:" + port + "\n";
        if (token) {
            Path t = dir.resolve("token");
            Files.createFile(t, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(t, TOKEN + "\n");
            cf += "http_token_file " + t + "\n";
        }
        fetch.configure(TandemCfParser.parse("tandem.cf", cf));
    }

    private PeerView read(long sinceMs) throws Exception {
        return fetch.fetch(sinceMs).orElseThrow().get(30, TimeUnit.SECONDS);
    }

    private static void send(com.sun.net.httpserver.HttpExchange x, int status, byte[] body) {
        try (OutputStream out = x.getResponseBody()) {
            x.sendResponseHeaders(status, body.length);
            out.write(body);
        } catch (IOException e) {
            // the client went away (the oversized answer)
        }
    }

    @Test
    void a_good_answer_comes_back_marked_with_the_peer_and_the_token_and_since_are_sent() throws Exception {
        AtomicReference<String> asked = new AtomicReference<>();
        AtomicReference<String> auth = new AtomicReference<>();
        List<StoredEvent> theirs = List.of(new StoredEvent(1000, "n2", 3, 1, "operator", "local", "hb_standby all", Map.of("user", "root")));
        HttpServer s = server(x -> {
            asked.set(x.getRequestURI().toString());
            auth.set(x.getRequestHeaders().getFirst("Authorization"));
            send(x, 200, EventText.json(theirs).getBytes(StandardCharsets.UTF_8));
        });
        assertThat(fetch.fetch(-1)).isEmpty(); // no peer configured
        peerAt(s.getAddress().getPort(), true);
        assertThat(fetch.peer()).contains("n2");
        PeerView p = read(90_000);
        assertThat(p.reachable()).as(p.note()).isTrue();
        assertThat(p.events()).isEqualTo(theirs);
        assertThat(asked.get()).isEqualTo("/api/v1/events?since=90s");
        assertThat(auth.get()).isEqualTo("Bearer " + TOKEN);
        read(-1);
        assertThat(asked.get()).isEqualTo("/api/v1/events");
    }

    @Test
    void every_failure_of_the_peer_is_said_in_words() throws Exception {
        HttpServer denied = server(x -> send(x, 401, "{\"error\":\"unauthorized\"}".getBytes(StandardCharsets.UTF_8)));
        peerAt(denied.getAddress().getPort(), false);
        assertThat(read(-1).note()).isEqualTo("peer n2 not reachable: its API answered HTTP 401; this node's view only");

        HttpServer garbage = server(x -> send(x, 200, "<html>\u001b[31mhello</html>".getBytes(StandardCharsets.UTF_8)));
        peerAt(garbage.getAddress().getPort(), false);
        assertThat(read(-1).problem()).startsWith("not the API's JSON: ");

        byte[] big = ("{\"events\":[\"" + "x".repeat(PeerFetch.MAX_BYTES) + "\"]}").getBytes(StandardCharsets.UTF_8);
        HttpServer oversized = server(x -> send(x, 200, big));
        peerAt(oversized.getAddress().getPort(), false);
        assertThat(read(-1).problem()).isEqualTo("its answer is larger than 4 MiB");

        int closed;
        try (ServerSocket gone = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            closed = gone.getLocalPort();
        }
        peerAt(closed, false);
        assertThat(read(-1).problem()).isEqualTo("connection refused");

        // a peer that accepts and never answers: given up after the timeout, said as such
        ServerSocket silent = new ServerSocket(0, 8, java.net.InetAddress.getByName("127.0.0.1"));
        open.add(silent);
        List<Socket> held = new ArrayList<>();
        Thread acceptor = new Thread(() -> {
            try {
                while (true) {
                    held.add(silent.accept());
                }
            } catch (IOException e) {
                // closed at the end
            }
        });
        acceptor.setDaemon(true);
        acceptor.start();
        peerAt(silent.getLocalPort(), false);
        assertThat(read(-1).problem()).startsWith("no answer within ");
        for (Socket h : held) {
            h.close();
        }
    }

    @Test
    void over_https_the_peer_must_chain_to_http_peer_ca() throws Exception {
        SelfSigned peer = SelfSigned.make(dir, "ec", "127.0.0.1");
        Path other = Files.createDirectories(dir.resolve("other"));
        SelfSigned stranger = SelfSigned.make(other, "rsa", "127.0.0.1");
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        Path t = dir.resolve("token");
        Files.createFile(t, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(t, TOKEN + "\n");
        String api = "http_listen 127.0.0.1:" + port + "\nhttp_token_file " + t + "\nhttp_tls_cert " + peer.cert + "\nhttp_tls_key " + peer.key + "\n";
        List<StoredEvent> theirs = List.of(new StoredEvent(2000, "n2", 3, 4, "node-dead", "n1", "silent 3001 ms", Map.of("link", "eth1")));
        List<List<String>> asked = new java.util.concurrent.CopyOnWriteArrayList<>();
        ApiSetup setup = ApiSetup.of(TandemCfParser.parse("tandem.cf", api));
        try (ApiServer server = new ApiServer(setup, (who, words) -> {
            asked.add(words);
            return java.util.concurrent.CompletableFuture.completedFuture(io.tandem.daemon.control.ControlReply.ok(EventText.json(theirs)));
        })) {
            String peerLine = "http_peer n2 https://127.0.0.1:" + port + "\n";
            fetch.configure(TandemCfParser.parse("tandem.cf", api + peerLine + "http_peer_ca " + peer.cert + "\n"));
            PeerView p = read(-1);
            assertThat(p.reachable()).as(p.note()).isTrue();
            assertThat(p.events()).isEqualTo(theirs);
            assertThat(asked).containsExactly(List.of("events", "--json", "--local")); // the peer's own view only
            fetch.configure(TandemCfParser.parse("tandem.cf", api + peerLine + "http_peer_ca " + stranger.cert + "\n"));
            assertThat(read(-1).problem()).startsWith("TLS: ");
            fetch.configure(TandemCfParser.parse("tandem.cf", api + peerLine)); // the JDK's CAs: a self-signed peer is not trusted
            assertThat(read(-1).problem()).startsWith("TLS: ");
            assertThat(asked).hasSize(1);
        }
    }

    @Test
    void a_ca_file_that_does_not_load_is_a_warning_of_check_and_the_reason_of_the_fetch() throws Exception {
        Path ca = dir.resolve("peer-ca.pem");
        Files.writeString(ca, "not a certificate\n");
        var tandem = TandemCfParser.parse("/etc/ha.d/tandem.cf", "http_listen 127.0.0.1:8694\nhttp_token_file /nonexistent/token\n"
                + "http_peer n2 https://192.0.2.2:8694\nhttp_peer_ca " + ca + "\n");
        assertThat(ApiSetup.findings(tandem)).filteredOn(f -> f.line() == 4).singleElement()
                .satisfies(f -> assertThat(f.text()).startsWith("http_peer_ca: " + ca + ": ").endsWith("(tandem why and events show this node's view only)"))
                .satisfies(f -> assertThat(f.isError()).isFalse());
        fetch.configure(tandem);
        assertThat(read(-1).problem()).startsWith("http_peer_ca or token: ");
    }

    @AfterEach
    void closeAll() throws Exception {
        fetch.close();
        for (AutoCloseable c : open) {
            c.close();
        }
    }
}
