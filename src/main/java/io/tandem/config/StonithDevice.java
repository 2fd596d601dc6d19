package io.tandem.config;

import java.util.Locale;
import java.util.Objects;

/**
 * One STONITH device line of ha.cf, as heartbeat 2.1.4 / 3.0.x read them:
 * <ul>
 * <li>{@code stonith <type> <configfile>}: every node uses it; the file holds the device's parameters
 * (cluster-glue's {@code stonith -F}).</li>
 * <li>{@code stonith_host <node|*> <type> <params...>}: only the named node (lower-cased, as heartbeat
 * compares it with its own name) or every node ({@code *}) uses it; the rest of the line is the
 * parameter string (cluster-glue's {@code stonith -p}).</li>
 * </ul>
 *
 * @param host       the node the line is for, {@code *} for every node ({@code stonith} lines are for every node)
 * @param type       the device type, e.g. {@code external/ipmi}, {@code apcmastersnmp}
 * @param configFile the parameter file of a {@code stonith} line, empty for {@code stonith_host}
 * @param params     the parameter string of a {@code stonith_host} line, empty for {@code stonith}
 * @param line       where it was written
 */
public record StonithDevice(String host, String type, String configFile, String params, int line) {
    public static final String ANY_HOST = "*";

    public StonithDevice {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(configFile, "configFile");
        Objects.requireNonNull(params, "params");
        host = host.toLowerCase(Locale.ROOT);
    }

    /** Whether {@code node} uses this line. */
    public boolean appliesTo(String node) {
        return host.equals(ANY_HOST) || host.equals(node.toLowerCase(Locale.ROOT));
    }

    /** Whether the parameters come from a file ({@code stonith}) rather than the line ({@code stonith_host}). */
    public boolean fromFile() {
        return !configFile.isEmpty();
    }

    /** The directive as written (parameters included: ha.cf is root's file, as heartbeat's log shows them too). */
    public String directive() {
        return fromFile() ? "stonith " + type + " " + configFile : ("stonith_host " + host + " " + type + " " + params).strip();
    }
}
