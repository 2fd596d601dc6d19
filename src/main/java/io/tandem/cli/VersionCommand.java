package io.tandem.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code tandem version}: the version (as {@code tandem --version}) and the protocol it speaks. */
@Command(name = "version", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Print Tandem's version and the heartbeat version it is compatible with.")
final class VersionCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.out.println(Version.text());
        System.out.println("speaks the wire protocol of heartbeat 3.0.6 (docs/protocol.md); Java " + Runtime.version());
        return 0;
    }
}
