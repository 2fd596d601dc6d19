package io.tandem.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/** The directives of ha.cf and what each does to the model being built (docs/protocol.md 10). */
final class HaCfDirectives {
    static final String WHITESPACE = " \t\n\r\f";
    static final String DELIMS = WHITESPACE + ",";

    /** Directives that change Tandem's behaviour, applied once per value. */
    private static final Set<String> ACTED = Set.of("logfile", "debugfile", "logfacility", "keepalive", "deadtime",
            "warntime", "initdead", "deadping", "udpport", "node", "auto_failback", "nice_failback", "autojoin",
            "msgfmt", "realtime", "debug", "bcast", "udp", "ping");
    /** Tandem's own settings, which belong in tandem.cf: heartbeat refuses an ha.cf that has them. */
    private static final Set<String> TANDEM_ONLY = Set.of("stonith_failure_takeover", "ping_tiebreak", "fence_delay",
            "stonith_check_interval");
    /** Directives that get the raw rest of the line. */
    private static final Set<String> WHOLE_LINE = Set.of("mcast", "ucast", "ping_group", "respawn", "mcast6", "ucast6",
            "stonith", "stonith_host", "apiauth", "failfast");
    /** Accepted, validated where cheap, but not acted on: reported once as a notice. */
    private static final Map<String, String> NOTICED = new HashMap<>();

    static {
        String media = "medium not supported by Tandem (it uses bcast, mcast, ucast, ping and ping_group); ignored";
        for (String m : List.of("serial", "mcast6", "ucast6", "hbaping", "ping6")) {
            NOTICED.put(m, media);
        }
        NOTICED.put("baud", "serial speed; Tandem has no serial medium");
        String logd = "Tandem writes its own logs (logfile, debugfile, logfacility); there is no ha_logd";
        NOTICED.put("use_logd", logd);
        NOTICED.put("conn_logd_time", logd);
        NOTICED.put("syslogmsgfmt", "Tandem always writes heartbeat 3.0's syslog-style log lines");
        NOTICED.put("log_badpack", "Tandem always logs malformed and unauthenticated packets");
        NOTICED.put("apiauth", "Tandem has no heartbeat client API; its tools use the control socket");
        NOTICED.put("failfast", "Tandem does not start failfast clients");
        NOTICED.put("env", "only used for respawn clients' environment; not passed by Tandem");
        String crm = "Pacemaker (v2) resource management is off, as Tandem requires";
        NOTICED.put("crm", crm);
        NOTICED.put("pacemaker", crm);
        for (String p : List.of("crm_daemon_dir", "crmd_spawns_pengine", "record_config_changes",
                "record_pengine_inputs", "enable_config_writes", "quorum_server")) {
            NOTICED.put(p, "Pacemaker-only setting; Tandem runs haresources (v1) mode");
        }
        NOTICED.put("watchdog", "Tandem does not drive a watchdog device");
        NOTICED.put("rtprio", "Tandem does not use SCHED_FIFO priorities");
        NOTICED.put("memreserve", "a Java daemon does not preallocate memory this way");
        String core = "a Java daemon writes no core dumps";
        NOTICED.put("coredumps", core);
        NOTICED.put("coreroot", core);
        String comp = "Tandem sends uncompressed messages (v1 messages stay far below the threshold)";
        NOTICED.put("compression", comp);
        NOTICED.put("compression_threshold", comp);
        NOTICED.put("traditional_compression", comp);
        NOTICED.put("hbgenmethod", "Tandem keeps its generation in a file, as the default 'file'");
        NOTICED.put("uuidfrom", "Tandem keeps its node uuid in a file, as the default 'file'");
        NOTICED.put("hopfudge", "only feeds the ttl field; Tandem uses heartbeat's default");
        NOTICED.put("cluster", "informational cluster name; not used");
        NOTICED.put("max_rexmit_delay", "Tandem uses heartbeat's default retransmit delay (250 ms)");
        NOTICED.put("use_apphbd", "Tandem does not register with apphbd");
        NOTICED.put("normalpoll", "Tandem does not use poll(2) choices");
    }

    private static final Set<String> BOOLEAN_NOTICED = Set.of("use_logd", "syslogmsgfmt", "log_badpack", "coredumps",
            "traditional_compression", "use_apphbd", "record_config_changes", "record_pengine_inputs",
            "enable_config_writes", "crmd_spawns_pengine", "normalpoll");

    private final String file;
    private final Map<String, Integer> lines = new HashMap<>();
    private final Map<String, Notice> notices = new LinkedHashMap<>();

    private Optional<String> logfile = Optional.empty();
    private Optional<String> debugfile = Optional.empty();
    private Optional<String> logfacility = Optional.empty();
    private long keepalive = HaCf.DEFAULT_KEEPALIVE_MS;
    private long deadtime = HaCf.DEFAULT_DEADTIME_MS;
    private long warntime = -1;
    private long initdead = -1;
    private long deadping = -1;
    private int udpport = HaCf.DEFAULT_UDPPORT;
    private final List<MediumConfig> media = new ArrayList<>();
    private final List<String> nodes = new ArrayList<>();
    private FailbackMode failback = FailbackMode.LEGACY;
    private boolean failbackWritten;
    private MessageFormat msgfmt = MessageFormat.CLASSIC;
    private final List<Respawn> respawns = new ArrayList<>();
    private AutoJoin autojoin = AutoJoin.NONE;
    private boolean realtime = true;
    private int debug;
    private boolean udpMediaSeen;
    private boolean serialSeen;
    private final List<StonithDevice> stonith = new ArrayList<>();

    HaCfDirectives(String file) {
        this.file = file;
    }

    void apply(int line, String directive, String rest) {
        if (TANDEM_ONLY.contains(directive)) {
            throw error(line, directive + " is Tandem's own setting and belongs in " + tandemCf() + ", not in ha.cf:"
                    + " heartbeat 3.0.6 refuses an ha.cf with it (Illegal directive [" + directive + "]), so a node rolled"
                    + " back to heartbeat would not start (docs/configuration.md)");
        }
        if (!ACTED.contains(directive) && !WHOLE_LINE.contains(directive) && !NOTICED.containsKey(directive)) {
            throw error(line, "Illegal directive [" + directive + "] in " + file);
        }
        lines.put(directive, line);
        if (WHOLE_LINE.contains(directive)) {
            wholeLine(line, directive, rest);
            return;
        }
        for (String value : HaCfParser.values(rest, DELIMS)) {
            option(line, directive, value);
        }
        if (NOTICED.containsKey(directive)) {
            notice(line, directive, NOTICED.get(directive));
        }
    }

    private void wholeLine(int line, String directive, String rest) {
        List<String> words = HaCfParser.values(rest, WHITESPACE);
        String first = words.isEmpty() ? "" : words.get(0);
        switch (directive) {
            case "mcast" -> addMedium(line, mcast(line, words));
            case "ucast" -> {
                if (words.size() < 2) {
                    throw error(line, "ucast: [" + first + "] missing target IP address/hostname (ucast DEVICE PEER)");
                }
                udpMediaSeen = true;
                addMedium(line, new MediumConfig.Ucast(first, words.get(1)));
            }
            case "ping_group" -> {
                if (words.size() < 2) {
                    throw error(line, "ping_group [" + first + "] has no hosts (ping_group NAME HOST...)");
                }
                addMedium(line, new MediumConfig.PingGroup(first, words.subList(1, words.size())));
            }
            case "respawn" -> {
                Respawn r = respawn(line, rest);
                respawns.add(r);
                lines.putIfAbsent("respawn " + r.user() + " " + r.command(), line); // its own line, for messages about it
                if (r.isIpfail()) {
                    notice(line, "respawn", "Tandem does not run " + r.path() + "; its built-in ping-node tiebreak"
                            + " does what ipfail did (on unless tandem.cf says 'ping_tiebreak off'; docs/split-brain.md)");
                }
            }
            case "stonith" -> stonith.add(StonithLines.stonith(file, line, rest));
            case "stonith_host" -> stonith.add(StonithLines.stonithHost(file, line, rest));
            case "apiauth" -> {
                boolean lists = words.stream().skip(1).anyMatch(w -> w.startsWith("uid=") || w.startsWith("gid="));
                if (!lists) {
                    throw error(line, "Invalid apiauth directive [" + rest.strip() + "]"
                            + " (Syntax: apiauth client [uid=uidlist] [gid=gidlist]; one or the other must be specified)");
                }
                notice(line, directive, NOTICED.get(directive));
            }
            default -> notice(line, directive, NOTICED.get(directive));
        }
    }

    private MediumConfig mcast(int line, List<String> w) {
        String dev = w.isEmpty() ? "" : w.get(0);
        String group = w.size() > 1 ? w.get(1) : "";
        if (!HaCfValues.isMulticast(group)) {
            throw error(line, "mcast [" + dev + "] bad addr [" + group + "] (a group in 224.0.0.0-239.255.255.255;"
                    + " mcast DEVICE GROUP PORT TTL LOOP)");
        }
        if (w.size() < 3) {
            throw error(line, "mcast [" + dev + "] missing port");
        }
        int port = HaCfValues.smallInt(w.get(2));
        if (port <= 0 || port > 65535) {
            throw error(line, "mcast [" + dev + "] bad port [" + w.get(2) + "]");
        }
        if (w.size() < 4) {
            throw error(line, "mcast [" + dev + "] missing ttl");
        }
        int ttl = HaCfValues.smallInt(w.get(3));
        if (ttl < 0 || ttl > 4) {
            throw error(line, "mcast [" + dev + "] bad ttl [" + w.get(3) + "] (heartbeat accepts 0 to 4)");
        }
        if (w.size() < 5) {
            throw error(line, "mcast [" + dev + "] missing loop");
        }
        int loop = HaCfValues.smallInt(w.get(4));
        if (loop < 0 || loop > 1) {
            throw error(line, "mcast [" + dev + "] bad loop [" + w.get(4) + "] (0 or 1)");
        }
        return new MediumConfig.Mcast(dev, group, port, ttl, loop == 1);
    }

    private Respawn respawn(int line, String rest) {
        int uidEnd = HaCfParser.indexOfAny(rest, WHITESPACE);
        String user = uidEnd < 0 ? rest : rest.substring(0, uidEnd);
        String command = uidEnd < 0 ? "" : HaCfParser.skip(rest.substring(uidEnd), WHITESPACE).stripTrailing();
        if (user.isEmpty()) {
            throw error(line, "Invalid uid [] specified for client child (respawn USER /path/to/program)");
        }
        if (!command.startsWith("/")) {
            throw error(line, "Client child command [" + command + "] is not full pathname");
        }
        return new Respawn(user, command);
    }

    private void option(int line, String directive, String v) {
        switch (directive) {
            case "logfile" -> logfile = Optional.of(v);
            case "debugfile" -> debugfile = Optional.of(v);
            case "logfacility" -> {
                if (!HaCfValues.FACILITIES.contains(v.toLowerCase(Locale.ROOT))) {
                    throw error(line, "Log facility(" + v + ") not valid");
                }
                logfacility = Optional.of(v);
            }
            case "keepalive" -> {
                keepalive = time(line, directive, v);
                if (keepalive <= 0) {
                    throw error(line, "Invalid keepalive [" + v + "]: it must be more than 0");
                }
            }
            case "deadtime" -> deadtime = time(line, directive, v);
            case "initdead" -> initdead = time(line, directive, v);
            case "deadping" -> deadping = time(line, directive, v);
            case "warntime" -> {
                OptionalLong ms = TimeValue.parseMs(v);
                if (ms.isEmpty() || ms.getAsLong() <= 0) {
                    throw error(line, "Warn time [" + v + "] is invalid.");
                }
                warntime = ms.getAsLong();
            }
            case "udpport" -> {
                int port = HaCfValues.smallInt(v);
                if (port <= 0 || port > 65535) {
                    throw error(line, "invalid port [" + v + "] specified.");
                }
                if (udpMediaSeen) {
                    throw error(line, "udpport setting must precede media statements");
                }
                udpport = port;
            }
            case "node" -> {
                String name = v.toLowerCase(Locale.ROOT);
                if (!nodes.contains(name)) {
                    nodes.add(name);
                }
            }
            case "auto_failback" -> {
                Optional<Boolean> b = HaCfValues.bool(v);
                if (b.isPresent()) {
                    failback = b.get() ? FailbackMode.ON : FailbackMode.OFF;
                } else if (v.equalsIgnoreCase("legacy")) {
                    failback = FailbackMode.LEGACY;
                } else {
                    throw error(line, "Invalid auto_failback [" + v + "] (on, off or legacy)");
                }
                failbackWritten = true;
            }
            case "nice_failback" -> niceFailback(line, v);
            case "autojoin" -> autojoin = switch (v.toLowerCase(Locale.ROOT)) {
                case "none" -> AutoJoin.NONE;
                case "other" -> AutoJoin.OTHER;
                case "any" -> AutoJoin.ANY;
                default -> throw error(line, "Invalid autojoin directive [" + v + "]");
            };
            case "msgfmt" -> msgfmt = switch (v) {
                case "classic" -> MessageFormat.CLASSIC;
                case "netstring" -> MessageFormat.NETSTRING;
                default -> throw error(line, "Invalid msgfmt [" + v + "] (classic or netstring)");
            };
            case "realtime" -> realtime = bool(line, directive, v);
            case "debug" -> {
                debug = HaCfValues.smallInt(v);
                if (debug < 0 || debug > 255) {
                    throw error(line, "Invalid debug level [" + v + "] (0 to 255)");
                }
            }
            case "bcast", "udp" -> {
                if (directive.equals("udp")) {
                    notice(line, directive, "WARNING: directive 'udp' replaced by 'bcast'");
                }
                udpMediaSeen = true;
                addMedium(line, new MediumConfig.Bcast(v));
            }
            case "ping" -> addMedium(line, new MediumConfig.Ping(v));
            default -> noticedOption(line, directive, v);
        }
    }

    /** heartbeat maps nice_failback to 'off' only when an earlier auto_failback on/off set it; else to legacy. */
    private void niceFailback(int line, String v) {
        bool(line, "nice_failback", v);
        String text = "nice_failback flag is obsolete. Use auto_failback {on, off, legacy} instead.";
        if (failback != FailbackMode.LEGACY) {
            failback = FailbackMode.OFF;
            text += " 'nice_failback " + v + "' has been changed to 'auto_failback off'";
        } else {
            failback = FailbackMode.LEGACY;
            text += " nice_failback " + v + " has been strictly interpreted as 'auto_failback legacy'";
        }
        notice(line, "nice_failback", text);
    }

    private void noticedOption(int line, String directive, String v) {
        if (BOOLEAN_NOTICED.contains(directive)) {
            bool(line, directive, v);
        }
        switch (directive) {
            case "crm", "pacemaker" -> {
                Optional<Boolean> b = HaCfValues.bool(v);
                if (b.isEmpty() && !Set.of("respawn", "minimal", "manual", "valgrind", "ccm-only")
                        .contains(v.toLowerCase(Locale.ROOT))) {
                    throw error(line, "Invalid " + directive + " value [" + v + "]");
                }
                if (b.isEmpty() || b.get()) {
                    throw error(line, "'" + directive + " " + v + "' enables Pacemaker; Tandem runs only heartbeat's"
                            + " v1 (haresources) resource management");
                }
            }
            case "hopfudge" -> {
                int h = HaCfValues.smallInt(v);
                if (h < 0 || h > 255) {
                    throw error(line, "Invalid hopfudge [" + v + "] (0 to 255)");
                }
            }
            case "hbgenmethod" -> {
                if (!v.equals("file") && !v.equals("time")) {
                    throw error(line, "Illegal hb generation method [" + v + "]");
                }
            }
            case "uuidfrom" -> {
                if (!v.equals("file") && !v.equals("nodename")) {
                    throw error(line, "Invalid uuidfrom directive [" + v + "]");
                }
            }
            case "compression_threshold" -> {
                if (HaCfValues.smallInt(v) <= 0) {
                    throw error(line, "compress_threshhold(" + v + ") invalid");
                }
            }
            case "serial", "baud" -> {
                if (directive.equals("baud") && serialSeen) {
                    throw error(line, "baudrate setting must precede media statements");
                }
                serialSeen |= directive.equals("serial");
            }
            default -> {
                // accepted as written: the notice says it is not acted on
            }
        }
    }

    private long time(int line, String directive, String v) {
        OptionalLong ms = TimeValue.parseMs(v);
        if (ms.isEmpty()) {
            throw error(line, "Invalid " + directive + " [" + v + "]: heartbeat takes seconds (2, 1.5)"
                    + " or milliseconds (500ms)");
        }
        return ms.getAsLong();
    }

    private boolean bool(int line, String directive, String v) {
        return HaCfValues.bool(v).orElseThrow(() -> error(line, "Invalid " + directive + " value [" + v
                + "] (true/on/yes/y/1 or false/off/no/n/0)"));
    }

    /** A medium, and its line under the key of its own text ({@code bcast eth1}), for messages about it. */
    private void addMedium(int line, MediumConfig m) {
        media.add(m);
        lines.putIfAbsent(m.line(), line);
    }

    private void notice(int line, String directive, String text) {
        notices.putIfAbsent(directive, new Notice(file, line, directive, directive + ": " + text));
    }

    /** tandem.cf beside this ha.cf. */
    private String tandemCf() {
        int slash = file.lastIndexOf('/');
        return slash < 0 ? TandemCf.FILE : file.substring(0, slash + 1) + TandemCf.FILE;
    }

    private ConfigException error(int line, String text) {
        return new ConfigException(file, line, text);
    }

    HaCf build() {
        long warn = warntime > 0 ? warntime : deadtime / 2;
        long init = initdead >= 0 ? initdead : HaCf.derivedInitdeadMs(deadtime);
        long ping = deadping >= 0 ? deadping : deadtime;
        FailbackMode mode = failbackWritten ? failback : FailbackMode.LEGACY;
        return new HaCf(logfile, debugfile, logfacility, keepalive, deadtime, warn, init, ping, udpport, media, nodes,
                mode, msgfmt, respawns, autojoin, realtime, debug, List.copyOf(notices.values()),
                new HaCf.Source(file, lines), new FencingConfig(stonith));
    }
}
