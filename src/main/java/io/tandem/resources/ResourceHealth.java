package io.tandem.resources;

import java.util.Objects;

/**
 * What monitoring knows about one resource on this node, for {@code tandem status}.
 *
 * @param group        the group key
 * @param resource     the resource as written in haresources
 * @param spec         how it is watched
 * @param state        the last verdict
 * @param lastCheckAt  engine time of the last finished check, or -1
 * @param failCount    failures that still count (within the failure timeout)
 * @param lastFailure  what the last failure was ("not running", "error or timeout", "start failed"), or null
 * @param lastFailureAt engine time of the last failure, or -1
 * @param bannedUntil  engine time until which the group may not run here, or -1
 */
public record ResourceHealth(String group, String resource, MonitorSpec spec, State state, long lastCheckAt, int failCount,
        String lastFailure, long lastFailureAt, long bannedUntil) {
    public enum State {
        /** Not checked (not running here, or monitoring off for it). */
        NOT_WATCHED,
        /** Running here, not checked yet since it started. */
        PENDING,
        OK,
        FAILED
    }

    public ResourceHealth {
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(resource, "resource");
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(state, "state");
    }
}
