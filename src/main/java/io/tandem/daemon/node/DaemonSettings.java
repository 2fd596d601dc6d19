package io.tandem.daemon.node;

import io.tandem.daemon.lifecycle.DaemonPaths;
import io.tandem.daemon.log.LineFormat;
import java.io.PrintStream;
import java.util.Optional;

/**
 * How {@code tandem run} was asked to run: where the files are, which node this is (empty: from
 * {@code /etc/ha.d/nodeinfo}, else {@code uname -n}), the log line format (empty: ha.cf's
 * {@code syslogmsgfmt}), where to echo log lines in the foreground (null: nowhere), and the one
 * local address the ucast media use ({@code --bind}, empty: the device's addresses). {@code
 * detached} (started by {@code tandem start}, the console is the file {@code tandem.out}): log
 * lines are echoed there only when ha.cf names no log destination, so that file is never a second,
 * unrotated copy of the log. {@code logIdent} names the daemon in its log lines ({@code heartbeat}
 * by default, as heartbeat's, so existing log parsers match; {@code --log-ident tandem} tells the
 * two apart in a mixed cluster's syslog).
 */
public record DaemonSettings(DaemonPaths paths, Optional<String> node, Optional<LineFormat> logFormat, PrintStream console,
                             Optional<String> bind, boolean detached, String logIdent) {
    /** The default log ident: heartbeat's. */
    public static final String HEARTBEAT_IDENT = "heartbeat";

    public DaemonSettings {
        if (!logIdent.matches("[A-Za-z0-9_.-]{1,32}")) {
            throw new IllegalArgumentException("a log ident is 1 to 32 letters, digits, '_', '.' or '-', not '" + logIdent + "'");
        }
    }

    public DaemonSettings(DaemonPaths paths, Optional<String> node, Optional<LineFormat> logFormat, PrintStream console,
                          Optional<String> bind, boolean detached) {
        this(paths, node, logFormat, console, bind, detached, HEARTBEAT_IDENT);
    }

    public DaemonSettings(DaemonPaths paths, Optional<String> node, Optional<LineFormat> logFormat, PrintStream console) {
        this(paths, node, logFormat, console, Optional.empty(), false);
    }
}
