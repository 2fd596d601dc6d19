package io.tandem.resources;

import java.util.Map;
import java.util.Objects;

/**
 * Which {@link MonitorSpec} applies to each resource: an entry for the resource exactly as written in
 * haresources ({@code IPaddr::192.0.2.1/24/eth0}), else one for its script name ({@code IPaddr},
 * {@code apache2}), else the defaults.
 *
 * @param enabled    false turns monitoring off completely (heartbeat's behaviour)
 * @param defaults   for resources without an entry
 * @param byResource entries by resource text or script name
 */
public record MonitorPolicy(boolean enabled, MonitorSpec defaults, Map<String, MonitorSpec> byResource) {
    /** No monitoring at all: heartbeat v1's behaviour. */
    public static final MonitorPolicy OFF = new MonitorPolicy(false, MonitorSpec.DEFAULT, Map.of());
    /** Every resource with {@link MonitorSpec#DEFAULT}. */
    public static final MonitorPolicy DEFAULT = new MonitorPolicy(true, MonitorSpec.DEFAULT, Map.of());

    /** ResourceManager's test for a bare address (run as IPaddr). */
    private static final java.util.regex.Pattern BARE_IP = java.util.regex.Pattern.compile("[0-9].*\\.[0-9].*\\.[0-9].*\\.[0-9].*");

    public MonitorPolicy {
        Objects.requireNonNull(defaults, "defaults");
        byResource = Map.copyOf(byResource);
    }

    /** The spec for one resource; not monitored when monitoring is off. */
    public MonitorSpec spec(String resource) {
        MonitorSpec s = byResource.get(resource);
        if (s == null) {
            int sep = resource.indexOf("::");
            String script = sep >= 0 ? resource.substring(0, sep) : BARE_IP.matcher(resource).matches() ? "IPaddr" : resource;
            s = byResource.get(script);
        }
        if (s == null) {
            s = defaults;
        }
        if (!enabled) {
            return new MonitorSpec(0, s.timeoutMs(), s.threshold(), s.failureTimeoutMs());
        }
        return s;
    }
}
