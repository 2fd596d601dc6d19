package io.tandem.cli;

import io.tandem.config.ClusterConfig;
import io.tandem.config.ConfigDirectory;
import io.tandem.config.ConfigException;
import io.tandem.config.Finding;
import io.tandem.config.HostFacts;
import io.tandem.config.Notice;
import io.tandem.daemon.address.ProbeSettings;
import io.tandem.daemon.agent.AgentCatalog;
import io.tandem.daemon.agent.AgentLookup;
import io.tandem.daemon.agent.FileAgentCatalog;
import io.tandem.daemon.node.StartChecks;
import io.tandem.daemon.os.LocalHostFacts;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tandem check}: validates ha.cf, authkeys and haresources and prints a short summary. */
@Command(name = "check", mixinStandardHelpOptions = true, versionProvider = Version.class, description = {"Validate ha.cf, authkeys and haresources as the daemon's start does (interfaces, resource agents,",
            "IPaddr arguments on this host) and print a summary; every error is listed, with its file and line."})
final class CheckCommand implements Callable<Integer> {
    @Option(names = {"-c", "--config-dir"}, paramLabel = "DIR", description = "configuration directory (default: ${DEFAULT-VALUE})")
    Path dir = ConfigDirectory.DEFAULT;

    @Option(names = "--node", paramLabel = "NAME", description = "check as this node (default: uname -n)")
    String node;

    @Override
    public Integer call() {
        return run(dir, node, new LocalHostFacts(), System.out, System.err);
    }

    /** Checks {@code dir} as node {@code node} (null: this host's name) on this machine; returns the exit code. */
    static int run(Path dir, String node, HostFacts host, PrintStream out, PrintStream err) {
        return run(dir, node, host, AgentLookup.standard(), new FileAgentCatalog(), out, err);
    }

    /**
     * The daemon's start rules ({@link StartChecks}), every error at once, each naming file and line;
     * exit 1 when there is one. Checked as another node than this host ({@code --node}), what this
     * machine lacks (an interface, an agent, a user) is a warning: it may be there on that node. The agents are looked up with {@code lookup} in {@code catalog}.
     */
    static int run(Path dir, String node, HostFacts host, AgentLookup lookup, AgentCatalog catalog, PrintStream out,
            PrintStream err) {
        String local = node != null ? node : host.hostname();
        ClusterConfig config;
        try {
            config = ConfigDirectory.load(dir);
        } catch (ConfigException e) {
            List<ConfigException> errors = new ArrayList<>(e.errors());
            arp(dir).ifPresent(errors::add);
            errors.forEach(each -> err.println("error: " + each.getMessage()));
            return invalid(dir, err);
        }
        List<Finding> findings = StartChecks.check(config, local, host, lookup, catalog);
        out.print(CheckSummary.text(config, local));
        for (Notice n : config.notices()) {
            out.println("notice: " + n);
        }
        boolean failed = false;
        String here = host.hostname().toLowerCase(java.util.Locale.ROOT);
        boolean otherNode = !here.equals(local.toLowerCase(java.util.Locale.ROOT));
        for (Finding each : findings) {
            // checked as another node, this machine's interfaces and agents say nothing about that
            // node's machine: they are shown, not counted (the start applies them where it runs)
            Finding f = otherNode && each.ofThisHost() && each.isError()
                    ? each.asWarning("(on this host [" + here + "]; an error on [" + local + "] if it is so there)")
                    : each;
            if (f.isError()) {
                err.println("error: " + f);
                failed = true;
            } else {
                out.println("warning: " + f);
            }
        }
        Optional<ConfigException> arp = arp(dir);
        if (arp.isPresent()) {
            err.println("error: " + arp.get().getMessage());
            failed = true;
        }
        if (failed) {
            return invalid(dir, err);
        }
        out.println("configuration OK");
        return 0;
    }

    /** tandem-arp.cf's error, as the daemon's start reads it. */
    private static Optional<ConfigException> arp(Path dir) {
        try {
            ProbeSettings.load(dir);
            return Optional.empty();
        } catch (ConfigException e) {
            return Optional.of(e);
        }
    }

    private static int invalid(Path dir, PrintStream err) {
        err.println("tandem check: " + dir + " is not a valid configuration");
        return 1;
    }
}
