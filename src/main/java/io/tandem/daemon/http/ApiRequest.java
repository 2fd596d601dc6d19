package io.tandem.daemon.http;

import java.net.InetAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One request as the routes see it: method, path, the parameters of the query string and of a
 * form-encoded body (the body's win), and the client's address. Bounded by {@link ApiHandler}.
 */
record ApiRequest(String method, String path, Map<String, String> params, InetAddress client) {
    /** At most this many parameters; more is a bad request. */
    static final int MAX_PARAMS = 16;

    Optional<String> param(String name) {
        return Optional.ofNullable(params.get(name));
    }

    /**
     * {@code a=1&b=x%20y} into {@code out}; a repeated name keeps its last value.
     *
     * @throws IllegalArgumentException with words for the client when it is not well formed or has too many parameters
     */
    static void parse(String encoded, Map<String, String> out) {
        if (encoded == null || encoded.isEmpty()) {
            return;
        }
        for (String pair : encoded.split("&", -1)) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            out.put(name, value);
            if (out.size() > MAX_PARAMS) {
                throw new IllegalArgumentException("more than " + MAX_PARAMS + " parameters");
            }
        }
    }

    static Map<String, String> params(String query, String body) {
        Map<String, String> out = new LinkedHashMap<>();
        parse(query, out);
        parse(body, out);
        return out;
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("a parameter is not well formed (bad %-escape)");
        }
    }
}
