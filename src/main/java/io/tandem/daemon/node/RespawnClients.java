package io.tandem.daemon.node;

import io.tandem.config.Respawn;
import io.tandem.daemon.log.LogText;
import io.tandem.daemon.loop.EventLoop;
import io.tandem.daemon.os.Accounts;
import io.tandem.daemon.process.ChildProcess;
import io.tandem.daemon.process.RespawnRule;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;

/**
 * ha.cf's {@code respawn USER /path [args]} clients, run as heartbeat runs them: each as USER (its uid,
 * primary gid and groups, through {@code setpriv}), in a process group of its own, without a shell (the
 * command is split at blanks; heartbeat's {@code sh -c "exec ..."} would also have expanded shell
 * syntax), restarted when it exits by {@link RespawnRule}, and stopped at shutdown in reverse order
 * (TERM to its group, KILL after {@value #STOP_GRACE_MS} ms). heartbeat's ipfail is not run: Tandem's
 * ping-node tiebreak takes its place (the configuration notice says so).
 */
final class RespawnClients implements AutoCloseable {
    static final long STOP_GRACE_MS = 5_000;
    private static final String SETPRIV = "/usr/bin/setpriv";

    private final DaemonLog log;
    private final EventLoop loop;
    private final List<Client> clients = new ArrayList<>();
    private boolean shuttingDown;

    /** One respawn line and its current run. */
    private static final class Client {
        final Respawn line;
        final List<String> argv;
        final Accounts.Account account;
        ChildProcess running;
        long startedAt;
        int shortRuns;

        Client(Respawn line, List<String> argv, Accounts.Account account) {
            this.line = line;
            this.argv = argv;
            this.account = account;
        }
    }

    RespawnClients(List<Respawn> lines, DaemonLog log, EventLoop loop) {
        this.log = log;
        this.loop = loop;
        boolean root = "root".equals(System.getProperty("user.name"));
        String me = System.getProperty("user.name");
        for (Respawn r : lines) {
            if (r.isIpfail()) {
                continue; // the built-in ping-node tiebreak does its work (the notice at start says so)
            }
            Optional<Accounts.Account> account = Accounts.lookup(r.user());
            if (account.isEmpty()) {
                log.error("Invalid uid [" + LogText.clean(r.user()) + "] specified for client child " + LogText.clean(r.command()));
                continue;
            }
            List<String> argv = new ArrayList<>();
            if (root && account.get().uid() != 0) {
                argv.addAll(List.of(SETPRIV, "--reuid=" + account.get().uid(), "--regid=" + account.get().gid(), "--init-groups", "--"));
            } else if (!root && !account.get().name().equals(me)) {
                log.error("Cannot run client child " + LogText.clean(r.command()) + " as " + LogText.clean(r.user())
                        + ": the daemon runs as " + me + ", not root");
                continue;
            }
            argv.addAll(List.of(r.command().strip().split("[ \t]+")));
            clients.add(new Client(r, List.copyOf(argv), account.get()));
        }
    }

    /** Starts every client (heartbeat: once its communication is up). */
    synchronized void startAll() {
        for (Client c : clients) {
            start(c);
        }
    }

    private void start(Client c) {
        if (shuttingDown) {
            return;
        }
        String cmd = LogText.clean(c.line.command());
        log.info("Starting child client \"" + cmd + "\" (" + c.account.uid() + "," + c.account.gid() + ")");
        try {
            c.running = ChildProcess.start(c.argv, Map.of());
        } catch (IOException e) {
            c.running = null;
            log.error("Cannot exec " + cmd + ": " + LogText.clean(String.valueOf(e.getMessage())));
            return;
        }
        c.startedAt = System.nanoTime();
        ChildProcess run = c.running;
        log.info("Starting \"" + cmd + "\" as uid " + c.account.uid() + "  gid " + c.account.gid() + " (pid " + run.pid() + ")");
        run.exit().thenAccept(code -> exited(c, run, code));
    }

    private synchronized void exited(Client c, ChildProcess run, int code) {
        if (c.running != run) {
            return;
        }
        c.running = null;
        String cmd = LogText.clean(c.line.command());
        if (!shuttingDown) {
            if (code > 128) {
                log.error("Client " + cmd + " (pid=" + run.pid() + ") killed by signal " + (code - 128) + ".");
            } else if (code != 0) {
                log.error("Client " + cmd + " exited with return code " + code + ".");
            }
        }
        long ranMs = (System.nanoTime() - c.startedAt) / 1_000_000;
        RespawnRule.Decision d = RespawnRule.onExit(code, ranMs, c.shortRuns, shuttingDown);
        c.shortRuns = d.shortRuns();
        switch (d.action()) {
            case RESTART -> {
                log.error("Respawning client \"" + cmd + "\":");
                try {
                    loop.after(d.delayMs(), now -> restart(c));
                } catch (RejectedExecutionException e) {
                    // the daemon is stopping
                }
            }
            case TOO_FAST -> log.error("Client " + cmd + " \"respawning too fast\"");
            case EXITED_100 -> log.info("Client " + cmd + " exited with return code 100: not respawned");
            case SHUTTING_DOWN -> {
                // stopped on purpose
            }
        }
    }

    private synchronized void restart(Client c) {
        if (c.running == null) {
            start(c);
        }
    }

    /** The clients' pids, in ha.cf order (0 for one not running). */
    synchronized List<Long> pids() {
        return clients.stream().map(c -> c.running == null ? 0L : c.running.pid()).toList();
    }

    /** Stops every client, the last one first, as heartbeat does at shutdown; returns once they are gone. */
    @Override
    public void close() {
        List<Client> stopping;
        synchronized (this) {
            shuttingDown = true;
            stopping = new ArrayList<>(clients);
        }
        for (int i = stopping.size() - 1; i >= 0; i--) {
            Client c = stopping.get(i);
            ChildProcess run;
            synchronized (this) {
                run = c.running;
            }
            if (run == null) {
                log.info("client [" + LogText.clean(c.line.command()) + "] is not running.");
                continue;
            }
            log.info("killing " + LogText.clean(c.line.command()) + " process group " + run.pid() + " with signal 15");
            try {
                run.stop(STOP_GRACE_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
