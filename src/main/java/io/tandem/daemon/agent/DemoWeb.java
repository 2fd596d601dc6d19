package io.tandem.daemon.agent;

import com.sun.net.httpserver.HttpServer;
import io.tandem.daemon.process.ProcessResult;
import io.tandem.resources.ResourceOp.Action;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tandem's built-in {@code DemoWeb::ADDRESS::PORT} resource, for the no-root demo: a tiny web server
 * inside the daemon answering {@code GET /} with the node's name. It needs no root and no
 * installed service; binding ADDRESS:PORT on only one node at a time is what makes it a "floating"
 * service on a loopback address. Start binds, stop closes, status is true exactly while it serves.
 */
public final class DemoWeb {
    private final String node;
    private final Map<String, HttpServer> servers = new ConcurrentHashMap<>();

    public DemoWeb(String node) {
        this.node = node;
    }

    public CompletableFuture<ProcessResult> run(List<String> args, Action action) {
        if (args.size() != 2) {
            return done(BuiltinIpAddr.BAD_ARGUMENT, "ERROR: usage: DemoWeb::address::port");
        }
        String key = args.get(0) + ":" + args.get(1);
        switch (action) {
            case START:
                return start(key, args.get(0), args.get(1));
            case STOP: {
                HttpServer s = servers.remove(key);
                if (s != null) {
                    s.stop(0);
                }
                return done(BuiltinIpAddr.OK, "INFO: DemoWeb " + key + " stopped");
            }
            default:
                return servers.containsKey(key) ? done(BuiltinIpAddr.OK, "INFO: DemoWeb " + key + " is running")
                        : done(BuiltinIpAddr.NOT_RUNNING, "INFO: DemoWeb " + key + " is stopped");
        }
    }

    private CompletableFuture<ProcessResult> start(String key, String address, String port) {
        if (servers.containsKey(key)) {
            return done(BuiltinIpAddr.OK, "INFO: DemoWeb " + key + " is already running");
        }
        try {
            int p = Integer.parseInt(port);
            HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getByName(address), p), 16);
            byte[] page = (node + "\n").getBytes(StandardCharsets.UTF_8);
            s.createContext("/", exchange -> {
                exchange.getResponseHeaders().set("Content-Type", "text/plain");
                exchange.sendResponseHeaders(200, page.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(page);
                }
            });
            s.start();
            servers.put(key, s);
            return done(BuiltinIpAddr.OK, "INFO: DemoWeb serving http://" + key + "/");
        } catch (NumberFormatException e) {
            return done(BuiltinIpAddr.BAD_ARGUMENT, "ERROR: DemoWeb: bad port [" + port + "]");
        } catch (IOException e) {
            return done(BuiltinIpAddr.ERROR, "ERROR: DemoWeb: cannot serve " + key + ": " + e.getMessage());
        }
    }

    private static CompletableFuture<ProcessResult> done(int code, String line) {
        return CompletableFuture.completedFuture(new ProcessResult(code, List.of(line), false, List.of(line)));
    }
}
