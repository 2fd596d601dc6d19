package io.tandem.daemon.control;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;

/**
 * The daemon's control socket: a Unix-domain stream socket (mode 600) that only root (and the user
 * the daemon itself runs as, e.g. for the no-root demo) may use,
 * checked per connection with SO_PEERCRED. One request per connection: a line of words
 * (e.g. {@code standby all}); the answer is a line with the exit code followed by the output.
 */
public final class ControlServer implements AutoCloseable {
    private static final int MAX_REQUEST = 4096;

    private final Path path;
    private final ServerSocketChannel server;
    private final Function<List<String>, CompletableFuture<ControlReply>> handler;
    private final Thread acceptor;
    /** The user the daemon runs as (the socket's owner): besides root, only it may send requests. */
    private final java.nio.file.attribute.UserPrincipal owner;
    private volatile boolean closed;

    public ControlServer(Path path, Function<List<String>, CompletableFuture<ControlReply>> handler) throws IOException {
        this.path = path;
        this.handler = handler;
        Files.createDirectories(path.getParent());
        Files.deleteIfExists(path);
        this.server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(path));
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
        this.owner = Files.getOwner(path);
        this.acceptor = new Thread(this::acceptLoop, "tandem-control");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public Path path() {
        return path;
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                SocketChannel client = server.accept();
                Thread t = new Thread(() -> serve(client), "tandem-control-client");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                if (closed) {
                    return;
                }
            }
        }
    }

    private void serve(SocketChannel client) {
        try (client) {
            UnixDomainPrincipal peer = client.getOption(ExtendedSocketOptions.SO_PEERCRED);
            String line = readLine(client); // read first: closing with unread input would reset the answer
            if (!"root".equals(peer.user().getName()) && !peer.user().equals(owner)) {
                write(client, ControlReply.fail(4, "tandem: permission denied: only root may control the daemon (you are "
                        + peer.user().getName() + ")\n"));
                return;
            }
            List<String> words = line.isBlank() ? List.of() : List.of(line.trim().split("\\s+"));
            ControlReply reply;
            try {
                reply = handler.apply(words).get(120, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException e) {
                reply = e.getCause() instanceof io.tandem.daemon.loop.EventLoop.Stopping
                        ? ControlReply.fail(3, "tandem: " + e.getCause().getMessage() + "\n") // LSB "not running", as after the exit
                        : ControlReply.fail(13, "tandem: request failed: " + e.getCause().getMessage() + "\n");
            } catch (RuntimeException e) {
                reply = ControlReply.fail(13, "tandem: request failed: " + e.getMessage() + "\n");
            } catch (java.util.concurrent.TimeoutException e) {
                reply = ControlReply.fail(13, "tandem: no answer from the daemon within 120 s\n");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                reply = ControlReply.fail(13, "tandem: interrupted\n");
            }
            write(client, reply);
        } catch (IOException e) {
            // The client went away; nothing to answer.
        }
    }

    private static String readLine(SocketChannel ch) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(MAX_REQUEST);
        while (buf.hasRemaining()) {
            int n = ch.read(buf);
            if (n < 0) {
                break;
            }
            byte[] a = buf.array();
            for (int i = 0; i < buf.position(); i++) {
                if (a[i] == '\n') {
                    return new String(a, 0, i, StandardCharsets.UTF_8);
                }
            }
        }
        return new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8);
    }

    private static void write(SocketChannel ch, ControlReply reply) throws IOException {
        ByteBuffer out = ByteBuffer.wrap((reply.exitCode() + "\n" + reply.output()).getBytes(StandardCharsets.UTF_8));
        while (out.hasRemaining()) {
            ch.write(out);
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
            Files.deleteIfExists(path);
        } catch (IOException e) {
            // Best effort at shutdown.
        }
    }
}
