package io.tandem.daemon.http;

import io.tandem.daemon.Json;
import io.tandem.daemon.control.ControlReply;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The API's endpoints as control-socket requests: each builds the words {@code tandem} would send
 * ({@code status --json}, {@code events --json --since 10m}, {@code why G --json}, {@code hb_standby
 * local}, {@code cleanup G}), passes them down the {@link ControlPath}, and turns the reply into HTTP
 * (exit 0: 200; 2, a usage error: 400; 3, the daemon is stopping: 503; 1: 409, or 404 for {@code why}).
 */
final class ApiCalls {
    /** How long an HTTP thread waits for the daemon's answer. */
    static final long ANSWER_LIMIT_S = 10;
    private static final Set<String> SETS = Set.of("all", "local", "foreign", "failback");

    private final ControlPath control;

    ApiCalls(ControlPath control) {
        this.control = control;
    }

    ApiResponse status(ApiRequest r) {
        return query(List.of("status", "--json"), false);
    }

    ApiResponse events(ApiRequest r) {
        List<String> words = new ArrayList<>(List.of("events", "--json"));
        r.param("since").ifPresent(s -> words.addAll(List.of("--since", s)));
        words.add("--local"); // this node's own view: a peer that reads it merges, and two peers never call each other in a loop
        return query(words, false);
    }

    ApiResponse why(ApiRequest r) {
        List<String> words = new ArrayList<>(List.of("why"));
        String group = r.param("group").orElse("");
        if (group.startsWith("-")) {
            return ApiResponse.error(400, "bad request", "group: not a group name");
        }
        if (!group.isEmpty()) {
            words.add(group);
        }
        words.add("--json");
        words.add("--local");
        return query(words, true);
    }

    /** {@code metrics}: Prometheus' text format, from the loop's last published snapshot (never waits for the loop). */
    ApiResponse metrics(ApiRequest r) {
        ControlReply reply = ask("", List.of("metrics"));
        if (reply.exitCode() == 0) {
            return new ApiResponse(200, io.tandem.daemon.metrics.MetricsBoard.CONTENT_TYPE,
                    reply.out().getBytes(java.nio.charset.StandardCharsets.UTF_8), java.util.Map.of());
        }
        return failure(reply, statusOf(reply.exitCode()));
    }

    /** {@code standby} or {@code takeover} with {@code what=all|local|foreign} (heartbeat's {@code failback} = foreign). */
    ApiResponse resourceSet(String verb, ApiRequest r, String who) {
        String what = r.param("what").orElse("all");
        if (!SETS.contains(what)) {
            return ApiResponse.error(400, "bad request", "what: all, local or foreign");
        }
        return action(who, List.of("hb_" + verb, what));
    }

    ApiResponse cleanup(ApiRequest r, String who) {
        var group = r.param("group");
        var resource = r.param("resource");
        if (group.isPresent() == resource.isPresent() || group.orElse(resource.orElse("")).isEmpty()) {
            return ApiResponse.error(400, "bad request", "name one group (group=) or one resource (resource=)");
        }
        return action(who, List.of("cleanup", group.orElse(resource.orElse(""))));
    }

    private ApiResponse query(List<String> words, boolean missingIs404) {
        ControlReply reply = ask("", words);
        if (reply.exitCode() == 0) {
            return ApiResponse.json(200, reply.out());
        }
        return failure(reply, missingIs404 && reply.exitCode() == 1 ? 404 : statusOf(reply.exitCode()));
    }

    private ApiResponse action(String who, List<String> words) {
        ControlReply reply = ask(who, words);
        String message = (reply.out() + reply.err()).strip();
        if (reply.exitCode() != 0) {
            return failure(reply, statusOf(reply.exitCode()));
        }
        return ApiResponse.json(200, "{\"ok\":true,\"message\":" + Json.quote(message) + "}\n");
    }

    private static ApiResponse failure(ControlReply reply, int status) {
        String code = switch (status) {
            case 400 -> "bad request";
            case 404 -> "not found";
            case 409 -> "refused";
            case 503 -> "unavailable";
            default -> "failed";
        };
        return ApiResponse.error(status, code, (reply.err() + reply.out()).strip());
    }

    private static int statusOf(int exitCode) {
        return switch (exitCode) {
            case 1 -> 409;
            case 2 -> 400;
            case 3 -> 503;
            default -> 500;
        };
    }

    private ControlReply ask(String who, List<String> words) {
        try {
            return control.handle(who, words).get(ANSWER_LIMIT_S, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            return ControlReply.fail(3, "no answer from the daemon within " + ANSWER_LIMIT_S + " s");
        } catch (ExecutionException e) {
            return ControlReply.fail(13, "request failed");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ControlReply.fail(3, "interrupted");
        }
    }
}
