package io.tandem.daemon.http;

import io.tandem.config.Finding;
import io.tandem.config.HttpApiCf;
import io.tandem.config.TandemCf;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.List;
import javax.net.ssl.SSLContext;

/**
 * The HTTP API as it will run: tandem.cf's {@code http_*} values with the token and the TLS identity
 * read from their files. The daemon makes one at start and at each reload; {@code tandem check}
 * reports what would stop it ({@link #findings}).
 *
 * @param address  where to listen
 * @param loopback whether that is a loopback address (token-free reads are possible only then)
 * @param token    the token, or null when none is configured (then every action is refused)
 * @param tls      the TLS identity, or null for cleartext (loopback only)
 * @param cf       the settings it was made of (a reload compares them)
 */
public record ApiSetup(InetSocketAddress address, boolean loopback, byte[] token, SSLContext tls, HttpApiCf cf) {

    /** The API as {@code tandem} configures it; an {@link ApiSetupException} names the file and line at fault. */
    public static ApiSetup of(TandemCf tandem) throws ApiSetupException {
        HttpApiCf cf = tandem.http();
        if (!cf.enabled()) {
            throw new IllegalArgumentException("the HTTP API is off");
        }
        String where = tandem.fileOr(TandemCf.FILE);
        try {
            InetAddress host = InetAddress.getByName(cf.host()); // an IP literal (HttpApiCfParser): no lookup
            byte[] token = cf.tokenFile() == null ? null : TokenFile.read(Path.of(cf.tokenFile()));
            SSLContext tls = cf.tls() ? PemTls.context(Path.of(cf.tlsCert()), Path.of(cf.tlsKey())) : null;
            if (!host.isLoopbackAddress() && tls == null) { // the parser refuses it too; kept here as the last word
                throw new ApiSetupException("http_listen " + cf.listen() + " is not loopback and has no TLS");
            }
            return new ApiSetup(new InetSocketAddress(host, cf.port()), host.isLoopbackAddress(), token, tls, cf);
        } catch (UnknownHostException e) {
            throw new ApiSetupException(where + ":" + tandem.lineOf("http_listen") + ": http_listen " + cf.listen() + ": not an address");
        } catch (ApiSetupException e) {
            throw new ApiSetupException(where + ":" + lineOf(tandem, e.getMessage()) + ": " + e.getMessage());
        }
    }

    /** What {@code tandem check} says of the API: nothing when it is off or would start, else the error. */
    public static List<Finding> findings(TandemCf tandem) {
        if (!tandem.http().enabled()) {
            return List.of();
        }
        String where = tandem.fileOr(TandemCf.FILE);
        String ca = tandem.http().peer().caFile();
        List<Finding> peer = List.of();
        if (ca != null) { // only the merged view of tandem why needs it: a warning, the node starts
            try {
                PemTls.trusting(Path.of(ca));
            } catch (ApiSetupException e) {
                peer = List.of(Finding.ofHost(Finding.Level.WARN, where, tandem.lineOf("http_peer_ca"), "http_peer_ca: " + e.getMessage()
                        + " (tandem why and events show this node's view only)"));
            }
        }
        try {
            of(tandem);
            return peer;
        } catch (ApiSetupException e) {
            String text = e.getMessage().startsWith(where + ":") ? e.getMessage().substring(e.getMessage().indexOf(": ") + 2) : e.getMessage();
            List<Finding> out = new java.util.ArrayList<>(peer);
            out.add(0, Finding.ofHost(Finding.Level.ERROR, where, lineOf(tandem, text), "HTTP API: " + text));
            return out;
        }
    }

    /** The line of the directive whose file the message is about. */
    private static int lineOf(TandemCf tandem, String message) {
        HttpApiCf cf = tandem.http();
        if (cf.tokenFile() != null && message.startsWith(cf.tokenFile() + ":")) {
            return tandem.lineOf("http_token_file");
        }
        if (cf.tlsKey() != null && message.startsWith(cf.tlsKey() + ":")) {
            return tandem.lineOf("http_tls_key");
        }
        if (cf.tlsCert() != null && message.startsWith(cf.tlsCert())) {
            return tandem.lineOf("http_tls_cert");
        }
        return tandem.lineOf("http_listen");
    }

    /** {@code https://127.0.0.1:8694} and the like, for the log. */
    public String url() {
        return (tls == null ? "http://" : "https://") + cf.listen();
    }
}
