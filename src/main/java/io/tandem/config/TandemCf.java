package io.tandem.config;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * {@code /etc/ha.d/tandem.cf}: Tandem's own settings, kept out of ha.cf because heartbeat 3.0.6 refuses
 * an ha.cf with a directive it does not know ({@code Illegal directive [x] in /etc/ha.d/ha.cf},
 * {@code Heartbeat not started: configuration error.}), so that a node rolled back from Tandem to
 * heartbeat starts with the same /etc/ha.d. Heartbeat never reads this file; without it the defaults
 * apply ({@link #DEFAULTS}). Read by {@link TandemCfParser}; see docs/configuration.md.
 *
 * @param file                   where it was read from, or null when there is no such file
 * @param pingTiebreak           {@code ping_tiebreak on|off}: the ping-node tiebreak (acts only with ping nodes)
 * @param stonithFailureTakeover {@code stonith_failure_takeover yes|no}: take a dead peer's groups after a failed fence (unsafe)
 * @param fenceDelayMs           {@code fence_delay T}: how long a node that is not the home node of the first group
 *                               waits before it fences (0: at once, risking both nodes shooting each other)
 * @param stonithCheckMs         {@code stonith_check_interval T}: how often the fence device's status is asked
 *                               ({@code stonith -S}); 0: never
 * @param lines                  the line each directive was written on
 * @param logIdent               {@code log_ident NAME}: the name the daemon's own log lines carry ({@code heartbeat}, as
 *                               heartbeat's, so existing log parsers match; {@code tandem} tells the two apart)
 * @param http                   the HTTP API's {@code http_*} settings ({@link HttpApiCf#OFF} unless {@code http_listen} is given)
 * @param hooks                  {@code notify}, {@code notify_dir}, {@code notify_timeout}: the notify hooks ({@link NotifyCf})
 * @param warm                   {@code resource NAME warm}: the resources (as written in haresources, or a script name)
 *                               that may run on both nodes and are kept running on the standby node too
 *                               (docs/configuration.md; checked against haresources by {@link ResourceModes})
 * @param mayRunTwice            {@code resource NAME may-run-twice}: the resources that may run on both nodes for the time of
 *                               a planned move (make-before-break) but are not kept on the standby node
 */
public record TandemCf(String file, boolean pingTiebreak, boolean stonithFailureTakeover, long fenceDelayMs, long stonithCheckMs,
                       Map<String, Integer> lines, String logIdent, HttpApiCf http, NotifyCf hooks, java.util.List<String> warm,
                       java.util.List<String> mayRunTwice) {
    public static final String FILE = "tandem.cf";
    public static final long DEFAULT_FENCE_DELAY_MS = 10_000;
    public static final long DEFAULT_STONITH_CHECK_MS = 60_000;
    /** No tandem.cf: the tiebreak on, no takeover after a failed fence, a 10 s fence delay, the device checked every minute. */
    public static final TandemCf DEFAULTS = new TandemCf(null, true, false, DEFAULT_FENCE_DELAY_MS, DEFAULT_STONITH_CHECK_MS, Map.of());
    /** heartbeat's log ident, the default. */
    public static final String HEARTBEAT_IDENT = "heartbeat";
    /** What a log ident may be: it goes into every log line and syslog datagram. */
    public static final String IDENT_PATTERN = "[A-Za-z0-9_.-]{1,32}";

    /** With heartbeat's log ident. */
    public TandemCf(String file, boolean pingTiebreak, boolean stonithFailureTakeover, long fenceDelayMs, long stonithCheckMs,
                    Map<String, Integer> lines) {
        this(file, pingTiebreak, stonithFailureTakeover, fenceDelayMs, stonithCheckMs, lines, HEARTBEAT_IDENT);
    }

    /** Without may-run-twice resources. */
    public TandemCf(String file, boolean pingTiebreak, boolean stonithFailureTakeover, long fenceDelayMs, long stonithCheckMs,
                    Map<String, Integer> lines, String logIdent, HttpApiCf http, NotifyCf hooks, java.util.List<String> warm) {
        this(file, pingTiebreak, stonithFailureTakeover, fenceDelayMs, stonithCheckMs, lines, logIdent, http, hooks, warm, java.util.List.of());
    }

    /** Without warm resources. */
    public TandemCf(String file, boolean pingTiebreak, boolean stonithFailureTakeover, long fenceDelayMs, long stonithCheckMs,
                    Map<String, Integer> lines, String logIdent, HttpApiCf http, NotifyCf hooks) {
        this(file, pingTiebreak, stonithFailureTakeover, fenceDelayMs, stonithCheckMs, lines, logIdent, http, hooks, java.util.List.of());
    }

    /** Without the HTTP API and notify hooks. */
    public TandemCf(String file, boolean pingTiebreak, boolean stonithFailureTakeover, long fenceDelayMs, long stonithCheckMs,
                    Map<String, Integer> lines, String logIdent) {
        this(file, pingTiebreak, stonithFailureTakeover, fenceDelayMs, stonithCheckMs, lines, logIdent, HttpApiCf.OFF, NotifyCf.NONE);
    }

    /** Without notify hooks. */
    public TandemCf(String file, boolean pingTiebreak, boolean stonithFailureTakeover, long fenceDelayMs, long stonithCheckMs,
                    Map<String, Integer> lines, String logIdent, HttpApiCf http) {
        this(file, pingTiebreak, stonithFailureTakeover, fenceDelayMs, stonithCheckMs, lines, logIdent, http, NotifyCf.NONE);
    }

    /** Without the HTTP API. */
    public TandemCf(String file, boolean pingTiebreak, boolean stonithFailureTakeover, long fenceDelayMs, long stonithCheckMs,
                    Map<String, Integer> lines, String logIdent, NotifyCf hooks) {
        this(file, pingTiebreak, stonithFailureTakeover, fenceDelayMs, stonithCheckMs, lines, logIdent, HttpApiCf.OFF, hooks);
    }

    public TandemCf {
        Objects.requireNonNull(lines, "lines");
        Objects.requireNonNull(http, "http");
        Objects.requireNonNull(hooks, "hooks");
        warm = java.util.List.copyOf(warm);
        mayRunTwice = java.util.List.copyOf(mayRunTwice);
        if (!logIdent.matches(IDENT_PATTERN)) {
            throw new IllegalArgumentException("bad log ident: " + logIdent);
        }
        lines = java.util.Collections.unmodifiableMap(new TreeMap<>(lines));
        if (fenceDelayMs < 0 || stonithCheckMs < 0) {
            throw new IllegalArgumentException("negative tandem.cf time: " + fenceDelayMs + " " + stonithCheckMs);
        }
    }

    /** The line a directive was written on, 0 if it was not written. */
    public int lineOf(String directive) {
        return lines.getOrDefault(directive, 0);
    }

    /** The file name for findings: the file read, or the usual place when there is none. */
    public String fileOr(String fallback) {
        return file == null ? fallback : file;
    }

    /** The line of {@code resource NAME warm} or {@code resource NAME may-run-twice}, 0 if there is none. */
    public int lineOfResource(String name) {
        return lineOf("resource " + name);
    }

    /**
     * The same settings without the file and lines (and the log ident and the warm resources, which need
     * a restart): what a reload applies.
     */
    public TandemCf settings() {
        return new TandemCf(null, pingTiebreak, stonithFailureTakeover, fenceDelayMs, stonithCheckMs, Map.of(), HEARTBEAT_IDENT, hooks);
    }
}
