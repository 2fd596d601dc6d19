package io.tandem.lab;

import com.sun.jna.Library;
import com.sun.jna.Native;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs test code on a new thread that first enters a network namespace made with {@code ip netns add}
 * ({@code setns(2)} on {@code /run/netns/NAME}): sockets it opens, and threads it starts, live there. The
 * JVM's other threads stay where they are.
 */
public final class NetnsThread {
    private static final int CLONE_NEWNET = 0x40000000;

    /** setns(2) and open(2). */
    interface Libc extends Library {
        Libc C = Native.load("c", Libc.class);

        int open(String path, int flags);

        int setns(int fd, int nstype);

        int close(int fd);
    }

    private NetnsThread() {
    }

    /** {@code body}'s result, computed on a thread inside {@code namespace}; at most {@code seconds} long. */
    public static <T> T call(String namespace, long seconds, Callable<T> body) throws InterruptedException, ExecutionException, TimeoutException {
        return CompletableFuture.supplyAsync(() -> {
            int fd = Libc.C.open("/run/netns/" + namespace, 0);
            if (fd < 0 || Libc.C.setns(fd, CLONE_NEWNET) != 0) {
                throw new IllegalStateException("cannot enter the network namespace " + namespace);
            }
            Libc.C.close(fd);
            try {
                return body.call();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, r -> new Thread(r, "in-" + namespace).start()).get(seconds, TimeUnit.SECONDS);
    }
}
