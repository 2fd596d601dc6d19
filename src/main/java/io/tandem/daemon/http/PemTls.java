package io.tandem.daemon.http;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * The API's TLS identity from two PEM files ({@code http_tls_cert}: the certificate chain, the server's
 * own first; {@code http_tls_key}: its private key, unencrypted PKCS#8, RSA or EC), loaded into a
 * KeyStore that lives in memory only.
 */
final class PemTls {
    /** A PEM file is small; anything bigger is not one. */
    static final int MAX_FILE = 256 * 1024;
    private static final Pattern KEY = Pattern.compile("-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END PRIVATE KEY-----");

    private PemTls() {
    }

    static SSLContext context(Path certFile, Path keyFile) throws ApiSetupException {
        List<? extends Certificate> chain = certificates(certFile);
        PrivateKey key = key(keyFile);
        if (!chain.get(0).getPublicKey().getAlgorithm().equals(key.getAlgorithm())) {
            throw new ApiSetupException(keyFile + ": this " + key.getAlgorithm() + " key does not belong to the first certificate of "
                    + certFile + " (" + chain.get(0).getPublicKey().getAlgorithm() + ")");
        }
        try {
            char[] pass = new char[24];
            SecureRandom r = new SecureRandom();
            for (int i = 0; i < pass.length; i++) {
                pass[i] = (char) ('a' + r.nextInt(26));
            }
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("tandem-api", key, pass, chain.toArray(new Certificate[0]));
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, pass);
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(kmf.getKeyManagers(), null, null);
            return tls;
        } catch (GeneralSecurityException | IOException e) {
            throw new ApiSetupException(certFile + ", " + keyFile + ": cannot make a TLS identity of them (" + e.getMessage() + ")");
        }
    }

    /** A client's TLS context trusting only the certificates of {@code caFile} (a PEM CA, or the peer's own certificate). */
    static SSLContext trusting(Path caFile) throws ApiSetupException {
        List<? extends Certificate> cas = certificates(caFile);
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            for (int i = 0; i < cas.size(); i++) {
                ks.setCertificateEntry("peer-ca-" + i, cas.get(i));
            }
            javax.net.ssl.TrustManagerFactory tmf = javax.net.ssl.TrustManagerFactory.getInstance(
                    javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(null, tmf.getTrustManagers(), null);
            return tls;
        } catch (GeneralSecurityException | IOException e) {
            throw new ApiSetupException(caFile + ": cannot trust its certificates (" + e.getMessage() + ")");
        }
    }

    private static List<? extends Certificate> certificates(Path file) throws ApiSetupException {
        byte[] pem = read(file, "certificate");
        try {
            List<? extends Certificate> chain = List.copyOf(CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(pem)));
            if (chain.isEmpty()) {
                throw new ApiSetupException(file + ": no PEM certificate (-----BEGIN CERTIFICATE-----) in it");
            }
            return chain;
        } catch (java.security.cert.CertificateException e) {
            throw new ApiSetupException(file + ": not a PEM certificate chain (" + e.getMessage() + ")");
        }
    }

    private static PrivateKey key(Path file) throws ApiSetupException {
        try {
            if (Files.getPosixFilePermissions(file).contains(java.nio.file.attribute.PosixFilePermission.OTHERS_READ)) {
                throw new ApiSetupException(file + ": the HTTP API's TLS key must not be readable by others (chmod 600 " + file + ")");
            }
        } catch (IOException | UnsupportedOperationException e) {
            // read below, which says what is wrong with it
        }
        String text = new String(read(file, "private key"), StandardCharsets.US_ASCII);
        Matcher m = KEY.matcher(text);
        if (!m.find()) {
            String hint = text.contains("ENCRYPTED PRIVATE KEY") ? "it is encrypted; "
                    : text.contains("RSA PRIVATE KEY") || text.contains("EC PRIVATE KEY") ? "it is in the older PKCS#1/SEC1 form; " : "";
            throw new ApiSetupException(file + ": no unencrypted PKCS#8 private key (-----BEGIN PRIVATE KEY-----) in it; " + hint
                    + "convert it with: openssl pkcs8 -topk8 -nocrypt -in OLD -out " + file);
        }
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(m.group(1));
        } catch (IllegalArgumentException e) {
            throw new ApiSetupException(file + ": the private key's base64 is damaged");
        }
        for (String algorithm : List.of("RSA", "EC")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                // try the next one
            }
        }
        throw new ApiSetupException(file + ": the private key is neither an RSA nor an EC PKCS#8 key");
    }

    private static byte[] read(Path file, String what) throws ApiSetupException {
        try {
            if (Files.size(file) > MAX_FILE) {
                throw new ApiSetupException(file + ": too big for a PEM " + what + " (more than " + MAX_FILE + " bytes)");
            }
            return Files.readAllBytes(file);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new ApiSetupException(file + ": the HTTP API's TLS " + what + " file does not exist");
        } catch (IOException e) {
            throw new ApiSetupException(file + ": cannot read the HTTP API's TLS " + what + " (" + e.getMessage() + ")");
        }
    }
}
