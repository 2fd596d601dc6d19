package io.tandem.config;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code http_*} lines of {@code tandem.cf} ({@link HttpApiCf}): {@code http_listen ADDRESS:PORT}
 * (an IPv4 address, or an IPv6 address in brackets; no names, which would need a lookup),
 * {@code http_token_file}, {@code http_tls_cert}, {@code http_tls_key} (absolute paths). The rules that
 * need no file: certificate and key come together; a listener beyond loopback needs TLS (the token
 * would cross the network in cleartext) and a token file (else it could answer no request).
 */
final class HttpApiCfParser {
    static final List<String> DIRECTIVES = List.of("http_listen", "http_token_file", "http_tls_cert", "http_tls_key");
    private static final Pattern V4 = Pattern.compile("((?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(?:\\.(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}):(\\d{1,5})");
    private static final Pattern V6 = Pattern.compile("\\[([0-9A-Fa-f:.]{2,45})]:(\\d{1,5})");
    private static final Pattern PATH = Pattern.compile("/[^\\x00-\\x1f\\x7f]{0,4095}");

    private HttpApiCfParser() {
    }

    /** The value of one {@code http_*} directive, checked on its own. */
    static String value(String file, int no, String directive, String v) {
        if (directive.equals("http_listen")) {
            listen(file, no, v);
        } else if (!PATH.matcher(v).matches()) {
            throw new ConfigException(file, no, "Invalid " + directive + " [" + v + "]: an absolute path");
        }
        return v;
    }

    /** The settings from the {@code http_*} values given ({@code values}: directive → value; {@code lines}: directive → line). */
    static HttpApiCf of(String file, Map<String, String> values, Map<String, Integer> lines) {
        String listen = values.get("http_listen");
        String cert = values.get("http_tls_cert");
        String key = values.get("http_tls_key");
        String token = values.get("http_token_file");
        if ((cert == null) != (key == null)) {
            String given = cert == null ? "http_tls_key" : "http_tls_cert";
            throw new ConfigException(file, lines.get(given), given + " needs " + (cert == null ? "http_tls_cert" : "http_tls_key")
                    + " too (a PEM certificate chain and its PKCS#8 private key)");
        }
        if (listen == null) {
            for (String d : List.of("http_listen", "http_token_file", "http_tls_cert", "http_tls_key", "http_peer", "http_peer_ca")) {
                if (values.containsKey(d)) {
                    throw new ConfigException(file, lines.get(d), d + " without http_listen: the HTTP API is off unless http_listen names "
                            + "an address and port (e.g. http_listen 127.0.0.1:" + HttpApiCf.DEFAULT_PORT + ")");
                }
            }
            return HttpApiCf.OFF;
        }
        int no = lines.get("http_listen");
        String[] hp = listen(file, no, listen);
        HttpApiCf cf = new HttpApiCf(hp[0], Integer.parseInt(hp[1]), token, cert, key, HttpPeerCfParser.of(file, values, lines));
        if (!cf.loopback() && !cf.tls()) {
            throw new ConfigException(file, no, "http_listen " + listen + " is not a loopback address and no TLS is configured: "
                    + "the API token would cross the network in cleartext (set http_tls_cert and http_tls_key, or listen on 127.0.0.1)");
        }
        if (!cf.loopback() && token == null) {
            throw new ConfigException(file, no, "http_listen " + listen + " is not a loopback address and no http_token_file is set: "
                    + "beyond loopback every request needs the token");
        }
        return cf;
    }

    /** {host, port} of {@code 192.0.2.1:8694} or {@code [2001:db8::1]:8694}. */
    private static String[] listen(String file, int no, String v) {
        Matcher m4 = V4.matcher(v);
        Matcher m6 = V6.matcher(v);
        String host;
        String port;
        if (m4.matches()) {
            host = m4.group(1);
            port = m4.group(2);
        } else if (m6.matches() && ipv6(m6.group(1))) {
            host = m6.group(1);
            port = m6.group(2);
        } else {
            throw new ConfigException(file, no, "Invalid http_listen [" + v + "]: ADDRESS:PORT with an IPv4 address or an IPv6 address "
                    + "in brackets (127.0.0.1:" + HttpApiCf.DEFAULT_PORT + ", [::1]:" + HttpApiCf.DEFAULT_PORT + ")");
        }
        int p = Integer.parseInt(port);
        if (p < 1 || p > 65535) {
            throw new ConfigException(file, no, "Invalid http_listen [" + v + "]: the port must be 1 to 65535");
        }
        return new String[] {host, Integer.toString(p)};
    }

    /** An IPv6 literal's shape: hex groups of at most 4 digits, at most one {@code ::}, 8 groups without it. */
    private static boolean ipv6(String s) {
        String body = s;
        int extra = 0;
        int dot = s.lastIndexOf(':');
        if (s.indexOf('.') >= 0) { // an embedded IPv4 address at the end counts as two groups
            if (!V4.matcher(s.substring(dot + 1) + ":1").matches()) {
                return false;
            }
            body = s.substring(0, dot + 1) + "0";
            extra = 1;
        }
        int doubles = body.split("::", -1).length - 1;
        if (doubles > 1) {
            return false;
        }
        String[] groups = body.replace("::", ":z:").split(":", -1);
        int count = 0;
        for (String g : groups) {
            if (g.equals("z") || g.isEmpty() && doubles == 1) {
                continue;
            }
            if (!g.matches("[0-9A-Fa-f]{1,4}")) {
                return false;
            }
            count++;
        }
        count += extra;
        return doubles == 1 ? count <= 7 : count == 8;
    }
}
