package io.tandem.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class HaResourcesParserTest {
    static HaResources parse(String text) {
        return HaResourcesParser.parse("haresources", text);
    }

    @Test
    void seed_group() {
        HaResources res = parse("# node      resources\norasrv1.xlk.com IPaddr::192.168.21.1/24/eth0 httpd\n");
        GroupConfig g = res.groups().get(0);
        assertThat(g.node()).isEqualTo("orasrv1.xlk.com");
        assertThat(g.line()).isEqualTo(2);
        assertThat(g.resources()).containsExactly(new ResourceRef("IPaddr", List.of("192.168.21.1/24/eth0")),
                new ResourceRef("httpd", List.of()));
        assertThat(g.key()).isEqualTo("IPaddr::192.168.21.1/24/eth0");
        assertThat(g.resources().get(0).text()).isEqualTo("IPaddr::192.168.21.1/24/eth0");
        assertThat(res.byKey("IPaddr::192.168.21.1/24/eth0")).contains(g);
        assertThat(res.preferredBy("ORASRV1.xlk.com")).containsExactly(g);
    }

    @Test
    void bare_address_means_ipaddr_and_stays_the_key_as_written() {
        GroupConfig g = parse("NodeA 10.0.0.5/24 Filesystem::/dev/sda1::/data1::ext2 httpd").groups().get(0);
        assertThat(g.node()).isEqualTo("nodea");
        ResourceRef ip = g.resources().get(0);
        assertThat(ip.bare()).isTrue();
        assertThat(ip.name()).isEqualTo("IPaddr");
        assertThat(ip.args()).containsExactly("10.0.0.5/24");
        assertThat(ip.canonical()).isEqualTo("IPaddr::10.0.0.5/24");
        assertThat(g.key()).isEqualTo("10.0.0.5/24");
        assertThat(g.resources().get(1)).isEqualTo(new ResourceRef("Filesystem", List.of("/dev/sda1", "/data1", "ext2")));
    }

    @Test
    void continuation_comments_and_blanks_as_resourcemanager() {
        HaResources res = parse("""
                # comment line

                a\tIPaddr::192.0.2.1 \\
                   httpd   # trailing comment
                b IPaddr::192.0.2.2\\
                httpd
                c IPaddr::192.0.2.3 # a comment hides the backslash \\
                d mysql
                """);
        assertThat(res.groups()).extracting(GroupConfig::text).containsExactly(
                "a IPaddr::192.0.2.1 httpd", "b IPaddr::192.0.2.2httpd", "c IPaddr::192.0.2.3", "d mysql");
        assertThat(res.groups()).extracting(GroupConfig::line).containsExactly(3, 5, 7, 8);
    }

    @Test
    void empty_file_has_no_groups() {
        assertThat(parse("").groups()).isEmpty();
        assertThat(parse("# only comments\n\n").groups()).isEmpty();
    }

    static Stream<Arguments> bad() {
        return Stream.of(
                Arguments.of("a", 1, "Resource group of [a] has no resources"),
                Arguments.of("\na ::192.0.2.1", 2, "Bad resource [::192.0.2.1]: no script name before '::'"),
                Arguments.of("a ../../bin/sh", 1, "Bad resource [../../bin/sh]: a script name may not contain '/'"),
                Arguments.of("a IPaddr::192.0.2.1 httpd\nb IPaddr::192.0.2.1 mysql", 2,
                        "Duplicate group key [IPaddr::192.0.2.1]: the first resource of each line must be unique"));
    }

    @ParameterizedTest(name = "[{index}] {2}")
    @MethodSource("bad")
    void bad_input_names_file_and_line(String text, int line, String message) {
        assertThatThrownBy(() -> parse(text)).isInstanceOfSatisfying(ConfigException.class, e -> {
            assertThat(e.file()).isEqualTo("haresources");
            assertThat(e.line()).isEqualTo(line);
            assertThat(e.text()).startsWith(message);
        });
    }
}
