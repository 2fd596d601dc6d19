package io.tandem.wire;

import java.util.Objects;
import java.util.Optional;

/**
 * A decoded datagram: the message, the framing it came in, and what authentication needs besides
 * the fields: for netstring packets the trailer ({@code "1 <hex>"}) and how many leading bytes it
 * signs (through {@code %%%\n}).
 */
public record Packet(Message message, WireFormat framing, Optional<String> trailer, byte[] bytes, int signedLength) {
    public Packet {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(framing, "framing");
        Objects.requireNonNull(trailer, "trailer");
        Objects.requireNonNull(bytes, "bytes");
    }
}
