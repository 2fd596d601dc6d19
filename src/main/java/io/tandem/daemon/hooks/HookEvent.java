package io.tandem.daemon.hooks;

/**
 * A change worth a notify hook, made from one entry of the event history ({@link HookEvents}).
 *
 * @param event   {@code group-acquired}, {@code group-released}, {@code group-failed}, {@code node-dead},
 *                {@code node-back} or {@code split-brain}
 * @param subject the group (its key) or the node the event is about; for {@code split-brain} the
 *                group or resource concerned
 * @param group   the group concerned, or ""
 * @param peer    the node concerned (node events), or ""
 * @param state   the group's new state on this node (group events), or ""
 * @param cause   the entry's cause in words (may hold values from the network: cleaned before use)
 * @param time    the entry's time (ms since the epoch)
 * @param seq     the entry's number in the event history
 */
public record HookEvent(String event, String subject, String group, String peer, String state, String cause, long time, long seq) {
}
