package io.tandem.cli;

import io.tandem.config.Checks;
import io.tandem.config.ClusterConfig;
import io.tandem.config.ConfigDirectory;
import io.tandem.config.ConfigException;
import io.tandem.config.Finding;
import io.tandem.config.HostFacts;
import io.tandem.config.Notice;
import io.tandem.daemon.os.LocalHostFacts;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tandem check}: validates ha.cf, authkeys and haresources and prints a short summary. */
@Command(name = "check", mixinStandardHelpOptions = true, versionProvider = Version.class, description = "Validate ha.cf, authkeys and haresources and print a summary.")
final class CheckCommand implements Callable<Integer> {
    @Option(names = {"-c", "--config-dir"}, paramLabel = "DIR", description = "configuration directory (default: ${DEFAULT-VALUE})")
    Path dir = ConfigDirectory.DEFAULT;

    @Option(names = "--node", paramLabel = "NAME", description = "check as this node (default: uname -n)")
    String node;

    @Override
    public Integer call() {
        return run(dir, node, new LocalHostFacts(), System.out, System.err);
    }

    /** Checks {@code dir} as node {@code node} (null: this host's name); returns the exit code. */
    static int run(Path dir, String node, HostFacts host, PrintStream out, PrintStream err) {
        String local = node != null ? node : host.hostname();
        ClusterConfig config;
        try {
            config = ConfigDirectory.load(dir);
        } catch (ConfigException e) {
            err.println("error: " + e.getMessage());
            err.println("tandem check: " + dir + " is not a valid configuration");
            return 1;
        }
        List<Finding> findings = Checks.check(config, local, host);
        out.print(CheckSummary.text(config, local));
        for (Notice n : config.notices()) {
            out.println("notice: " + n);
        }
        boolean failed = false;
        for (Finding f : findings) {
            if (f.isError()) {
                err.println("error: " + f);
                failed = true;
            } else {
                out.println("warning: " + f);
            }
        }
        if (failed) {
            err.println("tandem check: " + dir + " is not a valid configuration");
            return 1;
        }
        out.println("configuration OK");
        return 0;
    }
}
