package io.tandem.daemon.address;

/**
 * How an address is probed before it is added: {@code probes} ARP probes {@code intervalMs} apart,
 * then answers are awaited until {@code windowMs} after the first. RFC 5227's own timing (three probes
 * 1–2 s apart after a random wait, then 2 s) takes about 7 s, far more than a failover may; the
 * default here, 3 probes 100 ms apart in a 300 ms window, catches any host whose kernel runs (it
 * answers within a millisecond on a LAN) and costs 0.3 s of the start. {@code enabled} false: no probe.
 */
public record ProbeSettings(boolean enabled, int probes, long intervalMs, long windowMs) {
    public static final ProbeSettings DEFAULT = new ProbeSettings(true, 3, 100, 300);
    public static final ProbeSettings OFF = new ProbeSettings(false, 0, 0, 0);

    public ProbeSettings {
        if (enabled && (probes < 1 || probes > 10 || intervalMs < 10 || windowMs < intervalMs * (probes - 1) || windowMs > 10_000)) {
            throw new IllegalArgumentException("probe settings out of range: " + probes + " probes, " + intervalMs + " ms apart, "
                    + windowMs + " ms window (1-10 probes, at least 10 ms apart, a window holding them all, at most 10 s)");
        }
    }
}
