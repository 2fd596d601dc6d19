package io.tandem.daemon.http;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;

/**
 * Who may use the HTTP API (docs/observability.md): a read-only request without a token only when the
 * listener is on loopback AND the client's address is loopback AND its {@code Host} names the loopback
 * (so a web page elsewhere cannot read it through a DNS name rebound to 127.0.0.1); anything else, and
 * every action, needs {@code Authorization: Bearer <token>}, compared in constant time.
 */
final class AuthGate {
    /** The decision and, for an action, who asked (the event history's operator entry). */
    enum Decision { ALLOW, UNAUTHORIZED }

    private AuthGate() {
    }

    /**
     * @param listenLoopback whether the listener is bound to a loopback address
     * @param client         the client's address
     * @param readOnly       GET/HEAD of a read-only route
     * @param host           the request's Host header (null when missing)
     * @param authorization  the request's Authorization header (null when missing)
     * @param token          the configured token (null: none configured, so only the token-free reads can pass)
     */
    static Decision decide(boolean listenLoopback, InetAddress client, boolean readOnly, String host, String authorization, byte[] token) {
        if (readOnly && listenLoopback && client.isLoopbackAddress() && loopbackHost(host)) {
            return Decision.ALLOW;
        }
        return bearerMatches(authorization, token) ? Decision.ALLOW : Decision.UNAUTHORIZED;
    }

    /** {@code Bearer <token>} with the configured token; constant time in the token's bytes. */
    static boolean bearerMatches(String authorization, byte[] token) {
        if (authorization == null || token == null || token.length == 0) {
            return false;
        }
        String a = authorization.strip();
        if (a.length() < 7 || !a.substring(0, 7).equalsIgnoreCase("Bearer ")) {
            return false;
        }
        byte[] given = a.substring(7).strip().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(given, token); // length-independent apart from the length itself
    }

    /** {@code localhost}, {@code 127.x.y.z} or {@code [::1]}, with or without a port. */
    static boolean loopbackHost(String host) {
        if (host == null) {
            return false;
        }
        String h = host.strip().toLowerCase(Locale.ROOT);
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            return end > 0 && h.substring(1, end).equals("::1") && (end == h.length() - 1 || h.substring(end + 1).matches(":\\d{1,5}"));
        }
        int colon = h.indexOf(':');
        String name = colon < 0 ? h : h.substring(0, colon);
        if (colon >= 0 && !h.substring(colon + 1).matches("\\d{1,5}")) {
            return false;
        }
        return name.equals("localhost") || name.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
    }
}
