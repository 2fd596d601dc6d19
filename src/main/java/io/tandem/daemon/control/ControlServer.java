package io.tandem.daemon.control;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;

/**
 * The daemon's control socket: a Unix-domain stream socket (mode 600) that only root (and the user
 * the daemon itself runs as, e.g. for the no-root demo) may use, checked per connection with
 * SO_PEERCRED. One request per connection (format: {@link ControlProtocol}): a command line in, its
 * exit code, standard output and standard error out. A reply marked {@link ControlReply#heldUntilExit}
 * keeps its connection open until the process ends, so its client returns when the daemon is gone.
 */
public final class ControlServer implements AutoCloseable {
    /** How long {@link #close} waits for replies still being made (e.g. to stop, completed by the exit). */
    private static final long CLOSE_WAIT_MS = 2000;

    private final Path path;
    private final ServerSocketChannel server;
    private final java.util.function.BiFunction<String, List<String>, CompletableFuture<ControlReply>> handler;
    private final Thread acceptor;
    /** The user the daemon runs as (the socket's owner): besides root, only it may send requests. */
    private final java.nio.file.attribute.UserPrincipal owner;
    private final Set<Thread> serving = ConcurrentHashMap.newKeySet();
    /** Connections left open for the process exit to close (never closed here). */
    private final List<SocketChannel> held = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    public ControlServer(Path path, Function<List<String>, CompletableFuture<ControlReply>> handler) throws IOException {
        this(path, (String user, List<String> words) -> handler.apply(words));
    }

    /**
     * As {@link #ControlServer(Path, Function)}, the handler also told who asks: the user name of the
     * client's uid, from SO_PEERCRED (for the event history's operator entries).
     */
    public ControlServer(Path path, java.util.function.BiFunction<String, List<String>, CompletableFuture<ControlReply>> handler)
            throws IOException {
        this.path = path;
        this.handler = handler;
        // The daemon has checked the directory (lifecycle.PrivateDirectory: ours, writable by no other
        // user), so nothing another user made is at the path: a stale socket of a dead daemon, or a
        // link, is unlinked (never followed) and the chmod below reaches our own socket.
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
                serving.add(t);
                t.start();
            } catch (IOException e) {
                if (closed) {
                    return;
                }
            }
        }
    }

    private void serve(SocketChannel client) {
        boolean hold = false;
        try {
            UnixDomainPrincipal peer = client.getOption(ExtendedSocketOptions.SO_PEERCRED);
            byte[] request = new byte[ControlProtocol.MAX_REQUEST];
            int length = readAll(client, request); // read first: closing with unread input would reset the answer
            ControlReply reply;
            if (!"root".equals(peer.user().getName()) && !peer.user().equals(owner)) {
                reply = ClientDefinitions.permissionDenied(path, peer.user().getName());
            } else if (length < 0) {
                reply = ControlReply.fail(2, "tandem: a control request is at most " + ControlProtocol.MAX_REQUEST + " bytes\n");
            } else {
                reply = answer(peer.user().getName(), ControlProtocol.words(request, length));
            }
            write(client, reply);
            hold = reply.heldUntilExit();
            if (hold) {
                held.add(client);
            }
        } catch (IOException e) {
            // The client went away; nothing to answer.
        } finally {
            if (!hold) {
                try {
                    client.close();
                } catch (IOException e) {
                    // nothing to do
                }
            }
            serving.remove(Thread.currentThread());
        }
    }

    private ControlReply answer(String user, List<String> words) {
        try {
            return handler.apply(user, words).get(); // each request has its own time limit (ControlDesk)
        } catch (java.util.concurrent.ExecutionException e) {
            return ControlReply.fail(13, "tandem: request failed: " + e.getCause().getMessage() + "\n");
        } catch (RuntimeException e) {
            return ControlReply.fail(13, "tandem: request failed: " + e.getMessage() + "\n");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ControlReply.fail(13, "tandem: interrupted\n");
        }
    }

    /**
     * Reads the request to its end (the client shuts its side down), or to the end of its line when
     * it is a line of words (a newline before any NUL); returns its length, or -1 when it is longer
     * than {@code buf}.
     */
    private static int readAll(SocketChannel ch, byte[] buf) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(buf);
        boolean words = false;
        for (int seen = 0; ch.read(b) >= 0; ) {
            for (; seen < b.position(); seen++) {
                words |= buf[seen] == 0;
                if (!words && buf[seen] == '\n') {
                    return seen + 1;
                }
            }
            if (!b.hasRemaining()) {
                return -1;
            }
        }
        return b.position();
    }

    private static void write(SocketChannel ch, ControlReply reply) throws IOException {
        ByteBuffer out = ByteBuffer.wrap(ControlProtocol.reply(reply));
        while (out.hasRemaining()) {
            ch.write(out);
        }
    }

    /** Stops accepting, then lets the replies being made go out (at most 2 s): the answers to stop come now. */
    @Override
    public void close() {
        closed = true;
        try {
            server.close();
            Files.deleteIfExists(path);
        } catch (IOException e) {
            // Best effort at shutdown.
        }
        long deadline = System.nanoTime() + CLOSE_WAIT_MS * 1_000_000;
        for (Thread t : serving) {
            try {
                t.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
