package io.tandem.config;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code http_peer NODE URL} and {@code http_peer_ca FILE} ({@link HttpPeerCf}). The URL is
 * {@code http://ADDRESS:PORT} or {@code https://ADDRESS:PORT} (an IPv4 address or an IPv6 address in
 * brackets, an optional {@code /} at the end): {@code http} only to a loopback address, because the call
 * carries the token. Whether NODE is a node of ha.cf (and not this one) is checked with ha.cf
 * ({@link Checks}).
 */
final class HttpPeerCfParser {
    private static final Pattern URL = Pattern.compile("(https?)://(\\d{1,3}(?:\\.\\d{1,3}){3}|\\[[0-9A-Fa-f:.]{2,45}])(?::(\\d{1,5}))?/?");
    private static final Pattern NODE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,62}");

    private HttpPeerCfParser() {
    }

    static String node(String file, int no, String v) {
        if (!NODE.matcher(v).matches()) {
            throw new ConfigException(file, no, "Invalid http_peer node [" + v + "]: a node name of ha.cf");
        }
        return v;
    }

    /** {scheme, host, port} of a peer's URL, checked on its own. */
    static String[] url(String file, int no, String v) {
        Matcher m = URL.matcher(v);
        String shape = ": http(s)://ADDRESS:PORT with an IPv4 address or an IPv6 address in brackets (https://192.0.2.2:"
                + HttpApiCf.DEFAULT_PORT + ")";
        if (!m.matches()) {
            throw new ConfigException(file, no, "Invalid http_peer URL [" + v + "]" + shape);
        }
        String host = m.group(2).startsWith("[") ? m.group(2).substring(1, m.group(2).length() - 1) : m.group(2);
        int port = m.group(3) == null ? HttpApiCf.DEFAULT_PORT : Integer.parseInt(m.group(3));
        boolean v4 = !m.group(2).startsWith("[");
        if (v4 && !java.util.Arrays.stream(host.split("\\.")).allMatch(o -> Integer.parseInt(o) <= 255) || port < 1 || port > 65535
                || !v4 && !host.contains(":")) {
            throw new ConfigException(file, no, "Invalid http_peer URL [" + v + "]" + shape);
        }
        if (m.group(1).equals("http") && !HttpApiCf.isLoopback(host)) {
            throw new ConfigException(file, no, "http_peer " + v + ": plain http only to a loopback address (the call carries the API token); "
                    + "use https");
        }
        return new String[] {m.group(1), host, Integer.toString(port)};
    }

    /** The peer from the values given ({@code http_peer}: "NODE URL"), or none. */
    static HttpPeerCf of(String file, Map<String, String> values, Map<String, Integer> lines) {
        String peer = values.get("http_peer");
        String ca = values.get("http_peer_ca");
        if (peer == null) {
            if (ca != null) {
                throw new ConfigException(file, lines.get("http_peer_ca"), "http_peer_ca without http_peer: it names the CA of the peer's API");
            }
            return HttpPeerCf.NONE;
        }
        int no = lines.get("http_peer");
        String[] w = peer.split(" ");
        String[] u = url(file, no, w[1]);
        boolean tls = u[0].equals("https");
        if (!tls && ca != null) {
            throw new ConfigException(file, lines.get("http_peer_ca"), "http_peer_ca with an http:// peer: only https checks a certificate");
        }
        if (tls && values.get("http_token_file") == null) {
            throw new ConfigException(file, no, "http_peer " + peer + " is not on loopback and no http_token_file is set: the peer's API "
                    + "answers reads beyond loopback only with the token (both nodes share one token file, like authkeys)");
        }
        return new HttpPeerCf(w[0], tls, u[1], Integer.parseInt(u[2]), ca);
    }

    /** With ha.cf: the peer must be a node of it other than this one. */
    static void check(HaCf cf, TandemCf tandem, String local, java.util.List<Finding> out) {
        HttpPeerCf peer = tandem.http().peer();
        if (!peer.enabled()) {
            return;
        }
        String file = tandem.fileOr(TandemCf.FILE);
        if (peer.node().equalsIgnoreCase(local)) {
            out.add(new Finding(Finding.Level.ERROR, file, tandem.lineOf("http_peer"), "http_peer " + peer.node()
                    + " is this node: name the other node of ha.cf"));
        } else if (!cf.hasNode(peer.node().toLowerCase(java.util.Locale.ROOT))) {
            out.add(new Finding(Finding.Level.ERROR, file, tandem.lineOf("http_peer"), "http_peer " + peer.node()
                    + " is not a node of " + cf.source().file() + " (its 'node' lines)"));
        }
    }
}
