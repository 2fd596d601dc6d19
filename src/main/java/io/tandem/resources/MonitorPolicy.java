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

    public MonitorPolicy {
        Objects.requireNonNull(defaults, "defaults");
        byResource = Map.copyOf(byResource);
    }

    /** The spec for one resource; not monitored when monitoring is off. */
    public MonitorSpec spec(String resource) {
        MonitorSpec s = byResource.get(resource);
        if (s == null) {
            int sep = resource.indexOf("::");
            s = byResource.get(sep < 0 ? resource : resource.substring(0, sep));
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
