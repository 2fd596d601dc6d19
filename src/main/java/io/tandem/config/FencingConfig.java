package io.tandem.config;

import java.util.List;
import java.util.Optional;

/**
 * ha.cf's fencing: the STONITH device lines in file order (Tandem's {@code stonith_failure_takeover} is in
 * {@link TandemCf}).
 * Like heartbeat, a node uses the LAST line that applies to it ({@link #deviceFor}); heartbeat keeps one
 * device only.
 *
 * @param devices every {@code stonith} and {@code stonith_host} line, in file order
 */
public record FencingConfig(List<StonithDevice> devices) {
    public static final FencingConfig NONE = new FencingConfig(List.of());

    public FencingConfig {
        devices = List.copyOf(devices);
    }

    /** The device {@code node} fences with, if any. */
    public Optional<StonithDevice> deviceFor(String node) {
        Optional<StonithDevice> found = Optional.empty();
        for (StonithDevice d : devices) {
            if (d.appliesTo(node)) {
                found = Optional.of(d);
            }
        }
        return found;
    }

    /** The same without line numbers: what two versions of a file are compared by. */
    public FencingConfig withoutLines() {
        return new FencingConfig(devices.stream().map(d -> new StonithDevice(d.host(), d.type(), d.configFile(), d.params(), 0))
                .toList());
    }
}
