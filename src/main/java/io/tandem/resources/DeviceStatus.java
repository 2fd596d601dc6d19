package io.tandem.resources;

/**
 * What the periodic status check says about this node's fence device ({@link DeviceCheck}).
 *
 * @param device        the device type, e.g. {@code external/ipmi}
 * @param health        {@code unknown} (not checked yet), {@code ok} or {@code failed}
 * @param reason        why the last check failed (empty unless failed)
 * @param lastCheckedAt when the last check ended (engine time, ms), -1 before the first
 * @param failingSince  when the device started failing, -1 unless failed
 * @param intervalMs    how often it is checked
 */
public record DeviceStatus(String device, String health, String reason, long lastCheckedAt, long failingSince, long intervalMs) {
    public boolean failed() {
        return health.equals("failed");
    }

    /** {@code fencing device X: status failed: <why>}, {@code ... status OK}, {@code ... not checked yet}. */
    public String text() {
        return switch (health) {
            case "failed" -> "fencing device " + device + ": status failed: " + reason;
            case "ok" -> "fencing device " + device + ": status OK";
            default -> "fencing device " + device + ": status not checked yet";
        };
    }
}
