package io.tandem.config;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses {@code tandem-monitor.cf}. One directive per line, {@code #} starts a comment:
 * <pre>
 * monitoring on|off
 * defaults [interval=T] [timeout=T] [threshold=N] [failure_timeout=T]
 * resource NAME [interval=T] [timeout=T] [threshold=N] [failure_timeout=T]
 * </pre>
 * NAME is a resource exactly as written in haresources or its script name ({@code apache2},
 * {@code IPaddr}). T is a number with a unit {@code ms}, {@code s}, {@code min} or {@code h}
 * (a bare number is seconds, as in ha.cf); {@code interval=0} turns checking off for that resource.
 * Every error names the file and line.
 */
public final class MonitorCfParser {
    private static final Pattern TIME = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|sec|min|m|h)?");
    private static final String OPTIONS = "interval, timeout, threshold, failure_timeout";

    private MonitorCfParser() {
    }

    public static MonitorCf parse(String file, String text) {
        boolean enabled = true;
        int monitoringLine = 0;
        int defaultsLine = 0;
        MonitorCf.Entry defaults = null;
        List<MonitorCf.Entry> entries = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            int no = i + 1;
            String line = lines[i];
            int hash = line.indexOf('#');
            if (hash >= 0) {
                line = line.substring(0, hash);
            }
            String[] words = line.trim().split("[ \t]+");
            if (words.length == 1 && words[0].isEmpty()) {
                continue;
            }
            String directive = words[0].toLowerCase(Locale.ROOT);
            switch (directive) {
                case "monitoring":
                    if (monitoringLine > 0) {
                        throw new ConfigException(file, no, "'monitoring' given twice (first on line " + monitoringLine + ")");
                    }
                    monitoringLine = no;
                    if (words.length != 2 || !(words[1].equals("on") || words[1].equals("off"))) {
                        throw new ConfigException(file, no, "'monitoring' takes one word: on or off");
                    }
                    enabled = words[1].equals("on");
                    break;
                case "defaults":
                    if (defaultsLine > 0) {
                        throw new ConfigException(file, no, "'defaults' given twice (first on line " + defaultsLine + ")");
                    }
                    defaultsLine = no;
                    defaults = options(file, no, "defaults", words, 1);
                    break;
                case "resource":
                    if (words.length < 2) {
                        throw new ConfigException(file, no, "'resource' needs a resource name (as in haresources, or its script name)");
                    }
                    if (words[1].contains("=")) {
                        throw new ConfigException(file, no, "'resource' needs a resource name before the options, not '" + words[1] + "'");
                    }
                    if (!names.add(words[1])) {
                        throw new ConfigException(file, no, "resource " + words[1] + " is configured twice");
                    }
                    entries.add(options(file, no, words[1], words, 2));
                    break;
                default:
                    throw new ConfigException(file, no, "unknown directive '" + words[0] + "' (monitoring, defaults, resource)");
            }
        }
        MonitorCf.Settings d = defaults == null ? MonitorCf.DEFAULTS : defaults.over(MonitorCf.DEFAULTS);
        MonitorCf cf = new MonitorCf(file, enabled, d, entries);
        for (MonitorCf.Entry e : entries) {
            validate(file, e.line(), e.over(d));
        }
        if (defaults != null) {
            validate(file, defaults.line(), d);
        }
        return cf;
    }

    private static MonitorCf.Entry options(String file, int no, String name, String[] words, int from) {
        Long interval = null;
        Long timeout = null;
        Integer threshold = null;
        Long failureTimeout = null;
        for (int i = from; i < words.length; i++) {
            String w = words[i];
            int eq = w.indexOf('=');
            if (eq <= 0 || eq == w.length() - 1) {
                throw new ConfigException(file, no, "'" + w + "' is not option=value (" + OPTIONS + ")");
            }
            String key = w.substring(0, eq).toLowerCase(Locale.ROOT);
            String value = w.substring(eq + 1);
            switch (key) {
                case "interval":
                    interval = time(file, no, key, value);
                    break;
                case "timeout":
                    timeout = time(file, no, key, value);
                    break;
                case "failure_timeout":
                    failureTimeout = time(file, no, key, value);
                    break;
                case "threshold":
                    if (!value.matches("\\d{1,6}")) {
                        throw new ConfigException(file, no, "threshold must be a whole number of failures, not '" + value + "'");
                    }
                    threshold = Integer.parseInt(value);
                    break;
                default:
                    throw new ConfigException(file, no, "unknown option '" + key + "' (" + OPTIONS + ")");
            }
        }
        return new MonitorCf.Entry(name, no, Optional.ofNullable(interval), Optional.ofNullable(timeout), Optional.ofNullable(threshold),
                Optional.ofNullable(failureTimeout));
    }

    private static void validate(String file, int no, MonitorCf.Settings s) {
        if (s.timeoutMs() <= 0) {
            throw new ConfigException(file, no, "timeout must be more than 0");
        }
        if (s.threshold() < 1) {
            throw new ConfigException(file, no, "threshold must be at least 1");
        }
        if (s.failureTimeoutMs() <= 0) {
            throw new ConfigException(file, no, "failure_timeout must be more than 0");
        }
        if (s.intervalMs() > 0 && s.intervalMs() < 100) {
            throw new ConfigException(file, no, "interval " + s.intervalMs() + "ms is too short (at least 100ms, or 0 for no checks)");
        }
    }

    /** {@code 10}, {@code 10s}, {@code 500ms}, {@code 10min}, {@code 1h}, {@code 1.5s}. */
    static long time(String file, int no, String key, String value) {
        Matcher m = TIME.matcher(value.toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new ConfigException(file, no, key + " must be a time such as 10s, 500ms, 10min or 1h, not '" + value + "'");
        }
        double n = Double.parseDouble(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        double ms;
        switch (unit) {
            case "ms":
                ms = n;
                break;
            case "min":
            case "m":
                ms = n * 60_000;
                break;
            case "h":
                ms = n * 3_600_000;
                break;
            default:
                ms = n * 1000;
                break;
        }
        if (ms > Integer.MAX_VALUE) {
            throw new ConfigException(file, no, key + " " + value + " is too long (at most 24 days)");
        }
        return Math.round(ms);
    }
}
