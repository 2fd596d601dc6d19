package io.tandem.cli;

import picocli.CommandLine.IVersionProvider;

/** Version text: the jar's implementation version when packaged, "dev" from classes. */
public final class Version implements IVersionProvider {
    public static String text() {
        return io.tandem.daemon.Versions.text();
    }

    @Override
    public String[] getVersion() {
        return new String[] {text()};
    }
}
