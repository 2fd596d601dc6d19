package io.tandem.daemon.http;

import static io.tandem.daemon.http.AuthGate.Decision.ALLOW;
import static io.tandem.daemon.http.AuthGate.Decision.UNAUTHORIZED;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The API's auth rules (docs/observability.md), one decision at a time. */
class AuthGateTest {
    private static final byte[] TOKEN = "s3cret-token-0123456789".getBytes(StandardCharsets.US_ASCII);
    private static final String BEARER = "Bearer s3cret-token-0123456789";

    private static InetAddress ip(String literal) throws Exception {
        return InetAddress.getByName(literal);
    }

    @Test
    void a_read_without_a_token_passes_only_with_loopback_listener_loopback_client_and_loopback_host() throws Exception {
        assertThat(AuthGate.decide(true, ip("127.0.0.1"), true, "127.0.0.1:8694", null, TOKEN)).isEqualTo(ALLOW);
        assertThat(AuthGate.decide(true, ip("::1"), true, "[::1]:8694", null, TOKEN)).isEqualTo(ALLOW);
        assertThat(AuthGate.decide(true, ip("127.0.0.1"), true, "localhost", null, null)).isEqualTo(ALLOW);
        // the listener beyond loopback: even a loopback client needs the token
        assertThat(AuthGate.decide(false, ip("127.0.0.1"), true, "127.0.0.1", null, TOKEN)).isEqualTo(UNAUTHORIZED);
        // a client from another address
        assertThat(AuthGate.decide(true, ip("192.0.2.7"), true, "127.0.0.1", null, TOKEN)).isEqualTo(UNAUTHORIZED);
        assertThat(AuthGate.decide(false, ip("192.0.2.7"), true, "192.0.2.1", null, TOKEN)).isEqualTo(UNAUTHORIZED);
        // a page elsewhere reaching 127.0.0.1 under its own (rebound) name, or no Host at all
        assertThat(AuthGate.decide(true, ip("127.0.0.1"), true, "evil.example:8694", null, TOKEN)).isEqualTo(UNAUTHORIZED);
        assertThat(AuthGate.decide(true, ip("127.0.0.1"), true, "127.0.0.1.evil.example", null, TOKEN)).isEqualTo(UNAUTHORIZED);
        assertThat(AuthGate.decide(true, ip("127.0.0.1"), true, null, null, TOKEN)).isEqualTo(UNAUTHORIZED);
    }

    @Test
    void the_token_opens_reads_from_anywhere() throws Exception {
        assertThat(AuthGate.decide(false, ip("192.0.2.7"), true, "192.0.2.1", BEARER, TOKEN)).isEqualTo(ALLOW);
        assertThat(AuthGate.decide(false, ip("192.0.2.7"), true, "192.0.2.1", "bearer  s3cret-token-0123456789 ", TOKEN)).isEqualTo(ALLOW);
    }

    @Test
    void every_action_needs_the_token_even_from_loopback() throws Exception {
        assertThat(AuthGate.decide(true, ip("127.0.0.1"), false, "127.0.0.1", null, TOKEN)).isEqualTo(UNAUTHORIZED);
        assertThat(AuthGate.decide(true, ip("127.0.0.1"), false, "127.0.0.1", BEARER, TOKEN)).isEqualTo(ALLOW);
        assertThat(AuthGate.decide(false, ip("192.0.2.7"), false, "192.0.2.1", BEARER, TOKEN)).isEqualTo(ALLOW);
    }

    @Test
    void a_wrong_or_malformed_token_or_none_configured_is_refused() throws Exception {
        for (String a : new String[] {"Bearer s3cret-token-012345678", "Bearer s3cret-token-01234567890", "Bearer S3CRET-TOKEN-0123456789",
                "Basic czNjcmV0", "s3cret-token-0123456789", "Bearer", "Bearer ", "", "Bearer s3cret-token-0123456789\u0000"}) {
            assertThat(AuthGate.decide(true, ip("127.0.0.1"), false, "127.0.0.1", a, TOKEN)).as(a).isEqualTo(UNAUTHORIZED);
        }
        assertThat(AuthGate.decide(true, ip("127.0.0.1"), false, "127.0.0.1", "Bearer ", new byte[0])).isEqualTo(UNAUTHORIZED);
        assertThat(AuthGate.decide(true, ip("127.0.0.1"), false, "127.0.0.1", BEARER, null)).isEqualTo(UNAUTHORIZED);
    }

    @Test
    void loopback_host_names() {
        assertThat(AuthGate.loopbackHost("localhost:8694")).isTrue();
        assertThat(AuthGate.loopbackHost("127.0.0.61")).isTrue();
        assertThat(AuthGate.loopbackHost("[::1]")).isTrue();
        assertThat(AuthGate.loopbackHost("[::1]:80")).isTrue();
        assertThat(AuthGate.loopbackHost("[::1]x")).isFalse();
        assertThat(AuthGate.loopbackHost("localhost:x")).isFalse();
        assertThat(AuthGate.loopbackHost("localhost.example")).isFalse();
        assertThat(AuthGate.loopbackHost("192.0.2.1")).isFalse();
    }
}
