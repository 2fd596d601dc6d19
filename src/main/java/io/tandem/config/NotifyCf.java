package io.tandem.config;

import java.util.List;
import java.util.Objects;

/**
 * tandem.cf's notify hooks (docs/observability.md): scripts run on cluster state changes, keepalived's
 * {@code notify} in Tandem's words. {@code notify PATH} names one script (repeatable, run in the
 * order written), {@code notify_dir DIR} runs every executable file of a directory (in name order,
 * read at each event), {@code notify_timeout T} is how long one run may take before its process group
 * is killed.
 *
 * @param scripts   absolute paths, in order
 * @param dir       an absolute directory, or "" for none
 * @param timeoutMs the time limit of one run
 */
public record NotifyCf(List<String> scripts, String dir, long timeoutMs) {
    public static final long DEFAULT_TIMEOUT_MS = 30_000;
    /** No hooks. */
    public static final NotifyCf NONE = new NotifyCf(List.of(), "", DEFAULT_TIMEOUT_MS);

    public NotifyCf {
        scripts = List.copyOf(scripts);
        Objects.requireNonNull(dir, "dir");
        if (timeoutMs <= 0) {
            throw new IllegalArgumentException("notify timeout must be positive: " + timeoutMs);
        }
    }

    public boolean any() {
        return !scripts.isEmpty() || !dir.isEmpty();
    }
}
