package io.tandem.daemon.metrics;

/**
 * Prometheus' text exposition format 0.0.4 (what {@code promtool check metrics} reads): one
 * {@code # HELP} and {@code # TYPE} line per family, then its samples, {@code name{label="value"} value}.
 * Label values and help texts are escaped as the format says ({@code \\}, {@code \"}, {@code \n});
 * other control characters and unpaired surrogates (in a peer's node name, a link, a group) become
 * U+FFFD, so a hostile name can neither end a line nor add a label or a sample. (Values are not cut:
 * two long names cut alike would make one series twice; every name comes from the configuration or
 * is bounded where it enters.) Names and label names are this package's constants. Not thread-safe:
 * one per rendering.
 */
final class ExpositionWriter {
    /** The content type of this format, for an HTTP server's {@code /metrics}. */
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final StringBuilder out = new StringBuilder(4096);
    private final java.util.Set<String> families = new java.util.HashSet<>();

    private String pending = "";

    /**
     * Starts a family: {@code type} is {@code gauge}, {@code counter} or {@code histogram}. Its
     * {@code # HELP} and {@code # TYPE} lines are written with its first sample (a family without
     * samples is left out); its samples follow before the next family starts.
     */
    ExpositionWriter family(String name, String type, String help) {
        if (!families.add(name)) {
            throw new IllegalStateException("metric family " + name + " written twice");
        }
        StringBuilder header = new StringBuilder();
        header.append("# HELP ").append(name).append(' ');
        for (int i = 0; i < help.length(); i++) {
            char c = help.charAt(i);
            if (c == '\\') {
                header.append("\\\\");
            } else if (c == '\n') {
                header.append("\\n");
            } else {
                header.append(c);
            }
        }
        header.append('\n').append("# TYPE ").append(name).append(' ').append(type).append('\n');
        pending = header.toString();
        return this;
    }

    /** A sample with an integer value; {@code labels} are name, value pairs. */
    ExpositionWriter sample(String name, long value, String... labels) {
        return sample(name, Long.toString(value), labels);
    }

    /** A sample with a real value (NaN and the infinities as the format spells them). */
    ExpositionWriter sample(String name, double value, String... labels) {
        return sample(name, number(value), labels);
    }

    private ExpositionWriter sample(String name, String value, String... labels) {
        out.append(pending);
        pending = "";
        out.append(name);
        if (labels.length > 0) {
            out.append('{');
            for (int i = 0; i + 1 < labels.length; i += 2) {
                if (i > 0) {
                    out.append(',');
                }
                out.append(labels[i]).append("=\"");
                escape(labels[i + 1]);
                out.append('"');
            }
            out.append('}');
        }
        out.append(' ').append(value).append('\n');
        return this;
    }

    static String number(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return Double.toString(v);
    }

    private void escape(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\') {
                out.append("\\\\");
            } else if (c == '"') {
                out.append("\\\"");
            } else if (c == '\n') {
                out.append("\\n");
            } else if (c < 0x20 || c == 0x7f || Character.isSurrogate(c) && !pairedAt(value, i)) {
                out.append('\uFFFD');
            } else {
                out.append(c);
            }
        }
    }

    /** A high surrogate followed by a low one, or a low one after a high one (a whole code point). */
    private static boolean pairedAt(String s, int i) {
        char c = s.charAt(i);
        return Character.isHighSurrogate(c) ? i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))
                : i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
    }

    String text() {
        return out.toString();
    }
}
