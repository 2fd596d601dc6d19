package io.tandem.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tandem.config.MediumConfig.Bcast;
import io.tandem.config.MediumConfig.Mcast;
import io.tandem.config.MediumConfig.Ping;
import io.tandem.config.MediumConfig.PingGroup;
import io.tandem.config.MediumConfig.Ucast;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class HaCfParserTest {
    static final String SEED = """
            # The classic two-node httpd tutorial (the project's reference scenario).
            logfile /var/log/ha-log
            keepalive 2
            deadtime 15
            warntime 10
            initdead 60
            udpport 694
            bcast eth1
            auto_failback off
            node orasrv1.xlk.com
            node orasrv2.xlk.com
            ping 192.0.2.254
            """;

    static HaCf parse(String text) {
        return HaCfParser.parse("ha.cf", text);
    }

    @Test
    void seed_gives_the_tutorial_values() {
        HaCf cf = parse(SEED);
        assertThat(cf.logfile()).contains("/var/log/ha-log");
        assertThat(cf.debugfile()).isEmpty();
        assertThat(cf.logfacility()).isEmpty();
        assertThat(cf.keepaliveMs()).isEqualTo(2000);
        assertThat(cf.deadtimeMs()).isEqualTo(15000);
        assertThat(cf.warntimeMs()).isEqualTo(10000);
        assertThat(cf.initdeadMs()).isEqualTo(60000);
        assertThat(cf.deadpingMs()).isEqualTo(15000);
        assertThat(cf.udpport()).isEqualTo(694);
        assertThat(cf.media()).containsExactly(new Bcast("eth1"), new Ping("192.0.2.254"));
        assertThat(cf.nodes()).containsExactly("orasrv1.xlk.com", "orasrv2.xlk.com");
        assertThat(cf.autoFailback()).isEqualTo(FailbackMode.OFF);
        assertThat(cf.notices()).isEmpty();
        assertThat(cf.lineOf("deadtime")).isEqualTo(4);
        assertThat(cf.lineOf("deadping")).isZero();
    }

    @Test
    void defaults_are_heartbeats() {
        HaCf cf = parse("bcast eth0\nnode a\n");
        assertThat(cf.keepaliveMs()).isEqualTo(1000);
        assertThat(cf.deadtimeMs()).isEqualTo(30000);
        assertThat(cf.warntimeMs()).isEqualTo(15000);
        assertThat(cf.initdeadMs()).isEqualTo(30000);
        assertThat(cf.deadpingMs()).isEqualTo(30000);
        assertThat(cf.udpport()).isEqualTo(694);
        assertThat(cf.autoFailback()).isEqualTo(FailbackMode.LEGACY);
        assertThat(cf.msgfmt()).isEqualTo(MessageFormat.CLASSIC);
        assertThat(cf.autojoin()).isEqualTo(AutoJoin.NONE);
        assertThat(cf.realtime()).isTrue();
        assertThat(cf.debugLevel()).isZero();
        assertThat(cf.respawns()).isEmpty();
    }

    @ParameterizedTest(name = "deadtime {0} -> initdead {1} ms, warntime {2} ms")
    @CsvSource({"5, 12000, 2500", "5.999, 12000, 2999", "6, 12000, 3000", "8, 16000, 4000", "10, 20000, 5000",
            "10.001, 10001, 5000", "20, 20000, 10000", "0, 12000, 0"})
    void initdead_and_warntime_are_derived_as_heartbeat_does(String deadtime, long initdead, long warntime) {
        HaCf cf = parse("deadtime " + deadtime + "\n");
        assertThat(cf.initdeadMs()).isEqualTo(initdead);
        assertThat(cf.warntimeMs()).isEqualTo(warntime);
        assertThat(cf.deadpingMs()).isEqualTo(cf.deadtimeMs());
    }

    @ParameterizedTest(name = "keepalive {0} = {1} ms")
    @CsvSource({"2, 2000", "1.5, 1500", "500ms, 500", "500MS, 500", ".5, 500", "1., 1000", "501us, 1", "499us, 0",
            "1500usec, 2", "2msx, 2", "1.2.3, 1200", "0.001, 1"})
    void time_values_read_as_cl_get_msec(String value, long ms) {
        assertThat(TimeValue.parseMs(value)).hasValue(ms);
    }

    @ParameterizedTest(name = "time [{0}] is refused as heartbeat refuses it")
    @CsvSource({"2s", "1m", "x", "-1", "1e3", "ms", "10sec", "99999999999"})
    void time_values_heartbeat_refuses(String value) {
        assertThat(TimeValue.parseMs(value)).isEmpty();
    }

    @Test
    void comments_commas_case_and_carriage_returns() {
        HaCf cf = parse("  node A,b  c # node d\r\n#node e\n\tkeepalive 3 # two\r\nbcast eth0,eth1\n");
        assertThat(cf.nodes()).containsExactly("a", "b", "c");
        assertThat(cf.keepaliveMs()).isEqualTo(3000);
        assertThat(cf.media()).containsExactly(new Bcast("eth0"), new Bcast("eth1"));
    }

    @Test
    void every_medium_kind() {
        HaCf cf = parse("""
                udpport 695
                bcast eth0 eth1
                mcast eth2 239.0.0.1 694 1 0
                ucast eth3 192.0.2.2
                ping 192.0.2.254 192.0.2.253
                ping_group routers 192.0.2.1 192.0.2.9
                """);
        assertThat(cf.udpport()).isEqualTo(695);
        assertThat(cf.media()).containsExactly(new Bcast("eth0"), new Bcast("eth1"),
                new Mcast("eth2", "239.0.0.1", 694, 1, false), new Ucast("eth3", "192.0.2.2"),
                new Ping("192.0.2.254"), new Ping("192.0.2.253"),
                new PingGroup("routers", List.of("192.0.2.1", "192.0.2.9")));
        assertThat(cf.pingNodes()).containsExactly("192.0.2.254", "192.0.2.253", "routers");
    }

    @Test
    void udpport_after_mcast_or_ping_is_fine_they_do_not_use_it() {
        assertThat(parse("mcast eth0 224.0.0.9 700 0 1\nping 192.0.2.1\nudpport 800\n").udpport()).isEqualTo(800);
    }

    @Test
    void acted_on_options() {
        HaCf cf = parse("""
                debugfile /var/log/ha-debug
                logfacility local0
                deadping 40
                msgfmt netstring
                realtime off
                debug 3
                autojoin none
                respawn hacluster /usr/lib/heartbeat/ipfail -x  1
                auto_failback on
                """);
        assertThat(cf.debugfile()).contains("/var/log/ha-debug");
        assertThat(cf.logfacility()).contains("local0");
        assertThat(cf.deadpingMs()).isEqualTo(40000);
        assertThat(cf.msgfmt()).isEqualTo(MessageFormat.NETSTRING);
        assertThat(cf.realtime()).isFalse();
        assertThat(cf.debugLevel()).isEqualTo(3);
        assertThat(cf.respawns()).containsExactly(new Respawn("hacluster", "/usr/lib/heartbeat/ipfail -x  1"));
        assertThat(cf.respawns().get(0).path()).isEqualTo("/usr/lib/heartbeat/ipfail");
        assertThat(cf.autoFailback()).isEqualTo(FailbackMode.ON);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "nice_failback on|LEGACY",
            "nice_failback off|LEGACY",
            "auto_failback on\\nnice_failback on|OFF",
            "auto_failback off\\nnice_failback off|OFF",
            "auto_failback legacy\\nnice_failback on|LEGACY",
            "nice_failback on\\nauto_failback on|ON"})
    void nice_failback_maps_as_heartbeat_maps_it(String text, FailbackMode mode) {
        HaCf cf = parse(text.replace("\\n", "\n"));
        assertThat(cf.autoFailback()).isEqualTo(mode);
        assertThat(cf.notices()).singleElement().satisfies(n -> assertThat(n.text()).contains("nice_failback flag is obsolete"));
    }

    @Test
    void unacted_directives_are_noticed_once_each_at_their_first_line() {
        HaCf cf = parse("""
                use_logd yes
                crm off
                use_logd no
                apiauth ipfail uid=hacluster
                coredumps true
                compression bz2
                udp eth0
                serial /dev/ttyS0
                """);
        assertThat(cf.notices()).extracting(Notice::directive)
                .containsExactly("use_logd", "crm", "apiauth", "coredumps", "compression", "udp", "serial");
        assertThat(cf.notices().get(0).line()).isEqualTo(1);
        assertThat(cf.notices().get(5).text()).contains("WARNING: directive 'udp' replaced by 'bcast'");
        assertThat(cf.notices().get(0).toString()).startsWith("ha.cf:1: use_logd: ");
        assertThat(cf.media()).containsExactly(new Bcast("eth0"));
    }

    @Test
    void every_directive_of_protocol_section_10_is_accepted() {
        String all = """
                logfile /l
                debugfile /d
                logfacility daemon
                use_logd no
                conn_logd_time 60
                syslogmsgfmt true
                log_badpack false
                keepalive 1
                deadtime 10
                warntime 5
                initdead 20
                deadping 10
                udpport 694
                baud 19200
                serial /dev/ttyS0
                bcast eth0
                mcast eth0 225.0.0.1 694 1 0
                ucast eth0 192.0.2.3
                mcast6 eth0 ff05::1 694 1 0
                ucast6 eth0 fe80::1
                udp eth1
                node a
                auto_failback on
                nice_failback on
                ping 192.0.2.1
                ping_group g 192.0.2.2
                hbaping fc0
                ping6 fe80::2
                respawn hacluster /usr/lib/heartbeat/ipfail
                failfast hacluster /usr/lib/heartbeat/ccm
                apiauth ipfail gid=haclient uid=hacluster
                env X=y
                crm no
                pacemaker off
                crm_daemon_dir /usr/lib/pacemaker
                crmd_spawns_pengine yes
                record_config_changes on
                record_pengine_inputs on
                enable_config_writes on
                stonith baytech /etc/ha.d/conf/stonith.baytech
                stonith_host * null a
                watchdog /dev/watchdog
                realtime true
                rtprio 50
                memreserve 6500
                coredumps true
                coreroot /var/lib/heartbeat/cores
                debug 0
                msgfmt classic
                compression zlib
                compression_threshold 2
                traditional_compression no
                hbgenmethod file
                uuidfrom nodename
                autojoin none
                hopfudge 1
                cluster linux-ha
                quorum_server q
                max_rexmit_delay 250
                use_apphbd no
                normalpoll true
                """;
        HaCf cf = parse(all);
        assertThat(cf.nodes()).containsExactly("a");
        assertThat(cf.notices()).extracting(Notice::directive).doesNotContain("logfile", "keepalive", "bcast", "node");
    }

    static Stream<Arguments> bad() {
        return Stream.of(
                bad("bcast eth0\nfoo bar", 2, "Illegal directive [foo] in ha.cf"),
                bad("Node a", 1, "Illegal directive [Node] in ha.cf"),
                bad("ucast eth0", 1, "ucast: [eth0] missing target IP address/hostname"),
                bad("ucast", 1, "ucast: [] missing target IP address/hostname"),
                bad("ping_group g", 1, "ping_group [g] has no hosts"),
                bad("apiauth ipfail", 1, "Invalid apiauth directive [ipfail]"),
                bad("mcast eth0 192.0.2.1 694 1 0", 1, "mcast [eth0] bad addr [192.0.2.1]"),
                bad("mcast eth0", 1, "mcast [eth0] bad addr []"),
                bad("mcast eth0 239.1.1.1", 1, "mcast [eth0] missing port"),
                bad("mcast eth0 239.1.1.1 0 1 0", 1, "mcast [eth0] bad port [0]"),
                bad("mcast eth0 239.1.1.1 70000 1 0", 1, "mcast [eth0] bad port [70000]"),
                bad("mcast eth0 239.1.1.1 694", 1, "mcast [eth0] missing ttl"),
                bad("mcast eth0 239.1.1.1 694 5 0", 1, "mcast [eth0] bad ttl [5]"),
                bad("mcast eth0 239.1.1.1 694 1", 1, "mcast [eth0] missing loop"),
                bad("mcast eth0 239.1.1.1 694 1 2", 1, "mcast [eth0] bad loop [2]"),
                bad("respawn", 1, "Invalid uid [] specified for client child"),
                bad("respawn hacluster ipfail", 1, "Client child command [ipfail] is not full pathname"),
                bad("logfacility local9", 1, "Log facility(local9) not valid"),
                bad("keepalive 2s", 1, "Invalid keepalive [2s]: heartbeat takes seconds (2, 1.5) or milliseconds (500ms)"),
                bad("keepalive 0", 1, "Invalid keepalive [0]: it must be more than 0"),
                bad("\ndeadtime 1m", 2, "Invalid deadtime [1m]"),
                bad("initdead x", 1, "Invalid initdead [x]"),
                bad("deadping -5", 1, "Invalid deadping [-5]"),
                bad("warntime 0", 1, "Warn time [0] is invalid."),
                bad("warntime 5s", 1, "Warn time [5s] is invalid."),
                bad("udpport 0", 1, "invalid port [0] specified."),
                bad("udpport http", 1, "invalid port [http] specified."),
                bad("bcast eth0\nudpport 694", 2, "udpport setting must precede media statements"),
                bad("ucast eth0 192.0.2.1\nudpport 694", 2, "udpport setting must precede media statements"),
                bad("serial /dev/ttyS0\nbaud 9600", 2, "baudrate setting must precede media statements"),
                bad("auto_failback maybe", 1, "Invalid auto_failback [maybe] (on, off or legacy)"),
                bad("nice_failback legacy", 1, "Invalid nice_failback value [legacy]"),
                bad("autojoin all", 1, "Invalid autojoin directive [all]"),
                bad("msgfmt Classic", 1, "Invalid msgfmt [Classic] (classic or netstring)"),
                bad("realtime sometimes", 1, "Invalid realtime value [sometimes]"),
                bad("debug 256", 1, "Invalid debug level [256] (0 to 255)"),
                bad("use_logd perhaps", 1, "Invalid use_logd value [perhaps]"),
                bad("crm on", 1, "'crm on' enables Pacemaker; Tandem runs only heartbeat's v1 (haresources)"),
                bad("pacemaker respawn", 1, "'pacemaker respawn' enables Pacemaker"),
                bad("crm sometimes", 1, "Invalid crm value [sometimes]"),
                bad("hopfudge 300", 1, "Invalid hopfudge [300] (0 to 255)"),
                bad("hbgenmethod random", 1, "Illegal hb generation method [random]"),
                bad("uuidfrom mac", 1, "Invalid uuidfrom directive [mac]"),
                bad("compression_threshold 0", 1, "compress_threshhold(0) invalid"));
    }

    private static Arguments bad(String text, int line, String message) {
        return Arguments.of(text, line, message);
    }

    @ParameterizedTest(name = "[{index}] {2}")
    @MethodSource("bad")
    void bad_input_names_file_line_and_heartbeats_message(String text, int line, String message) {
        assertThatThrownBy(() -> parse(text))
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.file()).isEqualTo("ha.cf");
                    assertThat(e.line()).isEqualTo(line);
                    assertThat(e.text()).startsWith(message);
                    assertThat(e.getMessage()).isEqualTo("ha.cf:" + line + ": " + e.text());
                });
    }

    @Test
    void a_directive_without_value_changes_nothing_as_in_heartbeat() {
        assertThat(parse("keepalive\nnode\n").keepaliveMs()).isEqualTo(1000);
        assertThat(parse("logfile\n").logfile()).isEqualTo(Optional.empty());
    }
}
