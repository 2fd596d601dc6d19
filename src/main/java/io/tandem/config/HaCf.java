package io.tandem.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The parsed ha.cf (docs/protocol.md 4.1, 10): every value Tandem acts on, with heartbeat's defaults and
 * derived values already applied (times in milliseconds). {@code notices} lists the directives that
 * were accepted but are not acted on; {@code source} remembers the file and where each directive was
 * last written, for findings that point at a line.
 */
public record HaCf(
        Optional<String> logfile,
        Optional<String> debugfile,
        Optional<String> logfacility,
        long keepaliveMs,
        long deadtimeMs,
        long warntimeMs,
        long initdeadMs,
        long deadpingMs,
        int udpport,
        List<MediumConfig> media,
        List<String> nodes,
        FailbackMode autoFailback,
        MessageFormat msgfmt,
        List<Respawn> respawns,
        AutoJoin autojoin,
        boolean realtime,
        int debugLevel,
        List<Notice> notices,
        Source source,
        FencingConfig fencing) {

    public static final long DEFAULT_KEEPALIVE_MS = 1000;
    public static final long DEFAULT_DEADTIME_MS = 30000;
    public static final int DEFAULT_UDPPORT = 694;

    /** Without STONITH devices. */
    public HaCf(Optional<String> logfile, Optional<String> debugfile, Optional<String> logfacility, long keepaliveMs,
            long deadtimeMs, long warntimeMs, long initdeadMs, long deadpingMs, int udpport, List<MediumConfig> media,
            List<String> nodes, FailbackMode autoFailback, MessageFormat msgfmt, List<Respawn> respawns, AutoJoin autojoin,
            boolean realtime, int debugLevel, List<Notice> notices, Source source) {
        this(logfile, debugfile, logfacility, keepaliveMs, deadtimeMs, warntimeMs, initdeadMs, deadpingMs, udpport, media,
                nodes, autoFailback, msgfmt, respawns, autojoin, realtime, debugLevel, notices, source, FencingConfig.NONE);
    }

    /** Where the model came from: the file name and the line each directive was last written on. */
    public record Source(String file, Map<String, Integer> lines) {
        public Source {
            Objects.requireNonNull(file, "file");
            lines = java.util.Collections.unmodifiableMap(new TreeMap<>(lines));
        }
    }

    public HaCf {
        Objects.requireNonNull(logfile, "logfile");
        Objects.requireNonNull(debugfile, "debugfile");
        Objects.requireNonNull(logfacility, "logfacility");
        Objects.requireNonNull(autoFailback, "autoFailback");
        Objects.requireNonNull(msgfmt, "msgfmt");
        Objects.requireNonNull(autojoin, "autojoin");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(fencing, "fencing");
        media = List.copyOf(media);
        nodes = List.copyOf(nodes);
        respawns = List.copyOf(respawns);
        notices = List.copyOf(notices);
    }

    /** initdead as heartbeat derives it when not given: deadtime if over 10 s, 12 s if under 6 s, else twice deadtime. */
    public static long derivedInitdeadMs(long deadtimeMs) {
        if (deadtimeMs > 10000) {
            return deadtimeMs;
        }
        return deadtimeMs < 6000 ? 12000 : 2 * deadtimeMs;
    }

    /** The line a directive was last written on, 0 if it was not written (a default or derived value). */
    public int lineOf(String directive) {
        return source.lines().getOrDefault(directive, 0);
    }

    /** The line of the first heartbeat medium written (bcast, mcast, ucast), 0 if none was. */
    public int firstMediaLine() {
        int line = 0;
        for (String d : List.of("bcast", "mcast", "ucast")) {
            int l = lineOf(d);
            if (l > 0 && (line == 0 || l < line)) {
                line = l;
            }
        }
        return line;
    }

    /** Whether the directive was written in the file (as opposed to defaulted or derived). */
    public boolean isExplicit(String directive) {
        return source.lines().containsKey(directive);
    }

    /** The ping node names: each {@code ping} host and each {@code ping_group} name. */
    public List<String> pingNodes() {
        List<String> out = new ArrayList<>();
        for (MediumConfig m : media) {
            if (m instanceof MediumConfig.Ping p) {
                out.add(p.host());
            } else if (m instanceof MediumConfig.PingGroup g) {
                out.add(g.name());
            }
        }
        return out;
    }

    /** Whether {@code name} is a {@code node} (case-insensitive, as heartbeat lower-cases node names). */
    public boolean hasNode(String name) {
        return nodes.contains(name.toLowerCase(java.util.Locale.ROOT));
    }

    /** The same settings without notices and source lines: what print-then-parse must preserve. */
    public HaCf withoutSource() {
        return new HaCf(logfile, debugfile, logfacility, keepaliveMs, deadtimeMs, warntimeMs, initdeadMs, deadpingMs,
                udpport, media, nodes, autoFailback, msgfmt, respawns, autojoin, realtime, debugLevel, List.of(),
                new Source(source.file(), Map.of()), fencing.withoutLines());
    }
}
