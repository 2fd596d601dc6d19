package io.tandem.daemon.address;

import io.tandem.config.ArpProbeCf;
import io.tandem.config.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How an address is probed before it is added: {@code probes} ARP probes {@code intervalMs} apart,
 * then answers are awaited until {@code windowMs} after the first. RFC 5227's own timing (three probes
 * 1–2 s apart after a random wait, then 2 s) takes about 7 s, far more than a failover may; the
 * default here, 3 probes 100 ms apart in a 300 ms window, catches any host whose kernel runs (it
 * answers within a millisecond on a LAN) and costs 0.3 s of the start. {@code enabled} false: no probe.
 */
public record ProbeSettings(boolean enabled, int probes, long intervalMs, long windowMs) {
    public static final ProbeSettings DEFAULT = new ProbeSettings(true, ArpProbeCf.DEFAULTS.count(), ArpProbeCf.DEFAULTS.intervalMs(),
            ArpProbeCf.DEFAULTS.windowMs());
    public static final ProbeSettings OFF = new ProbeSettings(false, 0, 0, 0);

    /**
     * The settings of {@code <confDir>/tandem-arp.cf} ({@link ArpProbeCf}), the defaults without one.
     *
     * @throws ConfigException naming the file and line of a bad value, or the file when it cannot be read
     */
    public static ProbeSettings load(Path confDir) {
        Path file = confDir.resolve(ArpProbeCf.FILE);
        if (!Files.exists(file)) {
            return DEFAULT;
        }
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException | RuntimeException e) {
            throw new ConfigException(file.toString(), 0, "cannot read it: " + e.getMessage());
        }
        ArpProbeCf cf = ArpProbeCf.parse(file.toString(), text);
        return cf.enabled() ? new ProbeSettings(true, cf.count(), cf.intervalMs(), cf.windowMs()) : OFF;
    }

    public ProbeSettings {
        if (enabled && (probes < 1 || probes > 10 || intervalMs < 10 || windowMs < intervalMs * (probes - 1) || windowMs > 10_000)) {
            throw new IllegalArgumentException("probe settings out of range: " + probes + " probes, " + intervalMs + " ms apart, "
                    + windowMs + " ms window (1-10 probes, at least 10 ms apart, a window holding them all, at most 10 s)");
        }
    }
}
