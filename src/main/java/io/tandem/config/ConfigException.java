package io.tandem.config;

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

    public ConfigException(String file, int line, String text) {
        super(format(file, line, text));
        this.file = Objects.requireNonNull(file, "file");
        this.line = line;
        this.text = Objects.requireNonNull(text, "text");
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
