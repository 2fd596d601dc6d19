package io.tandem.cli;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * {@code tandem run}'s options read without picocli, so that the daemon's JVM neither loads picocli
 * (176 classes that the class-data archive cannot hold, their class files being Java 5's) nor keeps its
 * command model for its whole life: about 2 MB of the daemon's memory (docs/benchmarks.md, "Where the
 * memory goes"). Only a command line whose every word is one of run's own options, each once, in a form
 * picocli reads the same way ({@code --name value}, {@code --name=value}, {@code -c DIR}), is read here;
 * anything else (help, version, an unknown, repeated or incomplete option, a value that looks like an
 * option) is left to picocli, which answers it as before.
 */
final class RunArguments {
    private RunArguments() {
    }

    /** The run command for {@code args}, or empty when picocli must read them. */
    static Optional<RunCommand> parse(String... args) {
        if (args.length == 0 || !args[0].equals("run")) {
            return Optional.empty();
        }
        RunCommand c = new RunCommand();
        c.run = new RunDirOption();
        c.options = new DaemonOptions();
        Set<String> seen = new HashSet<>();
        for (int i = 1; i < args.length; i++) {
            String word = args[i];
            int eq = word.startsWith("--") ? word.indexOf('=') : -1;
            String name = eq > 0 ? word.substring(0, eq) : word;
            String canonical = name.equals("-c") ? "--config-dir" : name;
            if (!seen.add(canonical)) {
                return Optional.empty();
            }
            if (canonical.equals("--quiet") || canonical.equals("--detached")) {
                if (eq > 0) {
                    return Optional.empty();
                }
                if (canonical.equals("--quiet")) {
                    c.quiet = true;
                } else {
                    c.detached = true;
                }
                continue;
            }
            String value;
            if (eq > 0) {
                value = word.substring(eq + 1);
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                return Optional.empty();
            }
            if (value.isEmpty() || value.startsWith("-") || value.startsWith("@") || !set(c, canonical, value)) {
                return Optional.empty();
            }
        }
        return Optional.of(c);
    }

    private static boolean set(RunCommand c, String option, String value) {
        try {
            switch (option) {
                case "--run-dir" -> c.run.runDir = Path.of(value);
                case "--config-dir" -> c.options.confDir = Path.of(value);
                case "--state-dir" -> c.options.stateDir = Path.of(value);
                case "--node" -> c.options.node = value;
                case "--log-format" -> c.options.logFormat = value;
                case "--bind" -> c.options.bind = value;
                case "--log-ident" -> c.options.logIdent = value;
                default -> {
                    return false;
                }
            }
            return true;
        } catch (InvalidPathException e) {
            return false;
        }
    }
}
