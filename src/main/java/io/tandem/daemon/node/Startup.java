package io.tandem.daemon.node;

import io.tandem.config.Severity;
import io.tandem.config.ClusterConfig;
import io.tandem.config.ConfigException;
import io.tandem.config.Finding;
import io.tandem.config.Notice;
import io.tandem.daemon.Versions;
import io.tandem.daemon.lifecycle.Identity;
import io.tandem.daemon.log.AsyncLog;
import io.tandem.daemon.log.LineFormat;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.List;

/** What happens before the node joins: host checks (errors now, not warnings), the log, the banner. */
final class Startup {
    private Startup() {
    }

    /**
     * {@link StartChecks} on this host: every error at once (one {@link ConfigException} holding them
     * all), else the warnings for the banner.
     */
    static List<Finding> checkOrThrow(ClusterConfig config, String nodeName) {
        List<Finding> findings = StartChecks.check(config, nodeName);
        List<ConfigException> errors = new java.util.ArrayList<>();
        for (Finding f : findings) {
            if (f.isError()) {
                errors.add(new ConfigException(f.file(), f.line(), f.text()));
            }
        }
        if (!errors.isEmpty()) {
            throw ConfigException.of(errors);
        }
        return findings;
    }

    /**
     * Runtime directories resource agents expect, which systemd-tmpfiles creates at boot on a normal
     * system ({@code d /run/resource-agents 1755 root root} from resource-agents); created here when
     * missing (containers, minimal systems), so IPaddr and friends can keep their state.
     */
    static void runtimeDirectories(DaemonLog log) {
        java.nio.file.Path rsctmp = java.nio.file.Path.of("/run/resource-agents");
        boolean root = "root".equals(System.getProperty("user.name"));
        if (root && java.nio.file.Files.isDirectory(rsctmp.getParent()) && !java.nio.file.Files.exists(rsctmp)) {
            try {
                java.nio.file.Files.createDirectory(rsctmp);
                java.nio.file.Files.setPosixFilePermissions(rsctmp, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
                log.info("Created " + rsctmp + " (resource agents keep their state there).");
            } catch (java.io.IOException e) {
                log.warn("Cannot create " + rsctmp + ": " + e.getMessage() + "; resource agents such as IPaddr may fail.");
            }
        }
    }

    static AsyncLog openLog(ClusterConfig config, DaemonSettings settings, String nodeName) {
        var cf = config.haCf();
        LineFormat format = settings.logFormat().orElse(LineFormat.SYSLOG); // heartbeat 3.0's syslogmsgfmt default
        io.tandem.daemon.log.SyslogSink syslog = null;
        if (cf.logfacility().isPresent()) {
            try {
                syslog = io.tandem.daemon.log.SyslogSink.forFacility(cf.logfacility().get(), io.tandem.daemon.log.SyslogSink.DEV_LOG,
                        ZoneId.systemDefault()).orElse(null);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(cf.source().file(), cf.lineOf("logfacility"), e.getMessage());
            }
        }
        boolean elsewhere = cf.logfile().isPresent() || cf.debugfile().isPresent() || syslog != null;
        return new AsyncLog(cf.logfile().map(Path::of).orElse(null), cf.debugfile().map(Path::of).orElse(null),
                settings.detached() && elsewhere ? null : settings.console(), format, HostNames.uname(), ZoneId.systemDefault(), syslog);
    }

    static void logBanner(DaemonLog log, ClusterConfig config, String nodeName, Identity identity, List<Finding> findings) {
        for (Finding f : findings) {
            // heartbeat writes its initdead advice as one warning and two info lines
            String[] parts = f.text().split("(?<=too small!) (?=Initial dead time accounts)|(?<=startup time)\\. (?=It should be)");
            log.warn(parts[0]);
            for (int i = 1; i < parts.length; i++) {
                log.info(parts[i]);
            }
        }
        for (Notice n : config.notices()) {
            log.heartbeat(io.tandem.config.Severity.NOTICE, n.toString());
        }
        log.info("**************************");
        log.info("Configuration validated. Starting " + Versions.text() + " (heartbeat 3.0.6 compatible) on " + nodeName);
        if (identity.firstStart()) {
            log.info("No Previous generation - starting at " + identity.generation());
        }
        log.info("Heartbeat generation: " + identity.generation());
        if (config.pingTiebreakActive()) {
            log.info("Ping-node tiebreak on (ping nodes: " + String.join(", ", config.haCf().pingNodes())
                    + "): no takeover without a reachable ping node; 'ping_tiebreak off' in tandem.cf disables it.");
        }
        if (identity.newUuid()) {
            log.info("No uuid found for current node - generating a new uuid.");
        }
    }
}
