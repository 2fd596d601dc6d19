package io.tandem.resources;

import io.tandem.config.Severity;
import io.tandem.wire.Message;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The effect sink of the ownership engine: the protocol steps append effects here, in the order the
 * caller must perform them. A sent message is also kept to be handled as this node's own (heartbeat
 * processes its own broadcasts, the "self" rows of docs/protocol.md 7.4).
 */
final class Effects implements GroupRun.Out {
    /** The source of most log lines. */
    static final String HB = "heartbeat";

    private List<Effect> list = new ArrayList<>();
    private final Deque<Message> own = new ArrayDeque<>();

    /** Starts the effects of a new event; the returned list fills until the next call. */
    List<Effect> begin() {
        list = new ArrayList<>();
        return list;
    }

    @Override
    public void log(Severity level, String source, String text) {
        list.add(new Effect.Log(level, source, text));
    }

    /** Sends a message and keeps our own copy for processing (heartbeat's loopback). */
    void send(Message m) {
        list.add(new Effect.Send(m));
        own.add(m);
    }

    @Override
    public void run(ResourceOp op) {
        list.add(new Effect.Run(op));
    }

    /** {@link Effect.ShutdownComplete}, {@link Effect.ShutdownAborted}, {@link Effect.Reboot}. */
    void add(Effect e) {
        list.add(e);
    }

    /** The next of our own messages still to handle, or null. */
    Message nextOwn() {
        return own.poll();
    }
}
