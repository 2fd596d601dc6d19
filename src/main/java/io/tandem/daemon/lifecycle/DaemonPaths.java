package io.tandem.daemon.lifecycle;

import io.tandem.daemon.control.ClientDefinitions;
import java.nio.file.Path;

/**
 * Where a node keeps things. Defaults are heartbeat's, so a migrated node keeps its identity
 * ({@code /var/lib/heartbeat/hb_generation}, {@code hb_uuid}); tests and the demo point them elsewhere.
 *
 * @param confDir  ha.cf, authkeys, haresources, resource.d, rc.d
 * @param stateDir hb_generation, hb_uuid
 * @param runDir   pid file, control socket and the detached daemon's output; the default directory
 *                 and the file names come from libexec/tandem-control.def, which the perl client and
 *                 bin/tandem read too
 */
public record DaemonPaths(Path confDir, Path stateDir, Path runDir) {
    public static final Path DEFAULT_CONF = Path.of("/etc/ha.d");
    public static final Path DEFAULT_STATE = Path.of("/var/lib/heartbeat");
    public static final Path DEFAULT_RUN = Path.of(ClientDefinitions.get("run_dir"));

    public static DaemonPaths defaults() {
        return new DaemonPaths(DEFAULT_CONF, DEFAULT_STATE, DEFAULT_RUN);
    }

    public Path pidFile() {
        return runDir.resolve(ClientDefinitions.get("pid_file"));
    }

    public Path controlSocket() {
        return controlSocket(runDir);
    }

    /** The control socket of a daemon whose run directory is {@code runDir}. */
    public static Path controlSocket(Path runDir) {
        return runDir.resolve(ClientDefinitions.get("control_socket"));
    }

    public Path daemonOutput() {
        return runDir.resolve(ClientDefinitions.get("daemon_output"));
    }
}
