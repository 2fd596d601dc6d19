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
 * unrotated copy of the log. {@code logIdent} ({@code --log-ident}) names the daemon in its log
 * lines; null: tandem.cf's {@code log_ident}, whose default is {@code heartbeat}, as heartbeat's, so
 * existing log parsers match ({@code tandem} tells the two apart in a mixed cluster's syslog).
 */
public record DaemonSettings(DaemonPaths paths, Optional<String> node, Optional<LineFormat> logFormat, PrintStream console,
                             Optional<String> bind, boolean detached, String logIdent) {
    public DaemonSettings {
        if (logIdent != null && !logIdent.matches(io.tandem.config.TandemCf.IDENT_PATTERN)) {
            throw new IllegalArgumentException("a log ident is 1 to 32 letters, digits, '_', '.' or '-', not '" + logIdent + "'");
        }
    }

    public DaemonSettings(DaemonPaths paths, Optional<String> node, Optional<LineFormat> logFormat, PrintStream console,
                          Optional<String> bind, boolean detached) {
        this(paths, node, logFormat, console, bind, detached, null);
    }

    public DaemonSettings(DaemonPaths paths, Optional<String> node, Optional<LineFormat> logFormat, PrintStream console) {
        this(paths, node, logFormat, console, Optional.empty(), false);
    }
}
