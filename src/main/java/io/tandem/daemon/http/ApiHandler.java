package io.tandem.daemon.http;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The one handler of the listener: bounds the request (URI, headers, body), finds its route,
 * applies {@link AuthGate}, answers; every API answer carries {@code Cache-Control: no-store}.
 */
final class ApiHandler implements HttpHandler {
    static final int MAX_URI = 2048;
    static final int MAX_HEADER_BYTES = 8192;
    static final int MAX_BODY = 4096;
    /** The most of an unread body read away before an answer that closes the connection. */
    static final int MAX_DRAIN = 64 * 1024;

    private final ApiRoutes routes;
    private final EventStream stream;
    private final Supplier<ApiSetup> setup;

    /** @param setup the settings now (the token may change with a reload) */
    ApiHandler(ApiRoutes routes, EventStream stream, Supplier<ApiSetup> setup) {
        this.routes = routes;
        this.stream = stream;
        this.setup = setup;
    }

    @Override
    public void handle(HttpExchange ex) throws IOException {
        try {
            ApiResponse response = answer(ex);
            if (response != null) {
                drain(ex);
                send(ex, response);
            }
        } catch (IOException | RuntimeException e) {
            ex.close(); // the client left, or it sent what cannot be answered
        }
    }

    /** The answer, or null when the exchange became an event stream. */
    private ApiResponse answer(HttpExchange ex) throws IOException {
        String raw = ex.getRequestURI().getRawPath();
        String query = ex.getRequestURI().getRawQuery();
        if (raw == null || raw.length() + (query == null ? 0 : query.length()) > MAX_URI) {
            return ApiResponse.error(414, "uri too long", "at most " + MAX_URI + " characters");
        }
        if (headerBytes(ex.getRequestHeaders()) > MAX_HEADER_BYTES) {
            return ApiResponse.error(431, "headers too large", "at most " + MAX_HEADER_BYTES + " bytes of headers");
        }
        String path = ex.getRequestURI().getPath();
        String method = ex.getRequestMethod();
        Optional<ApiRoutes.Route> route = routes.find(method.equals("HEAD") ? "GET" : method, path);
        if (route.isEmpty()) {
            return routes.knows(path) ? ApiResponse.error(405, "method not allowed", "use " + routes.allowed(path))
                    .with("Allow", routes.allowed(path)) : ApiResponse.notFound();
        }
        ApiSetup now = setup.get();
        InetAddress client = ex.getRemoteAddress().getAddress();
        boolean readOnly = route.get().readOnly();
        if (!ApiRoutes.isPage(route.get()) && AuthGate.decide(now.loopback(), client, readOnly, ex.getRequestHeaders().getFirst("Host"),
                ex.getRequestHeaders().getFirst("Authorization"), now.token()) != AuthGate.Decision.ALLOW) {
            return ApiResponse.unauthorized();
        }
        String body = readBody(ex);
        if (body == null) {
            return ApiResponse.error(413, "request too large", "a request body is at most " + MAX_BODY + " bytes");
        }
        Map<String, String> params;
        try {
            params = ApiRequest.params(query, body);
        } catch (IllegalArgumentException e) {
            return ApiResponse.error(400, "bad request", e.getMessage());
        }
        if (route.get().stream() && method.equals("HEAD")) {
            return new ApiResponse(200, "text/event-stream; charset=utf-8", new byte[0], java.util.Map.of());
        }
        if (route.get().stream()) {
            return stream.open(ex) ? null : ApiResponse.error(503, "too many streams", "at most " + EventStream.MAX_CLIENTS + " event streams at once");
        }
        String who = "http token from " + client.getHostAddress();
        return route.get().answer().answer(new ApiRequest(method, path, params, client), who);
    }

    private static int headerBytes(Headers h) {
        int n = 0;
        for (Map.Entry<String, List<String>> e : h.entrySet()) {
            for (String v : e.getValue()) {
                n += e.getKey().length() + v.length() + 4;
            }
        }
        return n;
    }

    /** The request's Content-Length: -1 when it has none, {@link Long#MAX_VALUE} when it is not 1 to 9 digits. */
    private static long declaredLength(HttpExchange ex) {
        String length = ex.getRequestHeaders().getFirst("Content-Length");
        if (length == null) {
            return -1;
        }
        return length.strip().matches("\\d{1,9}") ? Long.parseLong(length.strip()) : Long.MAX_VALUE;
    }

    /** The body as text (a form), or null when it is longer than {@link #MAX_BODY}. */
    private static String readBody(HttpExchange ex) throws IOException {
        long length = declaredLength(ex);
        if (length > MAX_BODY) {
            return null;
        }
        try (InputStream in = ex.getRequestBody()) {
            byte[] b = in.readNBytes(MAX_BODY + 1);
            if (b.length > MAX_BODY) {
                return null;
            }
            String type = ex.getRequestHeaders().getFirst("Content-Type");
            if (b.length > 0 && type != null && !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
                return ""; // only a form body carries parameters
            }
            return new String(b, StandardCharsets.UTF_8);
        }
    }

    /**
     * Reads away what is left of a request body of a known, short length (at most {@link #MAX_DRAIN}
     * bytes, within the server's 20 s request time). An answer that was given without reading the body
     * (a 401, a 404, a 413) closes the connection, and a socket closed with unread bytes is reset: the
     * reset can discard the answer's last segment before the client has it.
     */
    private static void drain(HttpExchange ex) {
        long length = declaredLength(ex);
        if (length < 0 || length > MAX_DRAIN) {
            return; // no body, or one too long to wait for: the connection may be reset
        }
        try {
            InputStream in = ex.getRequestBody();
            byte[] sink = new byte[8192];
            int total = 0;
            for (int n; total <= MAX_DRAIN && (n = in.read(sink)) > 0; ) {
                total += n;
            }
        } catch (IOException e) {
            // read and closed already, or the client left
        }
    }

    private static void send(HttpExchange ex, ApiResponse r) throws IOException {
        Headers h = ex.getResponseHeaders();
        h.set("Content-Type", r.contentType());
        h.set("X-Content-Type-Options", "nosniff");
        h.set("Cache-Control", "no-store");
        r.headers().forEach(h::set);
        if (r.status() >= 400) {
            h.set("Connection", "close"); // a body may be left unread: this connection takes no further request
        }
        boolean head = ex.getRequestMethod().equals("HEAD");
        ex.sendResponseHeaders(r.status(), head ? -1 : r.body().length == 0 ? -1 : r.body().length);
        if (!head && r.body().length > 0) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(r.body());
            }
        }
        ex.close();
    }
}
