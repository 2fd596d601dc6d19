package io.tandem.config;

/**
 * {@code http_peer NODE URL} and {@code http_peer_ca FILE} in {@code tandem.cf} (docs/observability.md):
 * the peer whose HTTP API {@code tandem events} and {@code tandem why} read to merge its history into
 * this node's. Its URL names an address (no name lookup): {@code http} only to a loopback address,
 * otherwise {@code https}; the call carries this node's own token ({@code http_token_file}, shared by
 * both nodes like authkeys).
 *
 * @param node   the peer's node name (a node of ha.cf other than this one), or null: no peer
 * @param tls    https (else http, loopback only)
 * @param host   an IP literal (IPv6 without brackets)
 * @param port   1..65535
 * @param caFile {@code http_peer_ca}: a PEM CA or certificate the peer's certificate must chain to, or null: the JDK's trust store
 */
public record HttpPeerCf(String node, boolean tls, String host, int port, String caFile) {
    public static final HttpPeerCf NONE = new HttpPeerCf(null, false, null, 0, null);

    public boolean enabled() {
        return node != null;
    }

    /** {@code https://192.0.2.2:8694}, {@code http://[::1]:8694}. */
    public String url() {
        return node == null ? "none" : (tls ? "https://" : "http://") + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
