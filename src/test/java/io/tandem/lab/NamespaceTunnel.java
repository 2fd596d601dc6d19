package io.tandem.lab;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A way for the test JVM to talk to a TCP port that listens on a lab host's own loopback (a
 * chromedriver inside the client host), without giving the host a route to the machine: a listener
 * on the machine's 127.0.0.1 that relays each connection to {@code 127.0.0.1:PORT} inside the host.
 * The inner sockets are opened by one thread that has joined the host's network namespace
 * ({@code setns(2)} changes the namespace of the calling thread only; a socket stays in the namespace
 * it was made in). Nothing of the lab's traffic passes the machine's namespace: only the test's own
 * commands to the tool inside the host do, on the machine's loopback.
 */
public final class NamespaceTunnel implements AutoCloseable {
    private static final int CLONE_NEWNET = 0x40000000;
    private static final int O_RDONLY_CLOEXEC = 0x80000;

    interface Ns extends Library {
        Ns C = Native.load("c", Ns.class);

        int open(String path, int flags) throws LastErrorException;

        int setns(int fd, int nstype) throws LastErrorException;

        int close(int fd) throws LastErrorException;
    }

    private final ServerSocket listener;
    private final ExecutorService inside;
    private final int innerPort;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    /** Relays to {@code 127.0.0.1:innerPort} in the network namespace of the process {@code nsPid} (a host's init). */
    public NamespaceTunnel(long nsPid, int innerPort) {
        this.innerPort = innerPort;
        Path ns = Path.of("/proc", Long.toString(nsPid), "ns", "net");
        inside = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "netns-" + nsPid);
            t.setDaemon(true);
            return t;
        });
        try {
            String want = Files.readSymbolicLink(ns).toString();
            String joined = inside.submit(() -> {
                int fd = Ns.C.open(ns.toString(), O_RDONLY_CLOEXEC);
                try {
                    Ns.C.setns(fd, CLONE_NEWNET);
                } finally {
                    Ns.C.close(fd);
                }
                return Files.readSymbolicLink(Path.of("/proc/thread-self/ns/net")).toString();
            }).get(10, TimeUnit.SECONDS);
            if (!joined.equals(want)) {
                throw new IllegalStateException("the tunnel's thread is in " + joined + ", not in " + want);
            }
            listener = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            inside.shutdownNow();
            throw new UncheckedIOException(e);
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            inside.shutdownNow();
            throw new IllegalStateException("cannot join the network namespace of " + nsPid + ": " + e, e);
        }
        acceptor = new Thread(this::accept, "tunnel-" + innerPort);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** The machine-side port ({@code 127.0.0.1}). */
    public int port() {
        return listener.getLocalPort();
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket outer = listener.accept();
                SocketChannel inner = inside.submit(() -> SocketChannel.open(new InetSocketAddress("127.0.0.1", innerPort)))
                        .get(10, TimeUnit.SECONDS);
                Socket innerSocket = inner.socket();
                open.add(outer);
                open.add(innerSocket);
                // the socket's own streams: Channels.newInputStream would hold the channel's blocking lock while it
                // waits for data, and the other direction's writes would wait for that lock
                pump(outer.getInputStream(), innerSocket.getOutputStream(), outer, innerSocket);
                pump(innerSocket.getInputStream(), outer.getOutputStream(), outer, innerSocket);
            } catch (IOException | ExecutionException | TimeoutException e) {
                if (listener.isClosed()) {
                    return;
                }
                // one failed connection (the tool inside is not up yet): the client sees it closed and retries
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void pump(InputStream in, OutputStream out, Socket a, Socket b) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[16384];
            try {
                for (int n; (n = in.read(buf)) >= 0; ) {
                    out.write(buf, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // the other side closed
            } finally {
                closeQuietly(a);
                closeQuietly(b);
            }
        }, "tunnel-pump");
        t.setDaemon(true);
        t.start();
    }

    private void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // already closed
        }
        open.remove(s);
    }

    @Override
    public void close() {
        try {
            listener.close();
        } catch (IOException e) {
            // closing anyway
        }
        open.forEach(this::closeQuietly);
        inside.shutdownNow();
    }
}
