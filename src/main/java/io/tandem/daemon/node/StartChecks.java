package io.tandem.daemon.node;

import io.tandem.config.Checks;
import io.tandem.config.ClusterConfig;
import io.tandem.config.Finding;
import io.tandem.config.HostFacts;
import io.tandem.daemon.agent.AgentCatalog;
import io.tandem.daemon.agent.AgentChecks;
import io.tandem.daemon.agent.AgentLookup;
import io.tandem.daemon.agent.FileAgentCatalog;
import io.tandem.config.Respawn;
import io.tandem.daemon.log.SyslogSink;
import io.tandem.daemon.os.Accounts;
import java.nio.file.Files;
import java.nio.file.Path;
import io.tandem.daemon.os.LocalHostFacts;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/**
 * The rules a configuration must pass before the daemon starts, and {@code tandem check} applies the
 * same ones (this class): heartbeat's whole-configuration checks, the media's interfaces on this host,
 * the respawn lines' users and programs, the log facility, and every haresources resource resolved to an agent as the daemon will resolve it (with IPaddr
 * arguments that can work here). Every finding comes back, so that one run shows every error.
 */
public final class StartChecks {
    private StartChecks() {
    }

    /** The findings on this machine: its interfaces, its agents. */
    public static List<Finding> check(ClusterConfig config, String nodeName) {
        return check(config, nodeName, new LocalHostFacts(), AgentLookup.standard(), new FileAgentCatalog());
    }

    public static List<Finding> check(ClusterConfig config, String nodeName, HostFacts host, AgentLookup lookup,
            AgentCatalog catalog) {
        List<Finding> out = new ArrayList<>(Checks.check(config, nodeName, host));
        out.addAll(AgentChecks.check(config.haResources(), host, lookup, catalog));
        var cf = config.haCf();
        respawns(cf, out);
        out.addAll(io.tandem.daemon.http.ApiSetup.findings(config.tandem()));
        if (cf.logfacility().isPresent()) {
            try {
                SyslogSink.forFacility(cf.logfacility().get(), SyslogSink.DEV_LOG, ZoneId.systemDefault()).ifPresent(SyslogSink::close);
            } catch (IllegalArgumentException e) {
                out.add(new Finding(Finding.Level.ERROR, cf.source().file(), cf.lineOf("logfacility"), e.getMessage()));
            }
        }
        return out;
    }

    /** heartbeat refuses a respawn line whose user does not exist or whose program cannot be run (ipfail is not run). */
    private static void respawns(io.tandem.config.HaCf cf, List<Finding> out) {
        for (Respawn r : cf.respawns()) {
            if (r.isIpfail()) {
                continue;
            }
            int own = cf.lineOf("respawn " + r.user() + " " + r.command());
            int line = own > 0 ? own : cf.lineOf("respawn");
            if (Accounts.lookup(r.user()).isEmpty()) {
                out.add(Finding.ofHost(Finding.Level.ERROR, cf.source().file(), line, "Invalid uid [" + r.user()
                        + "] specified for client child (respawn " + r.user() + " " + r.command() + ")"));
            }
            Path program = Path.of(r.path());
            if (!Files.isRegularFile(program) || !Files.isExecutable(program)) {
                out.add(Finding.ofHost(Finding.Level.ERROR, cf.source().file(), line, "Client child command [" + r.path()
                        + "] is not executable"));
            }
        }
    }
}
