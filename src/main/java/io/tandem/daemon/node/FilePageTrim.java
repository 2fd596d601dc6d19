package io.tandem.daemon.node;

import io.tandem.daemon.loop.EventLoop;
import io.tandem.daemon.os.ResidentPages;
import java.io.IOException;
import java.util.concurrent.RejectedExecutionException;

/**
 * Once a minute, from a minute after the start, the daemon's clean read-only file pages leave its
 * resident set ({@link ResidentPages}: libjvm's code, the class-data archives' read-only parts, the JDK's
 * modules image, the libraries' text). What the idle daemon runs faults back in from the page cache
 * within the minute; what only the start (class loading and linking) or a full collection touched stops
 * counting in its RSS: ~5–8 MB (docs/benchmarks.md, "Where the memory goes"). The file-backed analogue
 * of bin/tandem's {@code TrimNativeHeapInterval}. {@code -Dtandem.keep_file_pages=true} (TANDEM_JAVA_OPTS)
 * leaves the pages mapped.
 */
final class FilePageTrim {
    static final long FIRST_MS = 60_000;
    static final long INTERVAL_MS = 60_000;

    private final EventLoop loop;
    private final DaemonLog log;
    private final ResidentPages pages = new ResidentPages();
    private boolean warned;

    private FilePageTrim(EventLoop loop, DaemonLog log) {
        this.loop = loop;
        this.log = log;
    }

    static void start(EventLoop loop, DaemonLog log) {
        if (!Boolean.getBoolean("tandem.keep_file_pages")) {
            new FilePageTrim(loop, log).schedule(FIRST_MS);
        }
    }

    private void schedule(long delay) {
        try {
            loop.after(delay, now -> run());
        } catch (RejectedExecutionException e) {
            // the loop has stopped: the daemon is leaving
        }
    }

    private void run() {
        try {
            pages.dropCleanFilePages();
        } catch (IOException | RuntimeException e) {
            if (!warned) { // once: the same cause would repeat every minute
                warned = true;
                log.warn("Cannot give back the daemon's clean file pages: " + e.getMessage());
            }
        }
        schedule(INTERVAL_MS);
    }
}
