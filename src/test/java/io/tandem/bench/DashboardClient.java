package io.tandem.bench;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Run inside the lab node whose daemon has the HTTP API (loopback, so the traffic stays in its
 * namespace): behaves like an open dashboard, with the token as the page sends it: one Server-Sent-Events
 * connection to {@code /api/v1/events/stream} held open, plus {@code RATE} requests a second spread
 * over {@code /api/v1/status}, {@code /api/v1/events?since=10m} and {@code /metrics}. Prints
 * {@code ready} once the stream answered, and when a line arrives on stdin
 * {@code client requests=N ok=N failed=N sseEvents=N}.
 *
 * <p>{@code DashboardClient PORT TOKEN_FILE RATE}
 */
public final class DashboardClient {
    private static final List<String> PATHS = List.of("/api/v1/status", "/api/v1/events?since=10m", "/metrics");

    private DashboardClient() {
    }

    public static void main(String[] args) throws Exception {
        String base = "http://127.0.0.1:" + Integer.parseInt(args[0]);
        String token = Files.readString(Path.of(args[1])).strip();
        int rate = Integer.parseInt(args[2]);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong events = new AtomicLong();
        HttpResponse<InputStream> stream = http.send(request(base + "/api/v1/events/stream", token).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        if (stream.statusCode() != 200) {
            throw new IllegalStateException("events/stream: HTTP " + stream.statusCode());
        }
        Thread sse = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null && !stop.get(); line = r.readLine()) {
                    if (line.startsWith("event:")) {
                        events.incrementAndGet();
                    }
                }
            } catch (java.io.IOException e) {
                // closed at the end
            }
        }, "sse");
        sse.setDaemon(true);
        sse.start();
        Thread stdin = new Thread(() -> {
            try {
                System.in.read();
            } catch (java.io.IOException e) {
                // stdin closed: stop as well
            }
            stop.set(true);
        }, "stdin");
        stdin.setDaemon(true);
        stdin.start();
        System.out.println("ready");
        System.out.flush();
        long requests = 0, ok = 0, failed = 0;
        long period = 1_000_000_000L / rate;
        long next = System.nanoTime();
        while (!stop.get()) {
            String path = PATHS.get((int) (requests % PATHS.size()));
            requests++;
            try {
                HttpResponse<byte[]> r = http.send(request(base + path, token).timeout(Duration.ofSeconds(10)).build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                if (r.statusCode() == 200 && r.body().length > 0) {
                    ok++;
                } else {
                    failed++;
                }
            } catch (java.io.IOException e) {
                failed++;
            }
            next += period;
            LockSupport.parkNanos(Math.max(0, next - System.nanoTime()));
        }
        System.out.println("client requests=" + requests + " ok=" + ok + " failed=" + failed + " sseEvents=" + events.get());
        System.out.flush();
        System.exit(0); // the stream's connection would keep the client's threads
    }

    private static HttpRequest.Builder request(String url, String token) {
        return HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token).GET();
    }
}
