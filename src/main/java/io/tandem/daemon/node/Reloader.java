package io.tandem.daemon.node;

import io.tandem.config.ClusterConfig;
import io.tandem.config.ConfigDirectory;
import io.tandem.config.ConfigException;
import io.tandem.config.HaCf;
import io.tandem.daemon.control.ControlReply;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * {@code tandem reload} and SIGHUP: read /etc/ha.d again. Bad files change nothing (the error names
 * file and line); good files apply what can change under a running node — the timers, the
 * authentication keys (heartbeat too re-reads authkeys on SIGHUP), tandem-monitor.cf and tandem.cf
 * (fencing and tiebreak settings) — and name everything else that changed as needing a restart. Runs on the loop thread.
 */
final class Reloader {
    private final Path confDir;
    private final String nodeName;
    private final ClusterNode node;
    private final Inbound inbound;
    private final DaemonLog log;
    private final java.util.Map<String, String> parameters;
    private ClusterConfig current;
    /** Told of tandem.cf after each reload that passed its checks (the HTTP API restarts from it). */
    private java.util.function.Consumer<io.tandem.config.TandemCf> tandemCf = t -> { };

    Reloader(Path confDir, String nodeName, ClusterConfig current, ClusterNode node, Inbound inbound, DaemonLog log,
             java.util.Map<String, String> parameters) {
        this.parameters = parameters;
        this.confDir = confDir;
        this.nodeName = nodeName;
        this.current = current;
        this.node = node;
        this.inbound = inbound;
        this.log = log;
    }

    void onTandemCf(java.util.function.Consumer<io.tandem.config.TandemCf> listener) {
        this.tandemCf = listener;
    }

    /** Where tandem.cf's notify hooks go when a reload changes them. */
    private java.util.function.Consumer<io.tandem.config.NotifyCf> notify = n -> { };

    void onNotify(java.util.function.Consumer<io.tandem.config.NotifyCf> hooks) {
        this.notify = hooks;
    }

    ControlReply reload(long now) {
        ClusterConfig next;
        try {
            next = ConfigDirectory.load(confDir);
            Startup.checkOrThrow(next, nodeName);
        } catch (ConfigException e) {
            log.error("Reload refused, configuration unchanged: " + e.getMessage());
            return ControlReply.fail(1, "reload refused, nothing changed: " + e.getMessage() + "\n");
        }
        HaCf was = current.haCf();
        HaCf now2 = next.haCf();
        List<String> applied = new ArrayList<>();
        List<String> restart = restartNeeded(current, next);
        boolean timers = was.keepaliveMs() != now2.keepaliveMs() || was.deadtimeMs() != now2.deadtimeMs()
                || was.warntimeMs() != now2.warntimeMs() || was.deadpingMs() != now2.deadpingMs();
        if (timers) {
            applied.add("keepalive/deadtime/warntime/deadping");
        }
        if (!current.authKeys().equals(next.authKeys())) {
            log.info("Rereading authentication file.");
            applied.add("authkeys");
        }
        io.tandem.resources.MonitorPolicy monitoring = Wiring.monitoring(next.monitor());
        if (!monitoring.equals(Wiring.monitoring(current.monitor()))) {
            node.monitoring(now, monitoring);
            applied.add(io.tandem.config.ConfigDirectory.MONITOR_FILE);
        }
        boolean tandem = !current.tandem().settings().equals(next.tandem().settings());
        if (tandem) {
            applied.add(io.tandem.config.TandemCf.FILE);
            notify.accept(next.tandem().hooks());
        }
        if (!current.tandem().http().equals(next.tandem().http()) || next.tandem().http().enabled()) {
            tandemCf.accept(next.tandem()); // the token or certificate files may have changed under the same lines
            if (!applied.contains(io.tandem.config.TandemCf.FILE)) {
                applied.add("HTTP API");
            }
        }
        if (tandem || timers) {
            // the device and the ping nodes stay those the node started with (changing them needs a restart)
            node.splitBrainSettings(now, Wiring.fencing(was.fencing().deviceFor(nodeName), next.tandem()),
                    io.tandem.resources.PingTiebreak.of(next.tandem().pingTiebreak(), was.pingNodes(), now2.keepaliveMs(),
                            now2.deadtimeMs(), now2.deadpingMs()));
        }
        if (timers || !current.authKeys().equals(next.authKeys())) {
            inbound.keys(next.authKeys());
            node.reconfigure(now, now2.keepaliveMs(), now2.deadtimeMs(), now2.warntimeMs(), now2.deadpingMs(), next.authKeys());
            java.util.Map<String, String> fresh = Wiring.parameters(now2);
            for (String k : List.of("keepalive", "deadtime", "warntime", "deadping")) {
                parameters.put(k, fresh.get(k));
            }
        }
        StringBuilder reply = new StringBuilder();
        reply.append(applied.isEmpty() ? "reloaded: nothing to apply\n" : "reloaded: applied " + String.join(", ", applied) + "\n");
        if (!restart.isEmpty()) {
            String text = "needs a restart: " + String.join(", ", restart);
            log.warn("Reload: " + text);
            reply.append(text).append('\n');
        }
        log.info("Configuration reloaded" + (applied.isEmpty() ? "" : ": " + String.join(", ", applied)) + ".");
        current = applyable(current, next);
        return ControlReply.ok(reply.toString());
    }

    /** What changed that a running node cannot take on. */
    static List<String> restartNeeded(ClusterConfig was, ClusterConfig next) {
        HaCf a = was.haCf();
        HaCf b = next.haCf();
        List<String> out = new ArrayList<>();
        diff(out, "node", a.nodes(), b.nodes());
        diff(out, "log_ident", was.tandem().logIdent(), next.tandem().logIdent());
        diff(out, "tandem.cf resource (warm)", io.tandem.config.ResourceModes.warmResources(was.tandem(), was.haResources()),
                io.tandem.config.ResourceModes.warmResources(next.tandem(), next.haResources()));
        diff(out, "tandem.cf resource (may-run-twice)", io.tandem.config.ResourceModes.mayRunTwiceResources(was.tandem(), was.haResources()),
                io.tandem.config.ResourceModes.mayRunTwiceResources(next.tandem(), next.haResources()));
        diff(out, "media", a.media(), b.media());
        diff(out, "udpport", a.udpport(), b.udpport());
        diff(out, "initdead", a.initdeadMs(), b.initdeadMs());
        diff(out, "auto_failback", a.autoFailback(), b.autoFailback());
        diff(out, "msgfmt", a.msgfmt(), b.msgfmt());
        diff(out, "logfile", a.logfile(), b.logfile());
        diff(out, "debugfile", a.debugfile(), b.debugfile());
        diff(out, "logfacility", a.logfacility(), b.logfacility());
        diff(out, "respawn", a.respawns(), b.respawns());
        diff(out, "autojoin", a.autojoin(), b.autojoin());
        diff(out, "stonith", a.fencing().withoutLines(), b.fencing().withoutLines());
        diff(out, "haresources", was.haResources().groups().stream().map(g -> g.text()).toList(),
                next.haResources().groups().stream().map(g -> g.text()).toList());
        return out;
    }

    private static void diff(List<String> out, String what, Object a, Object b) {
        if (!Objects.equals(a, b)) {
            out.add(what);
        }
    }

    /**
     * The configuration the node now runs: the new timers and keys; the rest as before, so that a
     * second reload still reports what the first one could not apply.
     */
    private static ClusterConfig applyable(ClusterConfig was, ClusterConfig next) {
        HaCf a = was.haCf();
        HaCf b = next.haCf();
        HaCf merged = new HaCf(a.logfile(), a.debugfile(), a.logfacility(), b.keepaliveMs(), b.deadtimeMs(), b.warntimeMs(),
                a.initdeadMs(), b.deadpingMs(), a.udpport(), a.media(), a.nodes(), a.autoFailback(), a.msgfmt(), a.respawns(),
                a.autojoin(), a.realtime(), a.debugLevel(), a.notices(), a.source(), a.fencing());
        return new ClusterConfig(merged, next.authKeys(), was.haResources(), was.notices(), next.monitor(), next.tandem());
    }
}
