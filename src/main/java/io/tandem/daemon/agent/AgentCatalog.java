package io.tandem.daemon.agent;

/** What the lookup needs to know about the file system; the daemon implements it. */
public interface AgentCatalog {
    /** True if {@code path} is a regular file the daemon may execute (heartbeat's {@code [ -f p -a -x p ]}). */
    boolean executable(String path);
}
