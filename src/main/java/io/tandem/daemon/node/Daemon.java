package io.tandem.daemon.node;

import io.tandem.config.Severity;
import io.tandem.config.ClusterConfig;
import io.tandem.config.ConfigDirectory;
import io.tandem.config.ConfigException;
import io.tandem.config.Finding;
import io.tandem.daemon.control.ControlServer;
import io.tandem.daemon.lifecycle.Identity;
import io.tandem.daemon.history.EventHistory;
import io.tandem.daemon.hooks.HookEvents;
import io.tandem.daemon.hooks.NotifyHooks;
import io.tandem.daemon.metrics.MetricsBoard;
import io.tandem.daemon.lifecycle.PeerLives;
import io.tandem.daemon.lifecycle.PidFile;
import io.tandem.daemon.log.AsyncLog;
import io.tandem.daemon.loop.DaemonClock;
import io.tandem.daemon.loop.EventLoop;
import io.tandem.daemon.media.Media;
import io.tandem.daemon.media.Medium;
import io.tandem.daemon.media.MediumListener;
import io.tandem.wire.RejectReason;
import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;

/**
 * {@code tandem run}: reads and checks the configuration, takes the pid file and the node's
 * identity, opens the log, the media and the control socket, and runs the node on the event loop
 * until it has left the cluster. SIGTERM (and {@code tandem stop}) is a graceful stop, as
 * heartbeat's: the groups are handed to the peer first.
 */
public final class Daemon {
    /** Exit codes of {@code tandem run}. */
    public static final int OK = 0, CONFIG_ERROR = 1, ALREADY_RUNNING = 2, CANNOT_START = 3;

    private Daemon() {
    }

    public static int run(DaemonSettings settings, PrintStream err) {
        String nodeName;
        ClusterConfig config;
        List<Finding> findings;
        try {
            config = ConfigDirectory.load(settings.paths().confDir());
            nodeName = settings.node().orElseGet(() -> HostNames.localNode(settings.paths().confDir()));
            findings = Startup.checkOrThrow(config, nodeName);
            io.tandem.daemon.address.ProbeSettings.load(settings.paths().confDir()); // tandem-arp.cf: its errors before the start
        } catch (ConfigException e) {
            e.errors().forEach(each -> err.println("tandem: " + each.getMessage()));
            return CONFIG_ERROR;
        }
        PidFile pidFile = new PidFile(settings.paths().pidFile());
        var running = pidFile.runningPid();
        if (running.isPresent()) {
            err.println("tandem: already running [pid " + running.get() + "].");
            return ALREADY_RUNNING;
        }
        try {
            io.tandem.daemon.lifecycle.PrivateDirectory.ensure(settings.paths().runDir(), "run directory");
            pidFile.claim();
        } catch (IOException e) {
            err.println("tandem: cannot write pid file " + pidFile.path() + ": " + e.getMessage());
            return CANNOT_START;
        }
        try {
            return runClaimed(settings, config, nodeName, findings, err);
        } finally {
            pidFile.release();
        }
    }

    private static int runClaimed(DaemonSettings settings, ClusterConfig config, String nodeName, List<Finding> findings,
                                  PrintStream err) {
        DaemonClock clock = new DaemonClock();
        long pid = ProcessHandle.current().pid();
        Identity identity;
        try {
            identity = Identity.advance(settings.paths().stateDir(), clock.wallMillis() / 1000);
        } catch (IOException e) {
            err.println("tandem: cannot keep the node's identity in " + settings.paths().stateDir() + ": " + e.getMessage());
            return CANNOT_START;
        }
        try (AsyncLog asyncLog = Startup.openLog(config, settings, nodeName)) {
            DaemonLog log = new DaemonLog(asyncLog, clock, pid,
                    settings.logIdent() != null ? settings.logIdent() : config.tandem().logIdent()); // --log-ident, else tandem.cf
            Startup.logBanner(log, config, nodeName, identity, findings);
            io.tandem.daemon.os.ProcessName.set("tandem").ifPresent(log::warn); // ps and top show tandem, not java
            Startup.runtimeDirectories(log);
            CompletableFuture<Integer> exit = new CompletableFuture<>();
            FatalError fatal = new FatalError(text -> log.heartbeat(io.tandem.config.Severity.CRIT, text), exit);
            try (EventLoop loop = new EventLoop("tandem-node", clock, fatal)) {
                return serve(settings, config, nodeName, identity, log, loop, exit, fatal, err);
            }
        }
    }

    private static int serve(DaemonSettings settings, ClusterConfig config, String nodeName, Identity identity, DaemonLog log,
                             EventLoop loop, CompletableFuture<Integer> exit, FatalError fatal, PrintStream err) {
        Wiring wiring = new Wiring(settings.paths().confDir(), config, nodeName, identity, log, loop);
        Set<String> pingMedia = ConcurrentHashMap.newKeySet();
        RejectLog.Timer later = (delay, task) -> {
            try {
                loop.after(delay, now -> task.run());
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // the loop has stopped (the daemon is leaving): no more summaries
            }
        };
        RejectLog rejects = new RejectLog(log::heartbeat, loop::now, later);
        SendFailureLog sendFailures = new SendFailureLog(log::error, loop::now, later, RejectLog.INTERVAL_MS);
        Inbound inbound = new Inbound(config.authKeys(), pingMedia, rejects, loop::post);
        Media media;
        try {
            java.net.Inet4Address bind = null;
            if (settings.bind().isPresent()) {
                java.net.InetAddress a = java.net.InetAddress.getByName(settings.bind().get());
                if (!(a instanceof java.net.Inet4Address)) {
                    throw new IOException("--bind " + settings.bind().get() + ": not an IPv4 address");
                }
                bind = (java.net.Inet4Address) a;
            }
            // decoding and the signature check run on each medium's receive thread (Inbound)
            media = Media.open(wiring.media(), config.haCf().udpport(), bind, inbound::packet, listener(log, rejects, sendFailures));
        } catch (IOException | RuntimeException e) {
            log.error("Cannot open heartbeat media: " + e.getMessage());
            err.println("tandem: cannot open heartbeat media: " + e.getMessage());
            return CANNOT_START;
        }
        List<String> problems = new java.util.ArrayList<>();
        long historyCap = EventHistory.maxBytes(System.getenv("TANDEM_EVENTS_MAX_BYTES"), problems);
        try (media; PeerLives lives = PeerLives.load(settings.paths().stateDir(), wiring.peers(), problems);
             EventHistory history = EventHistory.load(settings.paths().stateDir(), historyCap, problems)) {
            history.onWriteFailure(log::error);
            media.pings().forEach(p -> pingMedia.add(p.name()));
            problems.forEach(log::warn);
            lives.onWriteFailure(log::error);
            ClusterNode n = wiring.node(media, rejects, lives);
            n.history(history, nodeName);
            inbound.target(n);
            n.exit().whenComplete((code, failure) -> exit.complete(code == null ? CANNOT_START : fatal.exitCode(code)));
            StatusView view = wiring.statusView(media);
            NotifyHooks hooks = wiring.notifyHooks();
            HookEvents hookEvents = new HookEvents();
            MetricsBoard metrics = new MetricsBoard(loop::now);
            MetricsFeed feed = new MetricsFeed(loop, metrics, n, () -> view.snapshot(loop.now(), n.membership(), n.ownership(), n.rejected()),
                    history::size, hooks::runs, hooks::dropped);
            n.observe(e -> {
                feed.event(e);
                hookEvents.of(e).ifPresent(h -> hooks.fire(h, loop.now()));
            }, feed::operation);
            ServiceNotifier service = new ServiceNotifier(services(log), loop,
                    () -> io.tandem.daemon.status.StatusLine.of(view.snapshot(loop.now(), n.membership(), n.ownership(), n.rejected())));
            Runnable stop = () -> {
                service.stopping();
                loop.post(n::shutdown);
            };
            fatal.releaseWith(() -> n.shutdown(loop.now())); // called on the loop thread, after a failed event
            Signals.onTerm(stop);
            Reloader reloader = new Reloader(settings.paths().confDir(), nodeName, config, n, inbound, log, view.parameters());
            reloader.onNotify(hooks::configure);
            Signals.onHup(() -> loop.post(now -> reloader.reload(now)));
            ControlDesk desk = new ControlDesk(loop, n, view, stop, reloader, exit);
            desk.metrics(metrics);
            io.tandem.daemon.http.PeerFetch peerFetch = new io.tandem.daemon.http.PeerFetch();
            peerFetch.configure(config.tandem());
            desk.peer(peerFetch, nodeName);
            try (peerFetch; ControlServer control = new ControlServer(settings.paths().controlSocket(), (String user, List<String> words) -> desk.handle(user, words));
                 io.tandem.daemon.http.ApiListener api = new io.tandem.daemon.http.ApiListener(desk::handle, log::info, log::error);
                 RespawnClients clients = new RespawnClients(config.haCf().respawns(), log, loop)) {
                history.listen(api::event);
                api.start(config.tandem());
                reloader.onTandemCf(t -> {
                    api.reload(t);
                    peerFetch.configure(t);
                });
                loop.post(n::start);
                loop.post(feed::start);
                clients.startAll(); // stopped (the last first) when the node has left, before the control socket closes
                service.controlSocketOpen(settings.paths().controlSocket());
                int code = exit.get();
                if (code == OK) {
                    log.info("Heartbeat shutdown complete.");
                }
                return code;
            } catch (IOException e) {
                log.error("Cannot open control socket " + settings.paths().controlSocket() + ": " + e.getMessage());
                err.println("tandem: cannot open control socket: " + e.getMessage());
                return CANNOT_START;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CANNOT_START;
        } catch (ExecutionException e) {
            return CANNOT_START;
        }
    }

    /** systemd's notification socket, if the daemon runs under systemd (Type=notify). */
    private static io.tandem.daemon.lifecycle.ServiceManager services(DaemonLog log) {
        return io.tandem.daemon.lifecycle.ServiceManager.fromEnvironment(System.getenv(), ProcessHandle.current().pid(), log::warn);
    }

    private static MediumListener listener(DaemonLog log, RejectLog rejects, SendFailureLog sendFailures) {
        return new MediumListener() {
            @Override
            public void started(Medium medium, String text) {
                log.info("glib: " + text); // heartbeat 3.0.6 logs its media plugins' lines with this prefix
            }

            @Override
            public void warning(Medium medium, String text) {
                log.warn(text);
            }

            @Override
            public void foreignPacket(Medium medium, java.net.InetAddress from) {
                rejects.reject(RejectReason.FOREIGN_SOURCE, () -> "Dropped a packet on " + medium.type() + " " + medium.name() + " from "
                        + from.getHostAddress() + ", which is not a configured peer");
            }

            @Override
            public void writeFailed(Medium medium, IOException detail) {
                sendFailures.failed(medium.type() + " " + medium.name(), detail.getMessage());
            }

            @Override
            public void readFailed(Medium medium, IOException detail) {
                log.error(detail.getMessage());
            }
        };
    }
}
