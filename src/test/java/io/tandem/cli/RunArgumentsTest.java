package io.tandem.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** RunArguments reads what it reads exactly as picocli does, and leaves everything else to picocli. */
class RunArgumentsTest {
    @Test
    void readsRunsOwnOptionsAsPicocliDoes() {
        for (List<String> line : List.of(List.of("run"), List.of("run", "--quiet"),
                List.of("run", "--quiet", "--detached", "--run-dir", "/tmp/r", "-c", "/etc/x", "--node", "n1", "--state-dir", "/s",
                        "--log-format", "json", "--bind", "127.0.0.1", "--log-ident", "tandem"),
                List.of("run", "--run-dir=/tmp/r", "--config-dir=/etc/x", "--node=n=1", "--log-format=SYSLOG", "--state-dir", "rel/dir"))) {
            String[] args = line.toArray(String[]::new);
            RunCommand quick = RunArguments.parse(args).orElseThrow(() -> new AssertionError("not read: " + line));
            RunCommand picocli = new RunCommand();
            new CommandLine(picocli).setExpandAtFiles(false).parseArgs(Arrays.copyOfRange(args, 1, args.length));
            assertThat(describe(quick)).as("%s", line).isEqualTo(describe(picocli));
        }
    }

    @Test
    void leavesEverythingElseToPicocli() {
        for (List<String> line : List.of(List.<String>of(), List.of("start", "--quiet"), List.of("run", "--help"), List.of("run", "-h"),
                List.of("run", "--version"), List.of("run", "--verbose"), List.of("run", "--node"), List.of("run", "--node", "--quiet"),
                List.of("run", "--node", "a", "--node", "b"), List.of("run", "-c", "/a", "--config-dir", "/b"), List.of("run", "-c/etc"),
                List.of("run", "--quiet", "--quiet"), List.of("run", "--quiet=true"), List.of("run", "--node="), List.of("run", "@args"),
                List.of("run", "extra"), List.of("run", "--", "--quiet"), List.of("run", "--run-dir", "/a\0b"))) {
            assertThat(RunArguments.parse(line.toArray(String[]::new))).as("%s", line).isEmpty();
        }
    }

    private static String describe(RunCommand c) {
        return String.join("|", String.valueOf(c.quiet), String.valueOf(c.detached), String.valueOf(c.run.runDir),
                String.valueOf(c.options.confDir), String.valueOf(c.options.stateDir), String.valueOf(c.options.node),
                String.valueOf(c.options.logFormat), String.valueOf(c.options.bind), String.valueOf(c.options.logIdent));
    }
}
