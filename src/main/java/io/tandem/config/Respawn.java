package io.tandem.config;

import java.util.Objects;

/**
 * {@code respawn USER /absolute/path [args]}: a client started as USER after comm-up and restarted
 * when it exits with anything but 100. {@code command} is the rest of the line as written.
 */
public record Respawn(String user, String command) {
    public Respawn {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(command, "command");
    }

    /** The executable: the command's first word. */
    public String path() {
        int sp = command.indexOf(' ');
        int tab = command.indexOf('\t');
        int end = sp < 0 ? tab : tab < 0 ? sp : Math.min(sp, tab);
        return end < 0 ? command : command.substring(0, end);
    }

    /** heartbeat's ipfail client ({@code /usr/lib/heartbeat/ipfail}, {@code /usr/libexec/heartbeat/ipfail}, ...). */
    public boolean isIpfail() {
        String p = path();
        return p.equals("ipfail") || p.endsWith("/ipfail");
    }
}
