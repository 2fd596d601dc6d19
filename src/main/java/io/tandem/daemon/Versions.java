package io.tandem.daemon;

/** Tandem's version: the jar's implementation version when packaged, "dev" when run from classes. */
public final class Versions {
    private Versions() {
    }

    /** {@code tandem 0.1.0} (or {@code tandem dev}). */
    public static String text() {
        String v = Versions.class.getPackage().getImplementationVersion();
        return "tandem " + (v == null ? "dev" : v);
    }
}
