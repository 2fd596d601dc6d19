package io.tandem.config;

import java.util.List;
import java.util.Objects;

/**
 * A configuration file is wrong. Names the file and the line (0 when the error is about the whole
 * file); the text uses heartbeat 3.0.6's wording where heartbeat has one.
 */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String file;
    private final int line;
    private final String text;
    private final List<ConfigException> all;

    public ConfigException(String file, int line, String text) {
        super(format(file, line, text));
        this.file = Objects.requireNonNull(file, "file");
        this.line = line;
        this.text = Objects.requireNonNull(text, "text");
        this.all = List.of(this);
    }

    private ConfigException(List<ConfigException> errors) {
        super(errors.get(0).getMessage());
        ConfigException first = errors.get(0);
        this.file = first.file;
        this.line = first.line;
        this.text = first.text;
        this.all = List.copyOf(errors);
    }

    /**
     * Several errors found in one pass (a parser goes on after a bad line, so that the operator sees
     * every mistake at once): file, line and text are the first one's, {@link #errors()} lists all.
     *
     * @param errors at least one; an error that itself holds several contributes each of them
     */
    public static ConfigException of(List<ConfigException> errors) {
        List<ConfigException> flat = new java.util.ArrayList<>();
        for (ConfigException e : errors) {
            flat.addAll(e.errors());
        }
        if (flat.isEmpty()) {
            throw new IllegalArgumentException("no errors");
        }
        return flat.size() == 1 ? flat.get(0) : new ConfigException(flat);
    }

    /** Every error this exception stands for, in file order (just this one, usually). */
    public List<ConfigException> errors() {
        return all;
    }

    /** {@code file:line: text}, or {@code file: text} when there is no line. */
    public static String format(String file, int line, String text) {
        return line > 0 ? file + ":" + line + ": " + text : file + ": " + text;
    }

    public String file() {
        return file;
    }

    /** The 1-based line, or 0 when the error concerns the whole file. */
    public int line() {
        return line;
    }

    /** The message without the file and line. */
    public String text() {
        return text;
    }
}
