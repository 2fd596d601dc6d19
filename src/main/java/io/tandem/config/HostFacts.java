package io.tandem.config;

/** What {@link Checks} asks about the machine it runs on; the daemon layer implements it. */
public interface HostFacts {
    /** This host's name ({@code uname -n}). */
    String hostname();

    /** Whether a network interface of this name exists here. */
    boolean interfaceExists(String name);
}
