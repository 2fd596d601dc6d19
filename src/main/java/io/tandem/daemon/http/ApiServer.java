package io.tandem.daemon.http;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.tandem.daemon.history.StoredEvent;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * One running HTTP(S) listener of the API: the JDK's own server ({@code com.sun.net.httpserver}), two
 * request threads with a short queue, at most 40 connections, idle ones closed after 30 s, a request
 * read within 20 s, at most 64 headers of 8 KiB; an answer given without reading the body (a 401, a
 * 404, a 413) reads away up to 64 KiB of it first and then closes the connection (the JDK's own drain
 * is off). Requests reach the daemon only through the
 * {@link ControlPath} (the event loop answers there) and the {@link EventStream}; no HTTP thread
 * touches the core.
 */
public final class ApiServer implements AutoCloseable {
    static final int THREADS = 2;
    static final int QUEUE = 32;

    private final HttpServer server;
    private final EventStream stream;
    private final ThreadPoolExecutor executor;
    private volatile ApiSetup setup;

    public ApiServer(ApiSetup setup, ControlPath control) throws IOException {
        bounds();
        this.setup = setup;
        ApiCalls calls = new ApiCalls(control);
        this.stream = new EventStream(() -> {
            ApiResponse r = calls.status(null);
            return r.status() == 200 ? new String(r.body(), java.nio.charset.StandardCharsets.UTF_8) : null;
        });
        ApiRoutes routes = new ApiRoutes(calls, new DashboardFiles(ApiServer.class.getClassLoader()));
        executor = new ThreadPoolExecutor(THREADS, THREADS, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(QUEUE), r -> {
            Thread t = new Thread(r, "tandem-http");
            t.setDaemon(true);
            return t;
        }, new ThreadPoolExecutor.CallerRunsPolicy());
        try {
            server = setup.tls() == null ? HttpServer.create(setup.address(), 16) : HttpsServer.create(setup.address(), 16);
        } catch (IOException e) {
            stream.close();
            executor.shutdownNow();
            throw e;
        }
        if (server instanceof HttpsServer https) {
            https.setHttpsConfigurator(new HttpsConfigurator(setup.tls()));
        }
        server.setExecutor(executor);
        server.createContext("/", new ApiHandler(routes, stream, () -> this.setup));
        server.start();
    }

    /** The JDK server's limits (read once, when its first server is made; an operator's -D settings win). */
    private static void bounds() {
        for (String[] p : List.of(new String[] {"jdk.httpserver.maxConnections", "40"},
                new String[] {"sun.net.httpserver.idleInterval", "30"}, new String[] {"sun.net.httpserver.maxIdleConnections", "8"},
                new String[] {"sun.net.httpserver.maxReqHeaders", "64"}, new String[] {"sun.net.httpserver.maxReqHeaderSize", "8192"},
                new String[] {"sun.net.httpserver.maxReqTime", "20"}, new String[] {"sun.net.httpserver.drainAmount", "0"})) {
            if (System.getProperty(p[0]) == null) {
                System.setProperty(p[0], p[1]);
            }
        }
    }

    /** The address it listens on (its port, when 0 was asked). */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    public ApiSetup setup() {
        return setup;
    }

    /**
     * Takes a new token and TLS identity on the same address and kind (HTTP or HTTPS) without a
     * restart: new connections use them.
     */
    public void reconfigure(ApiSetup next) {
        if (!sameListener(setup, next)) {
            throw new IllegalArgumentException("a new address or kind needs a new listener");
        }
        if (server instanceof HttpsServer https) {
            https.setHttpsConfigurator(new HttpsConfigurator(next.tls()));
        }
        setup = next;
    }

    /** Whether {@code a} and {@code b} listen on the same address with the same kind. */
    static boolean sameListener(ApiSetup a, ApiSetup b) {
        return a.address().equals(b.address()) && (a.tls() == null) == (b.tls() == null);
    }

    /** A new entry of the event history (called on the event loop; never blocks). */
    public void event(StoredEvent e) {
        stream.event(e);
    }

    /** The event streams open now. */
    public int streams() {
        return stream.clients();
    }

    @Override
    public void close() {
        stream.close();
        server.stop(0);
        executor.shutdownNow();
    }
}
