package io.tandem.daemon.http;

import io.tandem.config.HttpApiCf;
import io.tandem.config.HttpPeerCf;
import io.tandem.config.TandemCf;
import io.tandem.daemon.history.PeerView;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;

/**
 * Reads the peer's history from its API ({@code GET /api/v1/events}, tandem.cf's {@code http_peer}) for
 * {@code tandem events} and {@code tandem why}: on one worker thread of its own (never the event loop;
 * at most {@link #QUEUE} requests wait), with this node's token, {@link #TIMEOUT} to connect and as much
 * for the answer, at most {@link #MAX_BYTES} of it. Every outcome is a {@link PeerView}: the peer's
 * entries, or the one reason there are none; the future always completes.
 */
public final class PeerFetch implements AutoCloseable {
    public static final Duration TIMEOUT = Duration.ofSeconds(2);
    public static final int MAX_BYTES = 4 << 20;
    static final int QUEUE = 4;

    private record Target(HttpPeerCf peer, String tokenFile) {
    }

    private final ThreadPoolExecutor worker = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(QUEUE), r -> {
        Thread t = new Thread(r, "tandem-peer-fetch");
        t.setDaemon(true);
        return t;
    });
    private volatile Target target;
    private HttpClient client; // the worker's
    private Target clientFor;  // the worker's
    private java.util.concurrent.ExecutorService clientThreads; // the worker's

    /** Takes tandem.cf's {@code http_peer} (at start and each reload). */
    public void configure(TandemCf tandem) {
        HttpApiCf http = tandem.http();
        target = http.peer().enabled() ? new Target(http.peer(), http.tokenFile()) : null;
    }

    /** The peer's node name, when one is configured. */
    public Optional<String> peer() {
        Target t = target;
        return t == null ? Optional.empty() : Optional.of(t.peer().node());
    }

    /** The peer's entries of the last {@code sinceMs} (all when negative); empty when no peer is configured. */
    public Optional<CompletableFuture<PeerView>> fetch(long sinceMs) {
        Target t = target;
        if (t == null) {
            return Optional.empty();
        }
        CompletableFuture<PeerView> answer = new CompletableFuture<>();
        try {
            worker.execute(() -> answer.complete(read(t, sinceMs)));
        } catch (RejectedExecutionException e) {
            answer.complete(PeerView.unreachable(t.peer().node(), "too many requests for it waiting"));
        }
        return Optional.of(answer);
    }

    private PeerView read(Target t, long sinceMs) {
        String node = t.peer().node();
        try {
            HttpClient c = client(t);
            HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(t.peer().url() + "/api/v1/events"
                    + (sinceMs < 0 ? "" : "?since=" + Math.min(999_999_999L, (sinceMs + 999) / 1000) + "s")))
                    .timeout(TIMEOUT).header("Accept", "application/json").GET();
            if (t.tokenFile() != null) {
                r.header("Authorization", "Bearer " + new String(TokenFile.read(Path.of(t.tokenFile())), StandardCharsets.US_ASCII));
            }
            Bounded body = new Bounded();
            CompletableFuture<HttpResponse<byte[]>> call = c.sendAsync(r.build(), info -> body);
            HttpResponse<byte[]> response;
            try {
                response = call.get(2 * TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                body.cancel();
                call.cancel(true);
                return PeerView.unreachable(node, "no answer within " + 2 * TIMEOUT.toSeconds() + " s");
            }
            if (response.statusCode() != 200) {
                return PeerView.unreachable(node, "its API answered HTTP " + response.statusCode());
            }
            return PeerView.parse(node, new String(response.body(), StandardCharsets.UTF_8));
        } catch (ApiSetupException e) {
            return PeerView.unreachable(node, "http_peer_ca or token: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            return PeerView.unreachable(node, e.getMessage());
        } catch (ExecutionException e) {
            return PeerView.unreachable(node, reason(e.getCause()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return PeerView.unreachable(node, "interrupted");
        }
    }

    private static String reason(Throwable e) {
        if (e instanceof HttpConnectTimeoutException) {
            return "connect timed out";
        }
        if (e instanceof HttpTimeoutException) {
            return "no answer within " + TIMEOUT.toSeconds() + " s";
        }
        if (e instanceof ConnectException) {
            return "connection refused";
        }
        if (e instanceof TooLarge) {
            return e.getMessage();
        }
        if (e instanceof SSLException || e != null && e.getCause() instanceof SSLException) {
            return "TLS: " + (e instanceof SSLException ? e : e.getCause()).getMessage();
        }
        if (e instanceof IOException && e.getCause() != null && e.getCause() != e) {
            return reason(e.getCause());
        }
        return e == null ? "failed" : e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }

    private HttpClient client(Target t) throws ApiSetupException {
        if (client == null || !t.equals(clientFor)) {
            if (clientThreads != null) {
                clientThreads.shutdown();
            }
            clientThreads = Executors.newFixedThreadPool(2, r -> {
                Thread x = new Thread(r, "tandem-peer-http");
                x.setDaemon(true);
                return x;
            });
            HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(TIMEOUT).followRedirects(HttpClient.Redirect.NEVER)
                    .version(HttpClient.Version.HTTP_1_1).executor(clientThreads);
            if (t.peer().caFile() != null) {
                b.sslContext(PemTls.trusting(Path.of(t.peer().caFile())));
            } else if (t.peer().tls()) {
                try {
                    b.sslContext(SSLContext.getDefault());
                } catch (java.security.NoSuchAlgorithmException e) {
                    throw new ApiSetupException("no TLS: " + e.getMessage());
                }
            }
            client = b.build();
            clientFor = t;
        }
        return client;
    }

    /** An answer bigger than {@link #MAX_BYTES}. */
    private static final class TooLarge extends IOException {
        TooLarge() {
            super("its answer is larger than " + (MAX_BYTES >> 20) + " MiB");
        }
    }

    /** The body, at most {@link #MAX_BYTES}: a longer one cancels the exchange. */
    private static final class Bounded implements HttpResponse.BodySubscriber<byte[]> {
        private final CompletableFuture<byte[]> done = new CompletableFuture<>();
        private final java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        private volatile Flow.Subscription subscription;

        @Override
        public CompletionStage<byte[]> getBody() {
            return done;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            s.request(Long.MAX_VALUE);
        }

        @Override
        public synchronized void onNext(List<ByteBuffer> items) {
            for (ByteBuffer b : items) {
                if (bytes.size() + b.remaining() > MAX_BYTES) {
                    subscription.cancel();
                    done.completeExceptionally(new TooLarge());
                    return;
                }
                byte[] a = new byte[b.remaining()];
                b.get(a);
                bytes.write(a, 0, a.length);
            }
        }

        @Override
        public void onError(Throwable t) {
            done.completeExceptionally(t);
        }

        @Override
        public synchronized void onComplete() {
            done.complete(bytes.toByteArray());
        }

        void cancel() {
            Flow.Subscription s = subscription;
            if (s != null) {
                s.cancel();
            }
            done.completeExceptionally(new HttpTimeoutException("timed out"));
        }
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }
}
