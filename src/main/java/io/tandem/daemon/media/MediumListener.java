package io.tandem.daemon.media;

import java.io.IOException;

/**
 * What a medium reports besides packets, so the daemon can log it heartbeat's way (write errors
 * are counted and suppressed after ten in a row, see PROTOCOL.md §3). Called from the sending
 * thread (write failures) or the medium's receive thread (read failures).
 */
public interface MediumListener {
    /** The medium is open; {@code text} is heartbeat's start-up log line for it. */
    void started(Medium medium, String text);

    /** A packet could not be sent on the medium; {@code detail} names destination and cause. */
    void writeFailed(Medium medium, IOException detail);

    /** Receiving failed (the receive thread carries on unless the medium was closed). */
    void readFailed(Medium medium, IOException detail);
}
