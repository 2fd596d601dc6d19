package io.tandem.daemon.http;

import io.tandem.daemon.process.ProcessResult;
import io.tandem.daemon.process.ProcessRunner;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** A self-signed certificate made with openssl for a test (into its temp directory), and a client context that trusts it alone. */
final class SelfSigned {
    final Path cert;
    final Path key;

    private SelfSigned(Path cert, Path key) {
        this.cert = cert;
        this.key = key;
    }

    /** {@code kind}: "ec" (P-256) or "rsa" (2048 bits); the key comes as PKCS#8 (openssl 3's default). */
    static SelfSigned make(Path dir, String kind, String ipAddress) throws Exception {
        Path cert = dir.resolve(kind + "-cert.pem");
        Path key = dir.resolve(kind + "-key.pem");
        List<String> keyArgs = kind.equals("ec") ? List.of("-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256")
                : List.of("-newkey", "rsa:2048");
        List<String> argv = new java.util.ArrayList<>(List.of("openssl", "req", "-x509"));
        argv.addAll(keyArgs);
        argv.addAll(List.of("-nodes", "-keyout", key.toString(), "-out", cert.toString(), "-days", "2", "-subj", "/CN=tandem-api-test",
                "-addext", "subjectAltName=IP:" + ipAddress));
        try (ProcessRunner runner = new ProcessRunner()) {
            ProcessResult r = runner.run(argv, Map.of(), 60_000).get();
            if (!r.succeeded()) {
                throw new IllegalStateException("openssl req failed: " + r.output());
            }
        }
        Files.setPosixFilePermissions(key, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        return new SelfSigned(cert, key);
    }

    /** A client context that trusts this certificate and nothing else. */
    SSLContext trustingIt() throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(cert)) {
            Certificate c = CertificateFactory.getInstance("X.509").generateCertificate(in);
            trust.setCertificateEntry("api", c);
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }
}
