package io.tandem.daemon.http;

import io.tandem.daemon.control.ControlReply;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The daemon's one way in for operator requests: the control socket's (the daemon's {@code ControlDesk}).
 * The API hands it the same command words {@code tandem} would send, with who asked, and gets the
 * same reply: no second implementation of any command.
 */
@FunctionalInterface
public interface ControlPath {
    CompletableFuture<ControlReply> handle(String who, List<String> words);
}
