package io.tandem.daemon.node;

import io.tandem.config.ClusterConfig;
import io.tandem.config.FailbackMode;
import io.tandem.config.HaCf;
import io.tandem.config.MediumConfig;
import io.tandem.config.TimeValue;
import io.tandem.daemon.address.ArpGuard;
import io.tandem.daemon.address.ProbeSettings;
import io.tandem.resources.AddressPreProbe;
import io.tandem.daemon.agent.AgentRunner;
import io.tandem.daemon.Versions;
import io.tandem.daemon.lifecycle.Identity;
import io.tandem.daemon.lifecycle.PeerLives;
import io.tandem.daemon.loop.EventLoop;
import io.tandem.daemon.media.Media;
import io.tandem.daemon.media.Medium;
import io.tandem.daemon.process.ProcessRunner;
import io.tandem.membership.MembershipConfig;
import io.tandem.membership.MembershipEngine;
import io.tandem.node.NodeCore;
import io.tandem.resources.GroupSpec;
import io.tandem.resources.OwnershipConfig;
import io.tandem.resources.OwnershipEngine;
import io.tandem.wire.WireFormat;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds the node's parts from the configuration: media specs, engines, outbound path, status view. */
final class Wiring {
    private final ClusterConfig config;
    private final String nodeName;
    private final Identity identity;
    private final DaemonLog log;
    private final EventLoop loop;

    private final java.nio.file.Path confDir;
    private final ProcessRunner processes = new ProcessRunner();

    Wiring(java.nio.file.Path confDir, ClusterConfig config, String nodeName, Identity identity, DaemonLog log, EventLoop loop) {
        this.confDir = confDir;
        this.config = config;
        this.nodeName = nodeName;
        this.identity = identity;
        this.log = log;
        this.loop = loop;
    }

    /** The media to open: ha.cf's media lines, one medium per device or host. */
    List<MediumConfig> media() {
        return config.haCf().media();
    }

    List<String> pingNodes() {
        return config.haCf().pingNodes();
    }

    /** The other cluster nodes (lower case, as the membership engine names them). */
    java.util.Set<String> peers() {
        java.util.Set<String> s = new java.util.LinkedHashSet<>();
        for (String n : config.haCf().nodes()) {
            String l = n.toLowerCase(java.util.Locale.ROOT);
            if (!l.equals(nodeName.toLowerCase(java.util.Locale.ROOT))) {
                s.add(l);
            }
        }
        return s;
    }

    ClusterNode node(Media media, RejectLog rejects, PeerLives lives) {
        HaCf cf = config.haCf();
        MembershipConfig mc = new MembershipConfig(nodeName, cf.nodes(), pingNodes(), cf.keepaliveMs(), cf.deadtimeMs(),
                cf.warntimeMs(), cf.initdeadMs(), cf.deadpingMs(), identity.generation(), identity.uuid());
        MembershipEngine membership = new MembershipEngine(mc, new MachineEnvironment());
        membership.remember(lives.lives());
        List<GroupSpec> groups = new ArrayList<>();
        config.haResources().groups().forEach(g -> groups.add(new GroupSpec(g.node(),
                g.resources().stream().map(r -> r.text()).toList())));
        java.util.Optional<io.tandem.config.StonithDevice> device = cf.fencing().deviceFor(nodeName);
        ProbeSettings probes = ProbeSettings.load(confDir);
        OwnershipEngine ownership = new OwnershipEngine(OwnershipConfig.of(nodeName, cf.nodes(), cf.autoFailback(),
                groups, ProcessHandle.current().pid()).withMonitoring(monitoring(config.monitor()))
                .withFencing(fencing(device, config.tandem()))
                .withPingTiebreak(tiebreak(config))
                .withWarm(io.tandem.config.ResourceModes.warmResources(config.tandem(), config.haResources()))
                .withMayRunTwice(io.tandem.config.ResourceModes.mayRunTwiceResources(config.tandem(), config.haResources())),
                probes.enabled() ? AddressPreProbe.Settings.window(probes.windowMs()) : AddressPreProbe.Settings.OFF);
        // msgfmt classic (the default) is what Debian's 3.0.6 sends: netstring with the classic auth field inside.
        WireFormat format = cf.msgfmt() == io.tandem.config.MessageFormat.NETSTRING ? WireFormat.NETSTRING : WireFormat.NETSTRING_WITH_AUTH_FIELD;
        Outbound out = new Outbound(media, config.authKeys(), format, log);
        ProcessRunner processes = this.processes;
        var scriptEnv = scriptEnvironment();
        AgentRunner agents = AgentRunner.standard(processes, scriptEnv);
        RcHooks hooks = new RcHooks(confDir, processes, scriptEnv, cf.autoFailback() != FailbackMode.LEGACY, log);
        ClusterNode[] node = new ClusterNode[1];
        ArpGuard arp = new ArpGuard(probes, c -> loop.post(t -> node[0].addressConflict(t, c)),
                problem -> loop.post(t -> log.warn(problem)), line -> loop.post(t -> log.debug(line)));
        node[0] = new ClusterNode(new NodeCore(membership, ownership), out, new AgentScripts(agents, log), log, loop, hooks, rejects, lives,
                arp, device.map(d -> new StonithRunner(processes, d, log::info)));
        return node[0];
    }

    /** The resource scripts' environment (HA_*), which the notify hooks get too. */
    private Map<String, String> scriptEnvironment() {
        HaCf cf = config.haCf();
        return AgentRunner.heartbeatEnvironment(nodeName, cf.logfile().orElse(null), cf.debugfile().orElse(null), cf.logfacility().orElse(null));
    }

    /** tandem.cf's notify hooks (docs/observability.md), run by the same process runner as the resource scripts. */
    io.tandem.daemon.hooks.NotifyHooks notifyHooks() {
        return new io.tandem.daemon.hooks.NotifyHooks(config.tandem().hooks(), processes, scriptEnvironment(), nodeName,
                (level, text) -> log.engine(level, io.tandem.node.NodeEffect.Log.HEARTBEAT, text));
    }

    StatusView statusView(Media media) {
        List<String> links = media.links().stream().map(Medium::name).distinct().toList();
        return new StatusView(nodeName, config.haCf().nodes(), pingNodes(), links, parameters(config.haCf()), Versions.text(),
                loop.now(), identity.generation());
    }

    /** ha.cf values for {@code cl_status hbparameter}; a mutable map so a reload can update the timers. */
    static Map<String, String> parameters(HaCf cf) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("keepalive", TimeValue.format(cf.keepaliveMs()));
        p.put("deadtime", TimeValue.format(cf.deadtimeMs()));
        p.put("warntime", TimeValue.format(cf.warntimeMs()));
        p.put("initdead", TimeValue.format(cf.initdeadMs()));
        p.put("deadping", TimeValue.format(cf.deadpingMs()));
        p.put("udpport", Integer.toString(cf.udpport()));
        p.put("auto_failback", cf.autoFailback().name().toLowerCase(java.util.Locale.ROOT));
        p.put("msgfmt", cf.msgfmt().name().toLowerCase(java.util.Locale.ROOT));
        p.put("autojoin", cf.autojoin().name().toLowerCase(java.util.Locale.ROOT));
        p.put("debug", Integer.toString(cf.debugLevel()));
        cf.logfile().ifPresent(v -> p.put("logfile", v));
        cf.debugfile().ifPresent(v -> p.put("debugfile", v));
        cf.logfacility().ifPresent(v -> p.put("logfacility", v));
        return p;
    }

    /** ha.cf's STONITH device for this node, if any, with tandem.cf's fencing settings, as the engine's policy. */
    static io.tandem.resources.FencingPolicy fencing(java.util.Optional<io.tandem.config.StonithDevice> device,
            io.tandem.config.TandemCf t) {
        return device.map(d -> io.tandem.resources.FencingPolicy.stonith(d.type(), t.stonithFailureTakeover())
                        .withRaceDelay(t.fenceDelayMs()).withCheckInterval(t.stonithCheckMs()))
                .orElse(io.tandem.resources.FencingPolicy.NONE);
    }

    /** The ping-node tiebreak: tandem.cf's ping_tiebreak, ha.cf's ping nodes and timers. */
    static io.tandem.resources.PingTiebreak tiebreak(ClusterConfig config) {
        HaCf cf = config.haCf();
        return io.tandem.resources.PingTiebreak.of(config.tandem().pingTiebreak(), cf.pingNodes(), cf.keepaliveMs(),
                cf.deadtimeMs(), cf.deadpingMs());
    }

    /** tandem-monitor.cf as the engine's policy. */
    static io.tandem.resources.MonitorPolicy monitoring(io.tandem.config.MonitorCf m) {
        java.util.Map<String, io.tandem.resources.MonitorSpec> by = new LinkedHashMap<>();
        for (io.tandem.config.MonitorCf.Entry e : m.entries()) {
            by.put(e.name(), spec(e.over(m.defaults())));
        }
        return new io.tandem.resources.MonitorPolicy(m.enabled(), spec(m.defaults()), by);
    }

    private static io.tandem.resources.MonitorSpec spec(io.tandem.config.MonitorCf.Settings s) {
        return new io.tandem.resources.MonitorSpec(s.intervalMs(), s.timeoutMs(), s.threshold(), s.failureTimeoutMs());
    }
}
