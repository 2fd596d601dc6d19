package io.tandem.daemon.control;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The Java side of the control transport (libexec/tandem-control is the perl side): sends a command
 * line to the daemon's control socket and returns the reply, which the commands print as it is.
 */
public final class ControlClient {
    private ControlClient() {
    }

    /**
     * The daemon's answer to {@code words}; when no daemon answers, the command's answer from
     * {@link ClientDefinitions}: what heartbeat's cl_status answers without asking (its usage, a bad
     * sub-command), "permission denied" when this user may not open the socket, else
     * the "not running" answer.
     */
    public static ControlReply ask(Path socket, List<String> words) {
        var own = ClientDefinitions.answeredByClient(words);
        if (own.isPresent()) {
            return own.get();
        }
        try {
            return request(socket, words);
        } catch (IOException e) {
            // connect(2) needs write permission on the socket and search permission on its directories
            return !Files.notExists(socket) && !Files.isWritable(socket)
                    ? ClientDefinitions.permissionDenied(socket, System.getProperty("user.name"))
                    : ClientDefinitions.offline(words, socket);
        }
    }

    /**
     * Sends one request and reads the reply to its end (for {@code stop}, the end comes when the
     * daemon's process has ended).
     *
     * @throws IOException when no daemon answers at {@code path}
     */
    public static ControlReply request(Path path, List<String> words) throws IOException {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(path));
            ByteBuffer request = ByteBuffer.wrap(ControlProtocol.request(words));
            while (request.hasRemaining()) {
                ch.write(request);
            }
            ch.shutdownOutput();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            ByteBuffer buf = ByteBuffer.allocate(8192);
            while (ch.read(buf) >= 0) {
                all.write(buf.array(), 0, buf.position());
                buf.clear();
            }
            return ControlProtocol.reply(all.toByteArray());
        }
    }
}
