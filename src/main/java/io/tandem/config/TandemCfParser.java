package io.tandem.config;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads {@code tandem.cf} ({@link TandemCf}) in ha.cf's style: one directive and its value per line,
 * {@code #} starts a comment anywhere, blanks separate. Booleans as ha.cf takes them (on/off, yes/no,
 * true/false, y/n, 1/0); times as a number of seconds ({@code 10}, {@code 1.5}) or with a unit
 * ({@code 500ms}, {@code 10s}, {@code 2min}). Unknown directives, a directive given twice and values out
 * of range are errors naming the file and line.
 */
public final class TandemCfParser {
    private static final java.util.List<String> DIRECTIVES = java.util.List.of("ping_tiebreak", "stonith_failure_takeover",
            "fence_delay", "stonith_check_interval", "log_ident", "http_listen", "http_token_file", "http_tls_cert", "http_tls_key",
            "notify", "notify_dir", "notify_timeout", "http_peer", "http_peer_ca", "resource");
    /** The modes a {@code resource} line may give. */
    static final String WARM = "warm";
    static final String MAY_RUN_TWICE = "may-run-twice";
    /** At most this many {@code resource} lines (hostile input: a bound; a real file has a handful). */
    static final int MAX_RESOURCES = 256;
    static final String KNOWN = String.join(", ", DIRECTIVES);
    private static final Pattern TIME = Pattern.compile("(\\d{1,9}(?:\\.\\d{1,3})?)(ms|s|min)?");
    /** At most 5 minutes: a longer wait only delays the takeover after a real crash. */
    static final long MAX_FENCE_DELAY_MS = 300_000;
    static final long MIN_CHECK_MS = 1_000;
    static final long MAX_CHECK_MS = 86_400_000;
    static final long MAX_NOTIFY_TIMEOUT_MS = 600_000;
    /** At most this many {@code notify} lines. */
    static final int MAX_NOTIFY = 32;

    private TandemCfParser() {
    }

    public static TandemCf parse(String file, String text) {
        boolean tiebreak = TandemCf.DEFAULTS.pingTiebreak();
        boolean failureTakeover = TandemCf.DEFAULTS.stonithFailureTakeover();
        long fenceDelay = TandemCf.DEFAULTS.fenceDelayMs();
        long check = TandemCf.DEFAULTS.stonithCheckMs();
        String ident = TandemCf.DEFAULTS.logIdent();
        java.util.List<String> notify = new java.util.ArrayList<>();
        String notifyDir = "";
        long notifyTimeout = NotifyCf.DEFAULT_TIMEOUT_MS;
        Map<String, Integer> lines = new HashMap<>();
        Map<String, String> http = new HashMap<>();
        java.util.List<String> warm = new java.util.ArrayList<>();
        java.util.List<String> twice = new java.util.ArrayList<>();
        String[] all = text.split("\n", -1);
        for (int i = 0; i < all.length; i++) {
            int no = i + 1;
            String line = all[i];
            int hash = line.indexOf('#');
            String[] w = (hash >= 0 ? line.substring(0, hash) : line).strip().split("[ \t\r\f]+");
            if (w.length == 1 && w[0].isEmpty()) {
                continue;
            }
            String directive = w[0].toLowerCase(Locale.ROOT);
            if (!DIRECTIVES.contains(directive)) {
                throw new ConfigException(file, no, "unknown directive '" + w[0] + "' (known: " + KNOWN + ")");
            }
            if (directive.equals("resource")) {
                (w.length == 3 && w[2].equalsIgnoreCase(MAY_RUN_TWICE) ? twice : warm).add(resource(file, no, w, lines));
                continue;
            }
            Integer first = lines.putIfAbsent(directive, no);
            if (first != null && !directive.equals("notify")) {
                throw new ConfigException(file, no, "'" + directive + "' given twice (first on line " + first + ")");
            }
            if (directive.equals("http_peer")) {
                if (w.length != 3) {
                    throw new ConfigException(file, no, "'http_peer' takes a node name and a URL (http_peer node2 https://192.0.2.2:8694)");
                }
                HttpPeerCfParser.node(file, no, w[1]);
                HttpPeerCfParser.url(file, no, w[2]);
                http.put("http_peer", w[1] + " " + w[2]);
                continue;
            }
            if (w.length != 2) {
                throw new ConfigException(file, no, "'" + directive + "' takes one value");
            }
            switch (directive) {
                case "ping_tiebreak" -> tiebreak = bool(file, no, directive, w[1]);
                case "stonith_failure_takeover" -> failureTakeover = bool(file, no, directive, w[1]);
                case "fence_delay" -> fenceDelay = time(file, no, directive, w[1], 0, MAX_FENCE_DELAY_MS, false);
                case "stonith_check_interval" -> check = time(file, no, directive, w[1], MIN_CHECK_MS, MAX_CHECK_MS, true);
                case "log_ident" -> ident = ident(file, no, w[1]);
                case "http_listen", "http_token_file", "http_tls_cert", "http_tls_key", "http_peer_ca" ->
                        http.put(directive, HttpApiCfParser.value(file, no, directive, w[1]));
                case "notify" -> {
                    if (notify.size() >= MAX_NOTIFY) {
                        throw new ConfigException(file, no, "at most " + MAX_NOTIFY + " 'notify' lines (use notify_dir for more)");
                    }
                    notify.add(absolute(file, no, directive, w[1]));
                }
                case "notify_dir" -> notifyDir = absolute(file, no, directive, w[1]);
                case "notify_timeout" -> notifyTimeout = time(file, no, directive, w[1], MIN_CHECK_MS, MAX_NOTIFY_TIMEOUT_MS, false);
                default -> throw new IllegalStateException(directive);
            }
        }
        return new TandemCf(file, tiebreak, failureTakeover, fenceDelay, check, lines, ident, HttpApiCfParser.of(file, http, lines),
                new NotifyCf(notify, notifyDir, notifyTimeout), warm, twice);
    }

    /** A hook's path: absolute, without {@code ..}, printable (it is run without a shell, and named in the log). */
    private static String absolute(String file, int no, String directive, String v) {
        if (!v.startsWith("/") || v.length() > 4096 || java.util.Arrays.asList(v.split("/")).contains("..")
                || !v.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new ConfigException(file, no, "Invalid " + directive + " [" + v + "]: an absolute path (no '..', no blanks)");
        }
        return v;
    }

    /** {@code resource NAME warm} or {@code resource NAME may-run-twice}: the name; its line is kept under {@code "resource NAME"}. */
    private static String resource(String file, int no, String[] w, Map<String, Integer> lines) {
        if (w.length != 3) {
            throw new ConfigException(file, no, "'resource' takes a resource name and a mode: resource NAME warm"
                    + " or resource NAME may-run-twice (NAME as written in haresources, or its script name)");
        }
        String mode = w[2].toLowerCase(Locale.ROOT);
        if (!mode.equals(WARM) && !mode.equals(MAY_RUN_TWICE)) {
            throw new ConfigException(file, no, "Invalid resource mode [" + w[2] + "] for " + w[1] + ": the modes are '" + WARM
                    + "' (the resource may run on both nodes and is kept running on the standby node too) and '" + MAY_RUN_TWICE
                    + "' (it may run on both nodes while a planned move makes it on the taker before it breaks it on the giver)");
        }
        Integer first = lines.putIfAbsent("resource " + w[1], no);
        if (first != null) {
            throw new ConfigException(file, no, "resource " + w[1] + " given twice (first on line " + first + ")");
        }
        if (lines.keySet().stream().filter(k -> k.startsWith("resource ")).count() > MAX_RESOURCES) {
            throw new ConfigException(file, no, "more than " + MAX_RESOURCES + " resource lines");
        }
        return w[1];
    }

    private static String ident(String file, int no, String v) {
        if (!v.matches(TandemCf.IDENT_PATTERN)) {
            throw new ConfigException(file, no, "Invalid log_ident [" + v + "]: 1 to 32 letters, digits, '_', '.' or '-'");
        }
        return v;
    }

    private static boolean bool(String file, int no, String directive, String v) {
        Optional<Boolean> b = HaCfValues.bool(v);
        if (b.isEmpty()) {
            throw new ConfigException(file, no, "Invalid " + directive + " value [" + v + "] (on/yes/true or off/no/false)");
        }
        return b.get();
    }

    /** A time in ms within [min, max]; {@code zeroOff}: 0 is allowed too (off). */
    private static long time(String file, int no, String directive, String v, long min, long max, boolean zeroOff) {
        Matcher m = TIME.matcher(v.toLowerCase(Locale.ROOT));
        String range = (zeroOff ? "0 (off) or " : "") + format(min) + " to " + format(max);
        if (!m.matches()) {
            throw new ConfigException(file, no, "Invalid " + directive + " [" + v + "]: a time from " + range
                    + " (10 or 10s: seconds, 500ms, 2min)");
        }
        double n = Double.parseDouble(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        long ms = Math.round(n * switch (unit) {
            case "ms" -> 1;
            case "min" -> 60_000;
            default -> 1_000;
        });
        if (!(zeroOff && ms == 0) && (ms < min || ms > max)) {
            throw new ConfigException(file, no, "Invalid " + directive + " [" + v + "]: a time from " + range);
        }
        return ms;
    }

    private static String format(long ms) {
        if (ms == 0) {
            return "0";
        }
        if (ms % 3_600_000 == 0) {
            return ms / 3_600_000 + " h";
        }
        if (ms % 60_000 == 0 && ms >= 60_000) {
            return ms / 60_000 + " min";
        }
        return ms % 1000 == 0 ? ms / 1000 + " s" : ms + " ms";
    }
}
