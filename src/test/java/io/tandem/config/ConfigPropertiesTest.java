package io.tandem.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/** Parsers never fail with anything but ConfigException; printed models read back unchanged. */
class ConfigPropertiesTest {
    private static final List<String> DIRECTIVES = List.of("logfile", "debugfile", "logfacility", "keepalive",
            "deadtime", "warntime", "initdead", "deadping", "udpport", "bcast", "mcast", "ucast", "ping", "ping_group",
            "node", "auto_failback", "nice_failback", "respawn", "autojoin", "msgfmt", "realtime", "debug", "crm",
            "use_logd", "apiauth", "serial", "baud", "hopfudge", "hbgenmethod", "udp", "compression_threshold", "#");

    // ---- arbitrary input -------------------------------------------------------------------

    @Provide
    Arbitrary<String> haCfText() {
        Arbitrary<String> word = Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(8),
                Arbitraries.strings().withChars("0123456789.msu, \t#").ofMaxLength(8),
                Arbitraries.of("on", "off", "legacy", "eth0", "239.0.0.1", "694", "1", "0", "5", "/bin/x", "2s"));
        Arbitrary<String> line = Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(30),
                Combinators.combine(Arbitraries.of(DIRECTIVES), word.list().ofMaxSize(6))
                        .as((d, ws) -> d + " " + String.join(" ", ws)));
        return line.list().ofMaxSize(12).map(ls -> String.join("\n", ls));
    }

    @Property(tries = 1000)
    void ha_cf_parser_throws_only_config_exceptions(@ForAll("haCfText") String text) {
        try {
            HaCf cf = HaCfParser.parse("ha.cf", text);
            assertThat(cf.keepaliveMs()).isPositive();
        } catch (ConfigException e) {
            assertThat(e.getMessage()).startsWith("ha.cf");
        }
    }

    @Property(tries = 1000)
    void authkeys_parser_throws_only_config_exceptions(@ForAll("authText") String text,
            @ForAll("modes") int mode) {
        try {
            AuthKeys keys = AuthKeysParser.parse("authkeys", text, mode);
            assertThat(keys.keys()).containsKey(keys.activeIndex());
        } catch (ConfigException e) {
            assertThat(e.file()).isEqualTo("authkeys");
        }
    }

    @Provide
    Arbitrary<String> authText() {
        Arbitrary<String> line = Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(20),
                Combinators.combine(Arbitraries.of("auth", "1", "0", "15", "16", "-1", "a", "#", "99999999999"),
                        Arbitraries.of("", " 1", " md5", " crc", " sha1 k", " md5 k x", "x"))
                        .as((a, b) -> a + b),
                Combinators.combine(Arbitraries.integers().between(-2, 17), Arbitraries.of("crc", "md5", "sha1", "x"),
                        Arbitraries.strings().ofMaxLength(5)).as((i, m, k) -> i + " " + m + " " + k));
        return line.list().ofMaxSize(6).map(ls -> String.join("\n", ls));
    }

    @Provide
    Arbitrary<Integer> modes() {
        return Arbitraries.integers().between(0, 0777);
    }

    @Property(tries = 1000)
    void haresources_parser_throws_only_config_exceptions(@ForAll("resText") String text) {
        try {
            HaResources res = HaResourcesParser.parse("haresources", text);
            res.groups().forEach(g -> assertThat(g.resources()).isNotEmpty());
        } catch (ConfigException e) {
            assertThat(e.file()).isEqualTo("haresources");
        }
    }

    @Provide
    Arbitrary<String> resText() {
        Arbitrary<String> word = Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(10),
                Arbitraries.strings().withChars("ab:.1/#\\ \t").ofMaxLength(10),
                Arbitraries.of("IPaddr::192.0.2.1/24/eth0", "10.0.0.1", "httpd", "::", "a::", "\\"));
        return word.list().ofMaxSize(5).map(ws -> String.join(" ", ws)).list().ofMaxSize(6)
                .map(ls -> String.join("\n", ls));
    }

    // ---- print, then parse ----------------------------------------------------------------

    private static Arbitrary<String> name() {
        return Arbitraries.strings().withCharRange('a', 'z').withChars("0123456789.-_").ofMinLength(1).ofMaxLength(12);
    }

    private static Arbitrary<String> ipv4() {
        return Arbitraries.integers().between(0, 255).list().ofSize(4)
                .map(o -> o.get(0) + "." + o.get(1) + "." + o.get(2) + "." + o.get(3));
    }

    private static Arbitrary<MediumConfig> medium() {
        Arbitrary<String> dev = Arbitraries.strings().withCharRange('a', 'z').withCharRange('0', '9').ofMinLength(1)
                .ofMaxLength(6);
        Arbitrary<MediumConfig> mcast = Combinators.combine(dev,
                Combinators.combine(Arbitraries.integers().between(224, 239), ipv4()).as((a, b) -> a + b.substring(b.indexOf('.'))),
                Arbitraries.integers().between(1, 65535), Arbitraries.integers().between(0, 4), Arbitraries.of(true, false))
                .as(MediumConfig.Mcast::new);
        return Arbitraries.oneOf(dev.map(MediumConfig.Bcast::new), mcast,
                Combinators.combine(dev, Arbitraries.oneOf(ipv4(), name())).as(MediumConfig.Ucast::new),
                ipv4().map(MediumConfig.Ping::new),
                Combinators.combine(name(), ipv4().list().ofMinSize(1).ofMaxSize(3)).as(MediumConfig.PingGroup::new));
    }

    private static Arbitrary<Long> ms(long min) {
        return Arbitraries.oneOf(Arbitraries.longs().between(min, 100_000),
                Arbitraries.longs().between(Math.max(min, 1) / 1000 + 1, 100_000).map(s -> s * 1000));
    }

    @Provide
    Arbitrary<HaCf> models() {
        Arbitrary<Optional<String>> path = name().map(n -> "/var/log/" + n).optional();
        Arbitrary<Optional<String>> facility = Arbitraries.of(HaCfValues.FACILITIES).optional();
        Arbitrary<Respawn> respawn = Combinators.combine(name(), name(), name().list().ofMaxSize(2))
                .as((u, p, args) -> new Respawn(u, "/usr/lib/" + p + (args.isEmpty() ? "" : " " + String.join(" ", args))));
        var logs = Combinators.combine(path, path, facility).as(Tuple::of);
        var timers = Combinators.combine(ms(1), ms(0), ms(1), ms(0), ms(0)).as(Tuple::of);
        var rest = Combinators.combine(Arbitraries.integers().between(1, 65535), medium().list().ofMaxSize(5),
                name().list().uniqueElements().ofMaxSize(4), Arbitraries.of(FailbackMode.class),
                Arbitraries.of(MessageFormat.class), respawn.list().ofMaxSize(2), Arbitraries.of(AutoJoin.class),
                Arbitraries.integers().between(0, 255)).as(Tuple::of);
        return Combinators.combine(logs, timers, rest, Arbitraries.of(true, false)).as((l, t, r, realtime) ->
                new HaCf(l.get1(), l.get2(), l.get3(), t.get1(), t.get2(), t.get3(), t.get4(), t.get5(), r.get1(),
                        r.get2(), r.get3(), r.get4(), r.get5(), r.get6(), r.get7(), realtime, r.get8(), List.of(),
                        new HaCf.Source("ha.cf", Map.of())));
    }

    @Property(tries = 500)
    void printed_ha_cf_reads_back_as_the_same_model(@ForAll("models") HaCf model) {
        String text = HaCfPrinter.print(model);
        assertThat(HaCfParser.parse("ha.cf", text).withoutSource()).as(text).isEqualTo(model);
    }

    @Provide
    Arbitrary<AuthKeys> keySets() {
        Arbitrary<AuthKey> key = Combinators.combine(Arbitraries.integers().between(0, 15),
                Arbitraries.of(AuthMethod.class),
                Arbitraries.strings().ofMinLength(1).ofMaxLength(20).filter(s -> s.chars().noneMatch(c -> " \t\n\r\f".indexOf(c) >= 0)))
                .as((i, m, s) -> new AuthKey(i, m, m.needsKey() ? s : ""));
        return key.list().ofMinSize(1).ofMaxSize(5).flatMap(keys -> {
            TreeMap<Integer, AuthKey> map = new TreeMap<>();
            keys.forEach(k -> map.put(k.index(), k));
            return Arbitraries.of(new ArrayList<>(map.keySet())).map(active -> new AuthKeys(active, map));
        });
    }

    @Property(tries = 500)
    void printed_authkeys_read_back_as_the_same_keys(@ForAll("keySets") AuthKeys keys) {
        assertThat(AuthKeysParser.parse("authkeys", AuthKeysParser.print(keys), 0600)).isEqualTo(keys);
    }

    @Provide
    Arbitrary<HaResources> resourceFiles() {
        Arbitrary<String> arg = Arbitraries.strings().withCharRange('a', 'z').withChars("0123456789./=-_").ofMaxLength(10);
        Arbitrary<ResourceRef> script = Combinators.combine(
                Arbitraries.strings().withCharRange('A', 'Z').withCharRange('a', 'z').ofMinLength(1).ofMaxLength(1),
                Arbitraries.strings().withCharRange('a', 'z').withChars("0123456789_.-").ofMaxLength(10),
                arg.list().ofMaxSize(3)).as((first, restOfName, args) -> new ResourceRef(first + restOfName, args));
        Arbitrary<ResourceRef> bare = Combinators.combine(ipv4(), Arbitraries.of("", "/24", "/24/eth0", "/16/eth1/10.0.255.255"))
                .as((ip, suffix) -> new ResourceRef("IPaddr", List.of(ip + suffix), true));
        Arbitrary<List<ResourceRef>> resources = Arbitraries.oneOf(script, bare).list().ofMinSize(1).ofMaxSize(4);
        return Combinators.combine(name(), resources).as(Tuple::of).list().ofMaxSize(5)
                .uniqueElements(t -> t.get2().get(0).text())
                .map(groups -> {
                    List<GroupConfig> out = new ArrayList<>();
                    for (int i = 0; i < groups.size(); i++) {
                        out.add(new GroupConfig(groups.get(i).get1(), groups.get(i).get2(), i + 1));
                    }
                    return new HaResources("haresources", out);
                });
    }

    @Property(tries = 500)
    void printed_haresources_read_back_as_the_same_groups(@ForAll("resourceFiles") HaResources res) {
        assertThat(HaResourcesParser.parse("haresources", res.print())).isEqualTo(res);
    }
}
