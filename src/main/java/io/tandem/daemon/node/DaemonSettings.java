package io.tandem.daemon.node;

import io.tandem.daemon.lifecycle.DaemonPaths;
import io.tandem.daemon.log.LineFormat;
import java.io.PrintStream;
import java.util.Optional;

/**
 * How {@code tandem run} was asked to run: where the files are, which node this is (empty: from
 * {@code /etc/ha.d/nodeinfo}, else {@code uname -n}), the log line format (empty: ha.cf's
 * {@code syslogmsgfmt}), and where to echo log lines in the foreground (null: nowhere).
 */
public record DaemonSettings(DaemonPaths paths, Optional<String> node, Optional<LineFormat> logFormat, PrintStream console) {
}
