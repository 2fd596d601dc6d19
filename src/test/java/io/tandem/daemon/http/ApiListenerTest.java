package io.tandem.daemon.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.config.TandemCf;
import io.tandem.config.TandemCfParser;
import io.tandem.daemon.control.ControlReply;
import io.tandem.lab.Poll;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The API over reloads: a new port starts a new listener and closes the old one; a token file gone bad
 * or a port taken by another program keeps the running listener; no http_listen any more stops it.
 */
class ApiListenerTest {
    @TempDir
    Path dir;
    private final List<String> info = new CopyOnWriteArrayList<>();
    private final List<String> errors = new CopyOnWriteArrayList<>();
    private final ApiListener api = new ApiListener((who, words) -> CompletableFuture.completedFuture(ControlReply.ok("{}\n")),
            info::add, errors::add);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @AfterEach
    void close() {
        api.close();
    }

    private TandemCf cf(int port, Path token) {
        return TandemCfParser.parse(dir.resolve("tandem.cf").toString(), "http_listen 127.0.0.1:" + port + "\nhttp_token_file " + token + "\n");
    }

    private Path token(String name, String mode) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, "listener-test-token-0123456789\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(mode));
        return p;
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private int status(int port) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/status")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode();
        } catch (Exception e) {
            return -1; // nothing listens
        }
    }

    @Test
    void reloads_move_keep_and_stop_the_listener() throws Exception {
        Path good = token("good", "rw-------");
        int a = freePort();
        api.start(cf(a, good));
        assertThat(status(a)).isEqualTo(200);
        assertThat(info).containsExactly("HTTP API listening on http://127.0.0.1:" + a);

        int b = freePort();
        api.reload(cf(b, good));
        Poll.until(Duration.ofSeconds(20), "the listener on the new port", () -> status(b) == 200);
        assertThat(status(a)).as("the old port closed").isEqualTo(-1);

        api.reload(cf(freePort(), token("bad", "rw-r--r--")));
        Poll.until(Duration.ofSeconds(20), "the refused reload to be logged", () -> !errors.isEmpty());
        assertThat(errors.get(0)).startsWith("HTTP API not started, the running one on http://127.0.0.1:" + b + " stays: ")
                .contains("must not be readable or writable by group or others");
        assertThat(status(b)).isEqualTo(200);

        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            api.reload(cf(taken.getLocalPort(), good));
            Poll.until(Duration.ofSeconds(20), "the failed bind to be logged", () -> errors.size() == 2);
            assertThat(errors.get(1)).startsWith("Cannot open the HTTP API on http://127.0.0.1:" + taken.getLocalPort() + ": ")
                    .endsWith("; the one on http://127.0.0.1:" + b + " stays");
            assertThat(status(b)).isEqualTo(200);
        }

        api.reload(TandemCfParser.parse(dir.resolve("tandem.cf").toString(), "ping_tiebreak on\n"));
        Poll.until(Duration.ofSeconds(20), "the listener to stop", () -> status(b) == -1);
        assertThat(api.server()).isNull();
    }
}
