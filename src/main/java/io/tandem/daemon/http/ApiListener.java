package io.tandem.daemon.http;

import io.tandem.config.TandemCf;
import io.tandem.daemon.history.StoredEvent;
import java.io.IOException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The HTTP API over the daemon's life: started from tandem.cf, changed by a reload (a new token or TLS
 * identity is taken in place; a new address or HTTP/HTTPS starts a new listener, and when that fails
 * the running one stays), stopped at exit. A reload's changes run on a thread of their own, never on
 * the event loop.
 */
public final class ApiListener implements AutoCloseable {
    private final ControlPath control;
    private final Consumer<String> info;
    private final Consumer<String> error;
    private final ExecutorService changes = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "tandem-http-setup");
        t.setDaemon(true);
        return t;
    });
    private volatile ApiServer server;

    public ApiListener(ControlPath control, Consumer<String> info, Consumer<String> error) {
        this.control = control;
        this.info = info;
        this.error = error;
    }

    /** At start: the API as configured (a failure is logged; the daemon runs on without it). */
    public void start(TandemCf tandem) {
        apply(tandem);
    }

    /** After a reload that passed its checks: applied on the API's own thread. */
    public void reload(TandemCf tandem) {
        try {
            changes.execute(() -> apply(tandem));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closed: the daemon is leaving
        }
    }

    /** A new entry of the event history, for the event streams (on the event loop; never blocks). */
    public void event(StoredEvent e) {
        ApiServer s = server;
        if (s != null) {
            s.event(e);
        }
    }

    /** The running listener, or null. */
    public ApiServer server() {
        return server;
    }

    private synchronized void apply(TandemCf tandem) {
        ApiServer old = server;
        if (!tandem.http().enabled()) {
            if (old != null) {
                old.close();
                server = null;
                info.accept("HTTP API on " + old.setup().url() + " stopped (no http_listen in " + tandem.fileOr(TandemCf.FILE) + ")");
            }
            return;
        }
        ApiSetup next;
        try {
            next = ApiSetup.of(tandem);
        } catch (ApiSetupException e) {
            error.accept("HTTP API not started" + (old == null ? "" : ", the running one on " + old.setup().url() + " stays") + ": "
                    + e.getMessage());
            return;
        }
        if (old != null && ApiServer.sameListener(old.setup(), next)) {
            old.reconfigure(next);
            return;
        }
        boolean samePort = old != null && old.setup().address().equals(next.address());
        if (samePort) {
            old.close(); // HTTP to HTTPS on the same address: the port must be free first
            server = null;
        }
        try {
            server = new ApiServer(next, control);
            info.accept("HTTP API listening on " + next.url() + (next.token() == null ? " (no token: loopback reads only)" : ""));
            if (old != null && !samePort) {
                old.close();
            }
        } catch (IOException e) {
            error.accept("Cannot open the HTTP API on " + next.url() + ": " + e.getMessage()
                    + (old == null ? "" : samePort ? "" : "; the one on " + old.setup().url() + " stays"));
            if (samePort) {
                try {
                    server = new ApiServer(old.setup(), control);
                    error.accept("HTTP API back on " + old.setup().url());
                } catch (IOException again) {
                    error.accept("Cannot reopen the HTTP API on " + old.setup().url() + ": " + again.getMessage());
                }
            } else {
                server = old;
            }
        }
    }

    @Override
    public void close() {
        changes.shutdown();
        try {
            changes.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            if (server != null) {
                server.close();
                server = null;
            }
        }
    }
}
