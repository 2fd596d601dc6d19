package io.tandem.config;

import java.util.Locale;

/**
 * The HTTP API's settings in {@code tandem.cf} (docs/observability.md): off unless {@code http_listen}
 * is given. Only the values; the daemon reads the token file and the TLS files (and checks their owner
 * and mode) when it starts the listener and in {@code tandem check}.
 *
 * @param host      the address to listen on, an IP literal ({@code 127.0.0.1}, {@code ::1}), or null: off
 * @param port      1..65535
 * @param tokenFile {@code http_token_file}, or null: no token (then only loopback reads are possible)
 * @param tlsCert   {@code http_tls_cert} (PEM certificate chain), or null: cleartext
 * @param tlsKey    {@code http_tls_key} (PEM PKCS#8 RSA or EC key), or null
 * @param peer      {@code http_peer}, {@code http_peer_ca}: the peer whose history is merged ({@link HttpPeerCf#NONE}: none)
 */
public record HttpApiCf(String host, int port, String tokenFile, String tlsCert, String tlsKey, HttpPeerCf peer) {
    public static final HttpApiCf OFF = new HttpApiCf(null, 0, null, null, null);
    public static final int DEFAULT_PORT = 8694;

    /** Without a peer. */
    public HttpApiCf(String host, int port, String tokenFile, String tlsCert, String tlsKey) {
        this(host, port, tokenFile, tlsCert, tlsKey, HttpPeerCf.NONE);
    }

    public HttpApiCf {
        java.util.Objects.requireNonNull(peer, "peer");
    }

    public boolean enabled() {
        return host != null;
    }

    public boolean tls() {
        return tlsCert != null;
    }

    /** Whether {@link #host} is a loopback address (127.0.0.0/8 or ::1), read from its text (no name lookup). */
    public boolean loopback() {
        return host != null && isLoopback(host);
    }

    /** {@code 127.0.0.1:8694} or {@code [::1]:8694}. */
    public String listen() {
        return host == null ? "off" : (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    static boolean isLoopback(String literal) {
        String h = literal.toLowerCase(Locale.ROOT);
        return h.startsWith("127.") || h.equals("::1") || h.matches("(0{1,4}:){7}0{0,3}1") || h.equals("::ffff:127.0.0.1")
                || h.startsWith("::ffff:127.");
    }
}
