package io.tandem.resources;

/** Priority of a log line, in heartbeat's words. */
public enum LogLevel {
    CRIT("CRIT"), ERROR("ERROR"), WARN("WARN"), INFO("info"), DEBUG("debug");

    private final String word;

    LogLevel(String word) {
        this.word = word;
    }

    public String word() {
        return word;
    }
}
