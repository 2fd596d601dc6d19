package io.tandem.cli;

import java.util.List;

/** The argument of standby/takeover: heartbeat's {@code all|local|foreign|failback}. */
final class ResourceSet {
    static final List<String> WORDS = List.of("all", "local", "foreign", "failback");

    private ResourceSet() {
    }

    /** heartbeat maps {@code failback} to {@code foreign}. */
    static String normalise(String word) {
        return word.equals("failback") ? "foreign" : word;
    }
}
