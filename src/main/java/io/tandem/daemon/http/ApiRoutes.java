package io.tandem.daemon.http;

import java.util.List;
import java.util.Optional;

/**
 * Every route the API serves: its method, its path (a {@code {file}} part matches one name of the
 * dashboard), whether it only reads (token-free on loopback, see {@link AuthGate}), and what answers
 * it. docs/openapi.yaml describes exactly these (ApiRoutesOpenApiTest checks both ways).
 */
final class ApiRoutes {
    /** What answers a route: the request and who asked (for actions: {@code http token from ADDRESS}). */
    @FunctionalInterface
    interface Answer {
        ApiResponse answer(ApiRequest request, String who);
    }

    /** One route; {@code stream} routes take the connection over (Server-Sent Events) and have no {@link Answer}. */
    record Route(String method, String path, boolean readOnly, boolean stream, Answer answer) {
        boolean matches(String p) {
            if (path.endsWith("{file}")) {
                String prefix = path.substring(0, path.length() - "{file}".length());
                return p.startsWith(prefix) && p.length() > prefix.length();
            }
            return path.equals(p);
        }
    }

    static final String STREAM = "/api/v1/events/stream";

    private final List<Route> routes;

    ApiRoutes(ApiCalls calls, DashboardFiles files) {
        routes = List.of(
                new Route("GET", "/api/v1/status", true, false, (r, who) -> calls.status(r)),
                new Route("GET", "/api/v1/events", true, false, (r, who) -> calls.events(r)),
                new Route("GET", "/api/v1/why", true, false, (r, who) -> calls.why(r)),
                new Route("GET", STREAM, true, true, null),
                new Route("GET", "/metrics", true, false, (r, who) -> calls.metrics(r)),
                new Route("POST", "/api/v1/standby", false, false, (r, who) -> calls.resourceSet("standby", r, who)),
                new Route("POST", "/api/v1/takeover", false, false, (r, who) -> calls.resourceSet("takeover", r, who)),
                new Route("POST", "/api/v1/cleanup", false, false, (r, who) -> calls.cleanup(r, who)),
                new Route("GET", "/", true, false, (r, who) -> files.file("index.html")),
                new Route("GET", "/ui/{file}", true, false, (r, who) -> files.file(r.path().substring("/ui/".length()))));
    }

    /**
     * The dashboard's own files ({@code /}, {@code /ui/...}): served without a token wherever the API
     * listens (beyond loopback it is HTTPS anyway), because a browser cannot send a header when it
     * opens a page; they hold no cluster data, and the page asks for the token before it reads any.
     */
    static boolean isPage(Route r) {
        return r.method().equals("GET") && (r.path().equals("/") || r.path().startsWith("/ui/"));
    }

    List<Route> all() {
        return routes;
    }

    /** The route of this path and method, if any. */
    Optional<Route> find(String method, String path) {
        return routes.stream().filter(r -> r.method().equals(method) && r.matches(path)).findFirst();
    }

    /** Whether some method serves this path (else 404, not 405). */
    boolean knows(String path) {
        return routes.stream().anyMatch(r -> r.matches(path));
    }

    /** The methods of this path, for a 405's {@code Allow}. */
    String allowed(String path) {
        return String.join(", ", routes.stream().filter(r -> r.matches(path)).map(Route::method).distinct().toList());
    }
}
