package io.tandem.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StonithLinesTest {
    static HaCf parse(String text) {
        return HaCfParser.parse("/etc/ha.d/ha.cf", text);
    }

    @Test
    void stonith_takes_a_type_and_the_rest_of_the_line_as_its_config_file() {
        HaCf cf = parse("node a\nnode b\nstonith  external/ipmi   /etc/ha.d/my stonith.cfg  \n");
        assertThat(cf.fencing().devices()).containsExactly(
                new StonithDevice("*", "external/ipmi", "/etc/ha.d/my stonith.cfg", "", 3));
        assertThat(cf.fencing().deviceFor("a")).map(StonithDevice::fromFile).contains(true);
        assertThat(cf.fencing().deviceFor("B")).isPresent();
        assertThat(cf.notices()).isEmpty();
    }

    @Test
    void stonith_host_is_for_one_lower_cased_node_or_star_and_keeps_its_parameter_string() {
        HaCf cf = parse("stonith_host NodeA apcmastersnmp 192.0.2.5 161 private\nstonith_host * null a,b\n");
        StonithDevice d = cf.fencing().devices().get(0);
        assertThat(d.host()).isEqualTo("nodea");
        assertThat(d.type()).isEqualTo("apcmastersnmp");
        assertThat(d.params()).isEqualTo("192.0.2.5 161 private");
        assertThat(d.appliesTo("NODEA")).isTrue();
        assertThat(d.appliesTo("nodeb")).isFalse();
    }

    @Test
    void like_heartbeat_the_last_line_that_applies_wins() {
        HaCf cf = parse("stonith_host * null a,b\nstonith_host nodea external/ssh a b\nstonith_host nodeb meatware\n");
        assertThat(cf.fencing().deviceFor("nodea")).map(StonithDevice::type).contains("external/ssh");
        assertThat(cf.fencing().deviceFor("nodeb")).map(StonithDevice::type).contains("meatware");
        assertThat(cf.fencing().deviceFor("nodeb")).map(StonithDevice::params).contains("");
        assertThat(cf.fencing().deviceFor("nodec")).map(StonithDevice::type).contains("null");
        assertThat(parse("node a\n").fencing().deviceFor("a")).isEmpty();
    }

    @Test
    void stonith_failure_takeover_in_ha_cf_says_it_belongs_in_tandem_cf() {
        assertThatThrownBy(() -> parse("\nstonith_failure_takeover yes\n")).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("/etc/ha.d/ha.cf:2: stonith_failure_takeover is Tandem's own setting and belongs in"
                        + " /etc/ha.d/tandem.cf, not in ha.cf: heartbeat 3.0.6 refuses an ha.cf with it");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "stonith|No Stonith type given",
        "stonith external/ipmi|Invalid Stonith config file [] for type [external/ipmi]",
        "stonith ../../bin/sh /x|Invalid Stonith type [../../bin/sh]",
        "stonith /usr/bin/evil /x|Invalid Stonith type [/usr/bin/evil]",
        "stonith_host|No Stonith hostname argument given",
        "stonith_host *|No Stonith type given (stonith_host * TYPE PARAMS...)",
        "stonith_host * external/../../x y|Invalid Stonith type [external/../../x]",
        "stonith_host * a;b y|Invalid Stonith type [a;b]",
    })
    void bad_lines_name_file_and_line(String line, String message) {
        assertThatThrownBy(() -> parse("node a\n" + line + "\n")).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("/etc/ha.d/ha.cf:2: " + message);
    }

    @Test
    void printing_and_parsing_again_keeps_the_devices() {
        HaCf cf = parse("bcast eth0\nnode a\nnode b\nstonith_host * null a b\nstonith null /etc/x.cfg\n");
        HaCf again = parse(HaCfPrinter.print(cf));
        assertThat(again.withoutSource()).isEqualTo(cf.withoutSource());
    }

    @Test
    void a_reload_that_changes_the_device_needs_a_restart_but_moving_the_line_does_not() {
        assertThat(parse("stonith_host * null a\n").fencing().withoutLines())
                .isEqualTo(parse("\n\nstonith_host * null a\n").fencing().withoutLines())
                .isNotEqualTo(parse("stonith_host * null b\n").fencing().withoutLines());
    }
}
