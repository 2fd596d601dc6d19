package io.tandem.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** tandem.cf's {@code http_peer NODE URL} and {@code http_peer_ca FILE}: the peer whose history {@code tandem why} merges. */
class HttpPeerCfTest {
    private static final String F = "/etc/ha.d/tandem.cf";
    private static final String API = "http_listen 192.0.2.1:8694\nhttp_token_file /etc/ha.d/tandem-token\n"
            + "http_tls_cert /etc/ha.d/api.crt\nhttp_tls_key /etc/ha.d/api.key\n";

    @Test
    void an_https_peer_with_its_ca_and_a_loopback_http_peer() {
        TandemCf t = TandemCfParser.parse(F, API + "http_peer node2 https://198.51.100.2:8694\nhttp_peer_ca /etc/ha.d/peer-ca.pem\n");
        HttpPeerCf p = t.http().peer();
        assertThat(p).isEqualTo(new HttpPeerCf("node2", true, "198.51.100.2", 8694, "/etc/ha.d/peer-ca.pem"));
        assertThat(p.url()).isEqualTo("https://198.51.100.2:8694");
        assertThat(t.lineOf("http_peer")).isEqualTo(5);

        HttpPeerCf local = TandemCfParser.parse(F, "http_listen 127.0.0.1:8694\nhttp_peer n2 http://127.0.0.2:9000/\n").http().peer();
        assertThat(local).isEqualTo(new HttpPeerCf("n2", false, "127.0.0.2", 9000, null));
        assertThat(TandemCfParser.parse(F, API + "http_peer n2 https://[2001:db8::2]\n").http().peer().url()).isEqualTo("https://[2001:db8::2]:8694");
        assertThat(TandemCfParser.parse(F, API).http().peer()).isEqualTo(HttpPeerCf.NONE);
    }

    @Test
    void bad_lines_are_errors_naming_the_file_and_line() {
        String loop = "http_listen 127.0.0.1:8694\n";
        assertThatThrownBy(() -> TandemCfParser.parse(F, loop + "http_peer n2 http://198.51.100.2:8694\n"))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith(F + ":2: http_peer http://198.51.100.2:8694: plain http only to a loopback");
        assertThatThrownBy(() -> TandemCfParser.parse(F, loop + "http_peer n2 https://peer.example.org:8694\n"))
                .hasMessageStartingWith(F + ":2: Invalid http_peer URL [https://peer.example.org:8694]");
        assertThatThrownBy(() -> TandemCfParser.parse(F, loop + "http_peer n2 https://192.0.2.300:8694\n"))
                .hasMessageStartingWith(F + ":2: Invalid http_peer URL");
        assertThatThrownBy(() -> TandemCfParser.parse(F, loop + "http_peer n2 https://192.0.2.3:70000\n"))
                .hasMessageStartingWith(F + ":2: Invalid http_peer URL");
        assertThatThrownBy(() -> TandemCfParser.parse(F, loop + "http_peer https://192.0.2.3\n"))
                .hasMessageStartingWith(F + ":2: 'http_peer' takes a node name and a URL");
        assertThatThrownBy(() -> TandemCfParser.parse(F, loop + "http_peer n;2 http://127.0.0.2\n"))
                .hasMessageStartingWith(F + ":2: Invalid http_peer node [n;2]");
        assertThatThrownBy(() -> TandemCfParser.parse(F, loop + "http_peer n2 https://192.0.2.3\n"))
                .hasMessageStartingWith(F + ":2: http_peer n2 https://192.0.2.3 is not on loopback and no http_token_file is set");
        assertThatThrownBy(() -> TandemCfParser.parse(F, "http_peer n2 http://127.0.0.2\n"))
                .hasMessageStartingWith(F + ":1: http_peer without http_listen");
        assertThatThrownBy(() -> TandemCfParser.parse(F, loop + "http_peer_ca /etc/ha.d/ca.pem\n"))
                .hasMessageStartingWith(F + ":2: http_peer_ca without http_peer");
        assertThatThrownBy(() -> TandemCfParser.parse(F, loop + "http_peer n2 http://127.0.0.2\nhttp_peer_ca /etc/ha.d/ca.pem\n"))
                .hasMessageStartingWith(F + ":3: http_peer_ca with an http:// peer");
        assertThatThrownBy(() -> TandemCfParser.parse(F, loop + "http_peer n2 http://127.0.0.2\nhttp_peer n3 http://127.0.0.3\n"))
                .hasMessageStartingWith(F + ":3: 'http_peer' given twice (first on line 2)");
        assertThatThrownBy(() -> TandemCfParser.parse(F, API + "http_peer_ca ca.pem\nhttp_peer n2 https://192.0.2.2\n"))
                .hasMessageStartingWith(F + ":5: Invalid http_peer_ca [ca.pem]: an absolute path");
    }

    @Test
    void check_says_when_the_peer_is_not_the_other_node_of_ha_cf() {
        ClusterConfig c = ClusterConfig.parse("ha.cf", "bcast lo\nnode n1\nnode n2\n", "authkeys", "auth 1\n1 crc\n", 0600,
                "haresources", "n1 192.0.2.1 apache2\n");
        ChecksTest.Host host = new ChecksTest.Host("n1", Set.of("lo"));
        for (String[] peer : List.of(new String[] {"n2", ""}, new String[] {"n1", "http_peer n1 is this node: name the other node of ha.cf"},
                new String[] {"n3", "http_peer n3 is not a node of ha.cf (its 'node' lines)"})) {
            TandemCf t = TandemCfParser.parse(F, "http_listen 127.0.0.1:8694\nhttp_peer " + peer[0] + " http://127.0.0.2:8694\n");
            ClusterConfig with = new ClusterConfig(c.haCf(), c.authKeys(), c.haResources(), c.notices(), c.monitor(), t);
            List<Finding> found = Checks.check(with, "n1", host).stream().filter(f -> f.file().equals(F)).toList();
            if (peer[1].isEmpty()) {
                assertThat(found).isEmpty();
            } else {
                assertThat(found).extracting(Finding::line, Finding::text, Finding::isError)
                        .containsExactly(org.assertj.core.groups.Tuple.tuple(2, peer[1], true));
            }
        }
    }
}
