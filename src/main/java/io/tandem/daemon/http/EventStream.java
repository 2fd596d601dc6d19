package io.tandem.daemon.http;

import com.sun.net.httpserver.HttpExchange;
import io.tandem.daemon.history.EventText;
import io.tandem.daemon.history.StoredEvent;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * {@code GET /api/v1/events/stream}: Server-Sent Events. Each new history entry goes out as
 * {@code event: cluster} with the entry's JSON (as {@code tandem events --json} has it), the status
 * as {@code event: status} whenever it changed (looked at every 500 ms while a client listens), and a
 * comment after 15 s without a frame. Each client has its own writer thread and a bounded queue: a
 * slow client whose queue fills is dropped, and the event loop, which only offers to the queues,
 * never waits for one. At most {@link #MAX_CLIENTS} at once.
 */
final class EventStream implements AutoCloseable {
    static final int MAX_CLIENTS = 16;
    static final int QUEUE = 256;
    static final long STATUS_EVERY_MS = 500;
    static final long KEEPALIVE_MS = 15_000;

    private final Set<Client> clients = ConcurrentHashMap.newKeySet();
    private final Supplier<String> status;
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "tandem-http-status");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean closed;

    /** @param status the status JSON now (asked on the ticker thread), or null when there is no answer */
    EventStream(Supplier<String> status) {
        this.status = status;
        ticker.scheduleWithFixedDelay(this::tick, STATUS_EVERY_MS, STATUS_EVERY_MS, TimeUnit.MILLISECONDS);
    }

    /** Takes the exchange over as a stream; false (nothing sent) when {@link #MAX_CLIENTS} listen already. */
    synchronized boolean open(HttpExchange ex) throws IOException {
        if (closed || clients.size() >= MAX_CLIENTS) {
            return false;
        }
        ex.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        ex.getResponseHeaders().set("X-Accel-Buffering", "no");
        ex.sendResponseHeaders(200, 0);
        Client c = new Client(ex);
        clients.add(c);
        c.offer("retry: 2000\n\n");
        c.thread.start();
        ticker.execute(this::tick); // the status at once, not after the next period
        return true;
    }

    int clients() {
        return clients.size();
    }

    /** A new history entry (on the event loop: never blocks). */
    void event(StoredEvent e) {
        if (clients.isEmpty()) {
            return;
        }
        String frame = clusterFrame(e);
        clients.forEach(c -> c.offer(frame));
    }

    /** {@code id: LIFE.SEQ}, {@code event: cluster}, {@code data: <the entry as JSON>}: one data line, whatever the values hold. */
    static String clusterFrame(StoredEvent e) {
        return "id: " + e.life() + "." + e.seq() + "\nevent: cluster\ndata: " + EventText.json(e) + "\n\n";
    }

    /** {@code event: status}, {@code data: <the status JSON>}. */
    static String statusFrame(String json) {
        return "event: status\ndata: " + json + "\n\n";
    }

    private void tick() {
        if (clients.isEmpty()) {
            return;
        }
        String s;
        try {
            s = status.get();
        } catch (RuntimeException e) {
            return;
        }
        if (s == null) {
            return;
        }
        String json = s.strip();
        String frame = statusFrame(json);
        for (Client c : clients) {
            if (!json.equals(c.lastStatus)) {
                c.lastStatus = json;
                c.offer(frame);
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        ticker.shutdownNow();
        clients.forEach(Client::drop);
    }

    /** One listening client: its queue and the thread that writes it out. */
    private final class Client {
        private final HttpExchange ex;
        private final BlockingQueue<String> queue = new ArrayBlockingQueue<>(QUEUE);
        private final Thread thread;
        private volatile String lastStatus;

        Client(HttpExchange ex) {
            this.ex = ex;
            this.thread = new Thread(this::run, "tandem-http-sse");
            thread.setDaemon(true);
        }

        void offer(String frame) {
            if (!queue.offer(frame)) {
                drop(); // too slow a reader
            }
        }

        /** Ends the stream from any thread without waiting: its writer, interrupted, closes the connection. */
        void drop() {
            thread.interrupt();
        }

        private void run() {
            try (OutputStream out = ex.getResponseBody()) {
                while (!Thread.currentThread().isInterrupted()) {
                    String frame = queue.poll(KEEPALIVE_MS, TimeUnit.MILLISECONDS);
                    out.write((frame == null ? ": keep-alive\n\n" : frame).getBytes(StandardCharsets.UTF_8));
                    out.flush();
                }
            } catch (IOException | InterruptedException | RuntimeException e) {
                // the client left, was dropped, or the server stops
            } finally {
                clients.remove(this);
                ex.close();
            }
        }
    }
}
