package io.tandem.config;

/** The severity of a log line: syslog's priorities, with the words heartbeat writes for them in its log files. One type for the core's log effects and the daemon's log. */
public enum Severity {
    EMERG("EMERG"), ALERT("ALERT"), CRIT("CRIT"), ERROR("ERROR"), WARN("WARN"), NOTICE("notice"), INFO("info"), DEBUG("debug");

    private final String word;

    Severity(String word) {
        this.word = word;
    }

    /** The word in heartbeat's log line ({@code info}, {@code WARN}, ...). */
    public String word() {
        return word;
    }

    /** The syslog priority number (0 = emerg ... 7 = debug). */
    public int syslogPriority() {
        return ordinal();
    }
}
