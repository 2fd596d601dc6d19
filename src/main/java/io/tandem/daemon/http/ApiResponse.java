package io.tandem.daemon.http;

import io.tandem.daemon.Json;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** One answer of the API: status code, content type, body, and headers beyond the usual ones. */
record ApiResponse(int status, String contentType, byte[] body, Map<String, String> headers) {
    static final String JSON = "application/json; charset=utf-8";

    static ApiResponse json(int status, String json) {
        return new ApiResponse(status, JSON, json.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    /** {@code {"error":"<short code>","message":"<words>"}}; the message never carries a secret or a stack trace. */
    static ApiResponse error(int status, String code, String message) {
        return json(status, "{\"error\":" + Json.quote(code) + ",\"message\":" + Json.quote(message) + "}\n");
    }

    static ApiResponse unauthorized() {
        return new ApiResponse(401, JSON, ("{\"error\":\"unauthorized\",\"message\":\"this request needs the API token: "
                + "Authorization: Bearer <token>\"}\n").getBytes(StandardCharsets.UTF_8), Map.of("WWW-Authenticate", "Bearer realm=\"tandem\""));
    }

    static ApiResponse notFound() {
        return error(404, "not found", "no such resource");
    }

    ApiResponse with(String header, String value) {
        Map<String, String> h = new java.util.LinkedHashMap<>(headers);
        h.put(header, value);
        return new ApiResponse(status, contentType, body, h);
    }
}
