package io.tandem.cli;

import io.tandem.daemon.lifecycle.DaemonPaths;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** Options of {@code tandem run} and {@code tandem start}: where the files are, which node this is. */
final class DaemonOptions {
    @Option(names = {"-c", "--config-dir"}, paramLabel = "DIR", description = "configuration directory (default: ${DEFAULT-VALUE})")
    Path confDir = DaemonPaths.DEFAULT_CONF;

    @Option(names = "--node", paramLabel = "NAME", description = "this node's name (default: nodeinfo, else uname -n)")
    String node;

    @Option(names = "--state-dir", paramLabel = "DIR", description = "hb_generation and hb_uuid (default: ${DEFAULT-VALUE})")
    Path stateDir = DaemonPaths.DEFAULT_STATE;

    @Option(names = "--log-format", paramLabel = "syslog|classic|json",
            description = "log line format (default: from ha.cf syslogmsgfmt, i.e. heartbeat 3.0's syslog style)")
    String logFormat;

    @Option(names = "--bind", paramLabel = "ADDRESS",
            description = "send and listen on this local IPv4 address only (ucast media; e.g. several nodes on one machine's loopback)")
    String bind;

    @Option(names = "--log-ident", paramLabel = "NAME",
            description = "the name the daemon's own log lines carry (default: tandem.cf's log_ident, else heartbeat, as heartbeat's, "
                    + "so its log parsers match; tandem tells the two apart in a mixed cluster)")
    String logIdent;

    DaemonPaths paths(Path runDir) {
        return new DaemonPaths(confDir, stateDir, runDir);
    }

    /** The same options as arguments, to hand to a detached {@code run}. */
    List<String> toArgs() {
        List<String> a = new ArrayList<>(List.of("--config-dir", confDir.toString(), "--state-dir", stateDir.toString()));
        if (node != null) {
            a.addAll(List.of("--node", node));
        }
        if (logFormat != null) {
            a.addAll(List.of("--log-format", logFormat));
        }
        if (bind != null) {
            a.addAll(List.of("--bind", bind));
        }
        if (logIdent != null) {
            a.addAll(List.of("--log-ident", logIdent));
        }
        return a;
    }
}
