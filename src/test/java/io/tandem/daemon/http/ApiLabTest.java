package io.tandem.daemon.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tandem.lab.ExecResult;
import io.tandem.lab.HeartbeatConfig;
import io.tandem.lab.Lab;
import io.tandem.lab.LabProcess;
import io.tandem.lab.Poll;
import io.tandem.lab.TandemNodes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTP API beyond loopback, in the namespace lab (prefix "api"): a Tandem node listens on its
 * public address. Cleartext there is refused by {@code tandem check} and by the daemon's start; with
 * TLS (a self-signed certificate made here, that curl in the lab's client host trusts explicitly) a
 * read from the client's address (203.0.113.10, through the gateway) without the token or with a wrong
 * one gets 401, with the token 200; a standby with the token is recorded as an operator command of
 * {@code http token from 203.0.113.10}; plain HTTP to the TLS port gets no answer.
 */
class ApiLabTest {
    private static final Duration UP = Duration.ofSeconds(60);
    private static final String TOKEN = "lab-api-token-0123456789abcdef";
    private static final int PORT = 8694;

    @TempDir
    Path dir;
    private Lab lab;
    private LabProcess daemon;
    private String address;

    @BeforeEach
    void startLab() throws Exception {
        assumeTrue(Lab.unavailable().isEmpty(), () -> "skipped: " + Lab.unavailable().orElse(""));
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/curl")), "skipped: curl is not installed");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/openssl")), "skipped: openssl is not installed");
        lab = Lab.start("api", "node1");
        address = lab.publicAddress("node1");
        HeartbeatConfig c = HeartbeatConfig.fastBcast(lab.nodes(), "eth1", 694);
        TandemNodes.configure(lab, "node1", c.haCf(), c.authkeys(), "");
        Path token = lab.path("node1", "/etc/ha.d/tandem-token");
        Files.createFile(token, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(token, TOKEN + "\n");
    }

    @AfterEach
    void stopLab() {
        if (daemon != null) {
            daemon.close();
        }
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void beyond_loopback_only_tls_and_only_with_the_token() throws Exception {
        Path cf = lab.path("node1", "/etc/ha.d/tandem.cf");
        Files.writeString(cf, "http_listen " + address + ":" + PORT + "\nhttp_token_file /etc/ha.d/tandem-token\n");
        ExecResult check = TandemNodes.tandem(lab, "node1", "check");
        assertThat(check.exitCode()).isNotZero();
        assertThat(check.stdout() + check.stderr()).contains("/etc/ha.d/tandem.cf:1: http_listen " + address + ":" + PORT
                + " is not a loopback address and no TLS is configured");
        ExecResult run = TandemNodes.tandem(lab, "node1", "run");
        assertThat(run.exitCode()).as("the daemon refuses to start").isNotZero();
        assertThat(run.stdout() + run.stderr()).contains("is not a loopback address and no TLS is configured");

        SelfSigned cert = SelfSigned.make(dir, "ec", address);
        Files.copy(cert.cert, lab.path("node1", "/etc/ha.d/api-cert.pem"), StandardCopyOption.REPLACE_EXISTING);
        Path key = lab.path("node1", "/etc/ha.d/api-key.pem");
        Files.copy(cert.key, key, StandardCopyOption.REPLACE_EXISTING);
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        Files.writeString(cf, "http_listen " + address + ":" + PORT + "\nhttp_token_file /etc/ha.d/tandem-token\n"
                + "http_tls_cert /etc/ha.d/api-cert.pem\nhttp_tls_key /etc/ha.d/api-key.pem\n");
        ExecResult good = TandemNodes.tandem(lab, "node1", "check");
        assertThat(good.stdout() + good.stderr()).doesNotContain("HTTP API");
        daemon = TandemNodes.run(lab, "node1");
        Poll.untilOrElse(UP, () -> lab.haLog("node1").contains("HTTP API listening on https://" + address + ":" + PORT),
                () -> "the API did not start\n" + lab.haLog("node1"));
        System.out.println("ha-log: " + lab.haLog("node1").lines().filter(l -> l.contains("HTTP API")).findFirst().orElse(""));

        String base = "https://" + address + ":" + PORT;
        String[] none = curl(cert, null, "GET", base + "/api/v1/status");
        assertThat(none[0]).isEqualTo("401");
        assertThat(none[1]).contains("\"error\":\"unauthorized\"").doesNotContain(TOKEN);
        assertThat(curl(cert, TOKEN + "x", "GET", base + "/api/v1/status")[0]).isEqualTo("401");
        String[] page = curl(cert, null, "GET", base + "/");
        assertThat(page[0]).as("the dashboard's page itself needs no token (a browser cannot send one)").isEqualTo("200");
        assertThat(page[1]).doesNotContain("node2").doesNotContain(TOKEN);
        String[] status = curl(cert, TOKEN, "GET", base + "/api/v1/status");
        assertThat(status[0]).isEqualTo("200");
        assertThat(status[1]).startsWith("{\"node\":\"node1\"");

        assertThat(curl(cert, null, "POST", base + "/api/v1/standby")[0]).isEqualTo("401");
        assertThat(curl(cert, "wrong-token-wrong-token", "POST", base + "/api/v1/standby")[0]).isEqualTo("401");
        String[] standby = curl(cert, TOKEN, "POST", base + "/api/v1/standby?what=all");
        assertThat(standby[0]).as(standby[1]).isEqualTo("200");
        String[] events = curl(cert, TOKEN, "GET", base + "/api/v1/events?since=10m");
        assertThat(events[0]).isEqualTo("200");
        assertThat(events[1]).contains("\"kind\":\"operator\"", "\"cause\":\"hb_standby all\"",
                "\"user\":\"http token from " + Lab.CLIENT_ADDRESS + "\"");
        System.out.println("operator entry: " + events[1].substring(events[1].indexOf("\"kind\":\"operator\"") - 120,
                events[1].indexOf("\"kind\":\"operator\"") + 200));

        ExecResult plain = lab.exec(Lab.CLIENT, Duration.ofSeconds(30), "curl", "-sS", "--max-time", "10", "-o", "/dev/null", "-w",
                "%{http_code}", "http://" + address + ":" + PORT + "/api/v1/status");
        assertThat(plain.stdout()).as("cleartext to the TLS port").isNotEqualTo("200").isNotEqualTo("401");
    }

    /** {status code, body} of curl in the lab's client host, trusting exactly the test's certificate. */
    private String[] curl(SelfSigned cert, String token, String method, String url) {
        List<String> cmd = new ArrayList<>(List.of("curl", "-sS", "--max-time", "20", "--cacert", cert.cert.toString(), "-X", method,
                "-w", "\n%{http_code}"));
        if (token != null) {
            cmd.addAll(List.of("-H", "Authorization: Bearer " + token));
        }
        cmd.add(url);
        ExecResult r = lab.exec(Lab.CLIENT, Duration.ofSeconds(40), cmd.toArray(String[]::new));
        assertThat(r.exitCode()).as("curl " + url + ": " + r.stderr()).isZero();
        int nl = r.stdout().lastIndexOf('\n');
        return new String[] {r.stdout().substring(nl + 1).strip(), r.stdout().substring(0, nl)};
    }
}
