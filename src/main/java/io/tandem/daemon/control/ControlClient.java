package io.tandem.daemon.control;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/** Sends one request to a running daemon's control socket and returns its reply. */
public final class ControlClient {
    private ControlClient() {
    }

    /** @throws IOException when no daemon listens at {@code path} */
    public static ControlReply request(Path path, List<String> words) throws IOException {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(path));
            ch.write(ByteBuffer.wrap((String.join(" ", words) + "\n").getBytes(StandardCharsets.UTF_8)));
            ch.shutdownOutput();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            ByteBuffer buf = ByteBuffer.allocate(8192);
            while (ch.read(buf) >= 0) {
                all.write(buf.array(), 0, buf.position());
                buf.clear();
            }
            String text = all.toString(StandardCharsets.UTF_8);
            int nl = text.indexOf('\n');
            if (nl < 0) {
                throw new IOException("daemon closed the control connection without an answer");
            }
            try {
                return new ControlReply(Integer.parseInt(text.substring(0, nl).trim()), text.substring(nl + 1));
            } catch (NumberFormatException e) {
                throw new IOException("daemon answered something that is not a control reply: " + text.substring(0, nl));
            }
        }
    }
}
