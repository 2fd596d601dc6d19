package io.tandem.cli;

import picocli.CommandLine.IVersionProvider;

/** Version text: the jar's implementation version when packaged, "dev" from classes. */
public final class Version implements IVersionProvider {
    public static String text() {
        String v = Main.class.getPackage().getImplementationVersion();
        return "tandem " + (v == null ? "dev" : v);
    }

    @Override
    public String[] getVersion() {
        return new String[] {text()};
    }
}
