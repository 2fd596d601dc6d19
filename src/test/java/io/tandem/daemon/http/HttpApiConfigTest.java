package io.tandem.daemon.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tandem.config.ConfigException;
import io.tandem.config.HttpApiCf;
import io.tandem.config.TandemCf;
import io.tandem.config.TandemCfParser;
import org.junit.jupiter.api.Test;

/** tandem.cf's http_* lines: what they give, and the errors naming file and line. */
class HttpApiConfigTest {
    private static final String FILE = "/etc/ha.d/tandem.cf";

    private static HttpApiCf parse(String text) {
        return TandemCfParser.parse(FILE, text).http();
    }

    private static void refused(String text, String message) {
        assertThatThrownBy(() -> TandemCfParser.parse(FILE, text)).isInstanceOf(ConfigException.class).hasMessageContaining(message);
    }

    @Test
    void off_without_http_listen() {
        assertThat(TandemCf.DEFAULTS.http().enabled()).isFalse();
        assertThat(parse("ping_tiebreak on\n")).isEqualTo(HttpApiCf.OFF);
    }

    @Test
    void loopback_listeners_with_and_without_a_token() {
        HttpApiCf a = parse("# the API\nhttp_listen 127.0.0.1:8694\nhttp_token_file /etc/ha.d/tandem-token\n");
        assertThat(a).isEqualTo(new HttpApiCf("127.0.0.1", 8694, "/etc/ha.d/tandem-token", null, null));
        assertThat(a.loopback()).isTrue();
        assertThat(a.listen()).isEqualTo("127.0.0.1:8694");
        HttpApiCf v6 = parse("http_listen [::1]:9000\n");
        assertThat(v6.host()).isEqualTo("::1");
        assertThat(v6.loopback()).isTrue();
        assertThat(v6.listen()).isEqualTo("[::1]:9000");
        assertThat(v6.tokenFile()).isNull();
    }

    @Test
    void beyond_loopback_with_tls_and_a_token() {
        HttpApiCf a = parse("http_listen [2001:db8::10]:8694\nhttp_token_file /etc/ha.d/t\nhttp_tls_cert /etc/ha.d/c.pem\nhttp_tls_key /etc/ha.d/k.pem\n");
        assertThat(a.loopback()).isFalse();
        assertThat(a.tls()).isTrue();
        assertThat(parse("http_listen 192.0.2.1:443\nhttp_token_file /t\nhttp_tls_cert /c\nhttp_tls_key /k\n").host()).isEqualTo("192.0.2.1");
    }

    @Test
    void cleartext_beyond_loopback_is_refused_naming_the_line() {
        refused("\nhttp_listen 192.0.2.1:8694\nhttp_token_file /etc/ha.d/t\n", FILE + ":2: http_listen 192.0.2.1:8694 is not a loopback address and no TLS");
        refused("http_listen 0.0.0.0:8694\nhttp_token_file /t\n", "not a loopback address and no TLS");
        refused("http_listen [::]:8694\nhttp_token_file /t\n", "not a loopback address and no TLS");
        refused("http_listen 192.0.2.1:8694\nhttp_tls_cert /c\nhttp_tls_key /k\n", FILE + ":1: http_listen 192.0.2.1:8694 is not a loopback address and no "
                + "http_token_file");
    }

    @Test
    void bad_values_name_file_and_line() {
        refused("http_listen localhost:8694\n", FILE + ":1: Invalid http_listen [localhost:8694]");
        refused("http_listen 127.0.0.1\n", "Invalid http_listen [127.0.0.1]");
        refused("http_listen 127.0.0.1:0\n", "the port must be 1 to 65535");
        refused("http_listen 127.0.0.1:65536\n", "the port must be 1 to 65535");
        refused("http_listen 256.0.0.1:80\n", "Invalid http_listen");
        refused("http_listen ::1:80\n", "Invalid http_listen");
        refused("http_listen [1::2::3]:80\n", "Invalid http_listen");
        refused("http_listen [12345::1]:80\n", "Invalid http_listen");
        refused("http_listen 127.0.0.1:80\nhttp_token_file tandem-token\n", FILE + ":2: Invalid http_token_file [tandem-token]: an absolute path");
        refused("http_listen 127.0.0.1:80\nhttp_tls_cert /c.pem\n", FILE + ":2: http_tls_cert needs http_tls_key too");
        refused("http_listen 127.0.0.1:80\nhttp_tls_key /k.pem\n", "http_tls_key needs http_tls_cert too");
        refused("http_token_file /t\n", FILE + ":1: http_token_file without http_listen");
        refused("http_listen 127.0.0.1:80\nhttp_listen 127.0.0.1:81\n", FILE + ":2: 'http_listen' given twice (first on line 1)");
        refused("http_listen 127.0.0.1:80 127.0.0.1:81\n", "'http_listen' takes one value");
    }

    @Test
    void a_reload_sees_the_change() {
        assertThat(parse("http_listen 127.0.0.1:80\n")).isNotEqualTo(parse("http_listen 127.0.0.1:81\n"));
        assertThat(TandemCfParser.parse(FILE, "http_listen 127.0.0.1:80\n").settings().http()).isEqualTo(HttpApiCf.OFF);
    }
}
