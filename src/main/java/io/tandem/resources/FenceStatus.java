package io.tandem.resources;

/**
 * A dead peer this node is fencing before it may take the peer's groups.
 *
 * @param node        the peer
 * @param failures    failed attempts so far
 * @param lastFailure why the last attempt failed (empty before the first failure)
 * @param running     whether an attempt runs now
 * @param nextTryAt   when the next attempt starts (engine time, ms), -1 while one runs
 */
public record FenceStatus(String node, int failures, String lastFailure, boolean running, long nextTryAt) {
    /** {@code fencing node1 failed: <why>}, or {@code fencing node1} while no attempt has failed yet. */
    public String text() {
        return failures == 0 ? "fencing " + node : "fencing " + node + " failed: " + lastFailure;
    }
}
