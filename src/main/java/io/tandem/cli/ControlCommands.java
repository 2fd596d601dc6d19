package io.tandem.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * The commands answered by the running daemon. Each is a transport: it sends its name and its
 * arguments as they are to the control socket and prints the reply (the daemon's ControlDesk
 * decides every text and exit code); only when no daemon can be asked does the answer come from
 * libexec/tandem-control.def. libexec/tandem-control is the same transport in perl, which bin/tandem
 * uses when perl is there. Besides {@code --run-dir}, only {@code --help} and {@code --version} are
 * read here (and not by cl_status, whose every argument is heartbeat's).
 */
final class ControlCommands {
    private ControlCommands() {
    }

    /** The subcommands of {@code tandem}, in the order of its help. */
    static final Class<?>[] ALL = {Stop.class, Reload.class, Status.class, Standby.class, Takeover.class, Cleanup.class,
        ClStatus.class, Ping.class, Events.class, Why.class, Metrics.class};

    abstract static class Transport implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        RunDirOption run;

        @Parameters(arity = "0..*", paramLabel = "ARGS", hidden = true)
        List<String> args = new ArrayList<>();

        @Override
        public Integer call() {
            List<String> words = new ArrayList<>();
            words.add(spec.name());
            words.addAll(args);
            return RunDirOption.print(run.ask(words));
        }
    }

    @Command(name = "stop", mixinStandardHelpOptions = true, versionProvider = Version.class,
            customSynopsis = "tandem stop [--run-dir=DIR] [--wait SECONDS]",
            description = {"Stop the daemon gracefully, handing resources to the peer; returns once it is gone.",
                "--wait SECONDS: how long to wait for that (default: 300); \"Tandem already stopped.\" when none runs."})
    static final class Stop extends Transport {
    }

    @Command(name = "reload", mixinStandardHelpOptions = true, versionProvider = Version.class,
            customSynopsis = "tandem reload [--run-dir=DIR]",
            description = "Re-read the configuration: apply timers and authkeys, report what needs a restart (as SIGHUP).")
    static final class Reload extends Transport {
    }

    @Command(name = "status", mixinStandardHelpOptions = true, versionProvider = Version.class,
            customSynopsis = "tandem status [--run-dir=DIR] [--json]",
            description = {"Show what the local daemon knows: nodes, links, groups and their owners.", "--json: JSON for scripts."})
    static final class Status extends Transport {
    }

    @Command(name = "standby", aliases = "hb_standby", mixinStandardHelpOptions = true, versionProvider = Version.class,
            customSynopsis = "tandem standby [--run-dir=DIR] [all|local|foreign|failback]",
            description = "Hand this node's resources (default: all) to the other node; heartbeat's hb_standby.")
    static final class Standby extends Transport {
    }

    @Command(name = "takeover", aliases = "hb_takeover", mixinStandardHelpOptions = true, versionProvider = Version.class,
            customSynopsis = "tandem takeover [--run-dir=DIR] [all|local|foreign|failback]",
            description = "Take resources (default: all) over from the other node; heartbeat's hb_takeover.")
    static final class Takeover extends Transport {
    }

    @Command(name = "cleanup", mixinStandardHelpOptions = true, versionProvider = Version.class,
            customSynopsis = "tandem cleanup [--run-dir=DIR] GROUP",
            description = "Clear the fail counts of a resource group on this node (name its first resource or any resource of it).")
    static final class Cleanup extends Transport {
    }

    /** heartbeat's {@code cl_status} (see bin/cl_status): its dashed arguments (-m, -v, -p NAME, -h) go to the daemon as they are. */
    @Command(name = "cl_status", customSynopsis = "tandem cl_status [--run-dir=DIR] <sub-command> [-m] [options] [<parameters>]",
            description = "heartbeat-compatible cluster status queries (hbstatus, listnodes, nodestatus, ...).")
    static final class ClStatus extends Transport {
    }

    @Command(name = "ping", mixinStandardHelpOptions = true, versionProvider = Version.class,
            customSynopsis = "tandem ping [--run-dir=DIR]",
            description = "Exit 0 when a daemon answers on the control socket (the liveness rule), else say why not.")
    static final class Ping extends Transport {
    }

    @Command(name = "events", mixinStandardHelpOptions = true, versionProvider = Version.class,
            customSynopsis = "tandem events [--run-dir=DIR] [--since DURATION] [--json] [--local]",
            description = {"Show the event history: node and link deaths, decisions, resource operations, operator commands; merged",
                "with the peer's when tandem.cf has http_peer (--local: this node's only). --since DURATION: only the last 30s, 10m,",
                "2h, 1d, ...; --json: JSON for scripts (docs/observability.md)."})
    static final class Events extends Transport {
    }

    @Command(name = "why", mixinStandardHelpOptions = true, versionProvider = Version.class,
            customSynopsis = "tandem why [--run-dir=DIR] [GROUP] [--json] [--local]",
            description = {"Explain the last move of a group (default: the last group that moved): its cause, the decision, each",
                "resource operation and its duration, the state reached; with the peer's steps when tandem.cf has http_peer",
                "(--local: this node's view only); --json: JSON for scripts."})
    static final class Why extends Transport {
    }

    @Command(name = "metrics", mixinStandardHelpOptions = true, versionProvider = Version.class,
            customSynopsis = "tandem metrics [--run-dir=DIR]",
            description = {"Print this node's metrics in Prometheus' text format (at most 1 s old): nodes, links, heartbeat ages,",
                "groups and owners, resource health, operations, failovers, rejected packets (docs/observability.md)."})
    static final class Metrics extends Transport {
    }
}
