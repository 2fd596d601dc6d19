package io.tandem.daemon.lifecycle;

import io.tandem.daemon.os.UnixDatagramSocket;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.Consumer;

/**
 * systemd's notification protocol (sd_notify(3)), for a unit of {@code Type=notify}: one datagram
 * of {@code NAME=VALUE} lines to the AF_UNIX socket named by {@code $NOTIFY_SOCKET} (a path, or
 * {@code @name} in the abstract namespace). Without that variable (started by hand or by
 * {@code tandem start}) every call does nothing. {@code $WATCHDOG_USEC} asks for {@code WATCHDOG=1}
 * at least that often; {@code $WATCHDOG_PID}, when set, must be this process. Sends never wait (a
 * full queue is a lost notification, not a stalled caller); the first failure is reported once.
 */
public final class ServiceManager implements AutoCloseable {
    private final String socketPath;
    private final long watchdogMicros;
    private final Consumer<String> problem;
    private UnixDatagramSocket socket;
    private boolean reported;

    private ServiceManager(String socketPath, long watchdogMicros, Consumer<String> problem) {
        this.socketPath = socketPath;
        this.watchdogMicros = watchdogMicros;
        this.problem = problem;
    }

    /** From the process environment: {@code NOTIFY_SOCKET}, {@code WATCHDOG_USEC}, {@code WATCHDOG_PID}. */
    public static ServiceManager fromEnvironment(Map<String, String> env, long pid, Consumer<String> problem) {
        String path = env.get("NOTIFY_SOCKET");
        if (path == null || path.isEmpty()) {
            return new ServiceManager(null, 0, problem);
        }
        long watchdog = 0;
        String usec = env.get("WATCHDOG_USEC");
        String forPid = env.get("WATCHDOG_PID");
        if (usec != null && usec.matches("[1-9][0-9]{0,15}") && (forPid == null || forPid.equals(Long.toString(pid)))) {
            watchdog = Long.parseLong(usec);
        } else if (usec != null && !usec.isEmpty() && (forPid == null || forPid.equals(Long.toString(pid)))) {
            problem.accept("WATCHDOG_USEC=" + usec + " is not a number of microseconds; the systemd watchdog is not fed");
        }
        return new ServiceManager(path, watchdog, problem);
    }

    /** Whether a service manager listens (NOTIFY_SOCKET was set). */
    public boolean active() {
        return socketPath != null;
    }

    /** How often systemd wants {@code WATCHDOG=1}, in milliseconds; empty without a watchdog. */
    public OptionalLong watchdogMillis() {
        return watchdogMicros > 0 ? OptionalLong.of(Math.max(1, watchdogMicros / 1000)) : OptionalLong.empty();
    }

    /** {@code READY=1} with the first status line. */
    public void ready(String status) {
        send("READY=1\nSTATUS=" + status + "\nMAINPID=" + ProcessHandle.current().pid());
    }

    /** {@code STOPPING=1}: the groups are being handed over. */
    public void stopping(String status) {
        send("STOPPING=1\nSTATUS=" + status);
    }

    /** A new {@code STATUS=} line ({@code systemctl status} shows it); false when it could not be sent (try again later). */
    public boolean status(String status) {
        return send("STATUS=" + status);
    }

    public void watchdog() {
        send("WATCHDOG=1");
    }

    private synchronized boolean send(String state) {
        if (socketPath == null) {
            return false;
        }
        try {
            if (socket == null) {
                socket = UnixDatagramSocket.open();
            }
            socket.sendWithoutWaiting(socketPath, state.replace("\0", "").getBytes(StandardCharsets.UTF_8));
            return true;
        } catch (IOException e) {
            if (!reported) {
                reported = true;
                problem.accept("Cannot notify systemd on NOTIFY_SOCKET " + socketPath + ": " + e.getMessage());
            }
            return false;
        }
    }

    @Override
    public synchronized void close() {
        if (socket != null) {
            socket.close();
            socket = null;
        }
    }
}
