package io.tandem.daemon.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tandem.config.TandemCf;
import io.tandem.config.TandemCfParser;
import io.tandem.daemon.control.ControlReply;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTPS with a self-signed certificate made by openssl in the test (EC and RSA keys, PKCS#8 PEM): a
 * client that trusts exactly that certificate gets the status; one that trusts only the system's CAs
 * cannot connect; keys in other forms, a key of another certificate and broken files are refused
 * naming the file and its tandem.cf line.
 */
class ApiTlsTest {
    private static final String TOKEN = "tls-test-token-0123456789";

    @TempDir
    Path dir;

    private TandemCf config(SelfSigned s, int port) throws Exception {
        Path token = dir.resolve("token");
        if (!Files.exists(token)) {
            Files.createFile(token, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(token, TOKEN + "\n");
        }
        return TandemCfParser.parse("/etc/ha.d/tandem.cf", "http_listen 127.0.0.1:" + port + "\nhttp_token_file " + token
                + "\nhttp_tls_cert " + s.cert + "\nhttp_tls_key " + s.key + "\n");
    }

    @Test
    void https_with_an_ec_and_an_rsa_key_and_a_client_that_trusts_the_certificate() throws Exception {
        for (String kind : new String[] {"ec", "rsa"}) {
            SelfSigned s = SelfSigned.make(dir, kind, "127.0.0.1");
            int port;
            try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
                port = free.getLocalPort();
            }
            ApiSetup setup = ApiSetup.of(config(s, port));
            assertThat(setup.url()).isEqualTo("https://127.0.0.1:" + port);
            try (ApiServer server = new ApiServer(setup, (who, words) -> CompletableFuture.completedFuture(ControlReply.ok("{\"tls\":true}\n")))) {
                HttpClient trusting = HttpClient.newBuilder().sslContext(s.trustingIt()).build();
                HttpResponse<String> r = trusting.send(HttpRequest.newBuilder(URI.create(setup.url() + "/api/v1/status"))
                        .header("Authorization", "Bearer " + TOKEN).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).as(kind).isEqualTo(200);
                assertThat(r.body()).isEqualTo("{\"tls\":true}\n");
                HttpResponse<String> none = trusting.send(HttpRequest.newBuilder(URI.create(setup.url() + "/api/v1/standby"))
                        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(none.statusCode()).isEqualTo(401);
                HttpClient system = HttpClient.newHttpClient();
                assertThatThrownBy(() -> system.send(HttpRequest.newBuilder(URI.create(setup.url() + "/api/v1/status")).build(),
                        HttpResponse.BodyHandlers.ofString())).isInstanceOf(SSLHandshakeException.class);
            }
        }
    }

    @Test
    void wrong_key_files_are_refused_naming_file_and_line() throws Exception {
        SelfSigned ec = SelfSigned.make(dir, "ec", "127.0.0.1");
        SelfSigned rsa = SelfSigned.make(dir, "rsa", "127.0.0.1");
        Path mixed = dir.resolve("mixed.pem");
        Files.writeString(mixed, "");
        assertThatThrownBy(() -> ApiSetup.of(TandemCfParser.parse("/etc/ha.d/tandem.cf", "http_listen 127.0.0.1:1\nhttp_tls_cert " + ec.cert
                + "\nhttp_tls_key " + rsa.key + "\n"))).hasMessageContaining("/etc/ha.d/tandem.cf:3: " + rsa.key + ": this RSA key does not belong");
        Path pkcs1 = dir.resolve("pkcs1.pem");
        Files.writeString(pkcs1, "-----BEGIN RSA PRIVATE KEY-----\nMIIB\n-----END RSA PRIVATE KEY-----\n");
        Files.setPosixFilePermissions(pkcs1, PosixFilePermissions.fromString("rw-------"));
        assertThatThrownBy(() -> ApiSetup.of(TandemCfParser.parse("/etc/ha.d/tandem.cf", "http_listen 127.0.0.1:1\nhttp_tls_cert " + rsa.cert
                + "\nhttp_tls_key " + pkcs1 + "\n"))).hasMessageContaining(pkcs1 + ": no unencrypted PKCS#8 private key")
                .hasMessageContaining("openssl pkcs8 -topk8 -nocrypt");
        Files.setPosixFilePermissions(rsa.key, PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> ApiSetup.of(TandemCfParser.parse("/etc/ha.d/tandem.cf", "http_listen 127.0.0.1:1\nhttp_tls_cert " + rsa.cert
                + "\nhttp_tls_key " + rsa.key + "\n"))).hasMessageContaining(rsa.key + ": the HTTP API's TLS key must not be readable by others");
        Files.setPosixFilePermissions(rsa.key, PosixFilePermissions.fromString("rw-r-----"));
        Path junk = dir.resolve("junk.pem");
        Files.writeString(junk, "not a certificate\n");
        TandemCf bad = TandemCfParser.parse("/etc/ha.d/tandem.cf", "http_listen 127.0.0.1:1\nhttp_tls_cert " + junk + "\nhttp_tls_key " + rsa.key + "\n");
        assertThatThrownBy(() -> ApiSetup.of(bad)).hasMessageStartingWith("/etc/ha.d/tandem.cf:2: " + junk + ": ");
        assertThat(ApiSetup.findings(bad)).singleElement().satisfies(f -> {
            assertThat(f.isError()).isTrue();
            assertThat(f.line()).isEqualTo(2);
            assertThat(f.text()).startsWith("HTTP API: " + junk + ": ");
        });
        TandemCf missing = TandemCfParser.parse("/etc/ha.d/tandem.cf", "http_listen 127.0.0.1:1\nhttp_tls_cert /nonexistent/c.pem\nhttp_tls_key "
                + rsa.key + "\n");
        assertThat(ApiSetup.findings(missing)).singleElement().satisfies(f -> assertThat(f.text())
                .isEqualTo("HTTP API: /nonexistent/c.pem: the HTTP API's TLS certificate file does not exist"));
    }
}
