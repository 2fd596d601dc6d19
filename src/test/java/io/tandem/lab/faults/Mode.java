package io.tandem.lab.faults;

/** Which daemon runs on each of the campaign's two nodes. */
public enum Mode {
    /** Tandem on both nodes. */
    TANDEM(true, true),
    /** heartbeat 3.0.6 on both nodes: the reference. */
    HEARTBEAT(false, false),
    /** heartbeat 3.0.6 on node1 (the group's home node), Tandem on node2. */
    MIXED(false, true);

    private final boolean tandemOn1;
    private final boolean tandemOn2;

    Mode(boolean tandemOn1, boolean tandemOn2) {
        this.tandemOn1 = tandemOn1;
        this.tandemOn2 = tandemOn2;
    }

    /** Whether node {@code index} (0 or 1) runs Tandem (else heartbeat 3.0.6). */
    public boolean tandem(int index) {
        return index == 0 ? tandemOn1 : tandemOn2;
    }

    public static Mode parse(String text) {
        return valueOf(text.strip().toUpperCase(java.util.Locale.ROOT));
    }
}
