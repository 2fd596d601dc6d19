package io.tandem.resources;

/**
 * Who keeps a group that two holders run at once: after a partition heals, after a frozen owner
 * resumes, after a killed daemon is started again, or when another host answers for a group's address.
 * The rule is the same on every node and needs no message: <b>a group's home node (its haresources
 * line) keeps it, any other holder releases it.</b> In heartbeat's two-bit terms a node keeps what it
 * holds of {@link ResourceSet#LOCAL} and releases what it holds of {@link ResourceSet#FOREIGN} when the
 * peer claims the same groups. The home node ran the group for the whole partition only if it never
 * lost it, but whichever node keeps it, the other one's copy is stopped and the keeper announces its
 * addresses again, so clients see at most the time of that stop. See docs/split-brain.md.
 */
public final class Precedence {
    private Precedence() {
    }

    /** Whether {@code node} keeps {@code group} when another holder runs it too. */
    public static boolean keeps(GroupSpec group, String node) {
        return group.preferredBy(node);
    }

    /**
     * What this node releases when it holds {@code held} and the peer claims {@code peerClaims} (both
     * seen from their own side, as on the wire): the foreign groups both claim.
     */
    public static ResourceSet toRelease(ResourceSet held, ResourceSet peerClaims) {
        boolean bothForeignHere = held.intersects(ResourceSet.FOREIGN) && peerClaims.intersects(ResourceSet.LOCAL);
        return bothForeignHere ? ResourceSet.FOREIGN : ResourceSet.NONE;
    }
}
