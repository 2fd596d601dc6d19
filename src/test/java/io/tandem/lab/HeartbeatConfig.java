package io.tandem.lab;

import java.util.List;

/** The three /etc/ha.d files for a node of the lab. */
public record HeartbeatConfig(String haCf, String authkeys, String haresources) {
    /** md5 key used by {@link #fastBcast}. */
    public static final String MD5_AUTHKEYS = "auth 1\n1 md5 tandem-lab-key\n";

    /**
     * A cluster of {@code nodes} with bcast on {@code device}, md5 auth and fast timers (keepalive
     * 500ms, deadtime 3, warntime 2, initdead 6), logging to /var/log/ha-log, no resources.
     */
    public static HeartbeatConfig fastBcast(List<String> nodes, String device, int udpport) {
        StringBuilder cf = new StringBuilder()
                .append("logfile /var/log/ha-log\n")
                .append("logfacility none\n")
                .append("keepalive 500ms\n")
                .append("deadtime 3\n")
                .append("warntime 2\n")
                .append("initdead 6\n")
                .append("udpport ").append(udpport).append('\n')
                .append("bcast ").append(device).append('\n')
                .append("auto_failback off\n");
        nodes.forEach(n -> cf.append("node ").append(n).append('\n'));
        return new HeartbeatConfig(cf.toString(), MD5_AUTHKEYS, "");
    }

    public HeartbeatConfig withHaCf(String text) {
        return new HeartbeatConfig(text, authkeys, haresources);
    }

    public HeartbeatConfig withAuthkeys(String text) {
        return new HeartbeatConfig(haCf, text, haresources);
    }

    public HeartbeatConfig withHaresources(String text) {
        return new HeartbeatConfig(haCf, authkeys, text);
    }
}
