package io.tandem.config;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The whole-configuration checks heartbeat 3.0.6 makes before it starts (its wording), plus facts
 * about this host ({@link HostFacts}): a medium on an interface this host does not have is an error,
 * for {@code tandem check} as for the daemon's start (both run these checks). Checking another
 * node's files ({@code --node}) is a warning: its host facts are this machine's.
 */
public final class Checks {
    private Checks() {
    }

    public static List<Finding> check(ClusterConfig config, String localNode, HostFacts host) {
        List<Finding> out = new ArrayList<>();
        HaCf cf = config.haCf();
        String file = cf.source().file();
        String local = localNode.toLowerCase(Locale.ROOT);

        boolean heartbeatMedium = false;
        for (MediumConfig m : cf.media()) {
            heartbeatMedium |= !(m instanceof MediumConfig.Ping || m instanceof MediumConfig.PingGroup);
        }
        if (!heartbeatMedium) {
            out.add(error(file, 0, "No heartbeat media defined (bcast, mcast or ucast; ping nodes carry no heartbeats)"));
        }
        if (cf.nodes().isEmpty() && cf.autojoin() != AutoJoin.ANY) {
            out.add(error(file, 0, "no nodes defined"));
        }
        if (!cf.hasNode(local) && cf.autojoin() != AutoJoin.ANY) {
            out.add(error(file, cf.lineOf("node"), "Current node [" + local + "] not in configuration!"
                    + " (nodes are named by `uname -n` and must be declared with a 'node' directive)"));
        }
        timers(cf, file, out);
        if (cf.autoFailback() == FailbackMode.LEGACY) {
            out.add(warn(file, cf.lineOf("auto_failback"), "Deprecated 'legacy' auto_failback option selected."
                    + " Please convert to 'auto_failback on'."));
        }
        if (cf.autojoin() != AutoJoin.NONE) {
            out.add(error(file, cf.lineOf("autojoin"), "R1 style resource management conflicts with  autojoin set"
                    + " (unset autojoin: Tandem runs haresources resource management)"));
        }
        groups(config, cf, out);
        monitor(config, out);
        FencingChecks.check(cf, config.tandem(), local, out);
        HttpPeerCfParser.check(cf, config.tandem(), local, out);
        host(cf, file, local, host, out);
        return out;
    }

    private static void timers(HaCf cf, String file, List<Finding> out) {
        long k = cf.keepaliveMs();
        if (cf.deadtimeMs() <= 2 * k) {
            out.add(error(file, cf.lineOf("deadtime"), "Dead time [" + cf.deadtimeMs()
                    + "] is too small compared to keeplive [" + k + "]"));
        }
        if (cf.initdeadMs() < cf.deadtimeMs()) {
            out.add(error(file, cf.lineOf("initdead"), "Initial dead time [" + cf.initdeadMs()
                    + "] is smaller than deadtime [" + cf.deadtimeMs() + "]"));
        } else if (cf.initdeadMs() < 10000) {
            out.add(warn(file, cf.lineOf("initdead"), "Initial dead time [" + cf.initdeadMs()
                    + " ms] may be too small! Initial dead time accounts for slow network startup time."
                    + " It should be >= deadtime and >= 10 seconds"));
        }
        if (cf.isExplicit("deadping") && cf.deadpingMs() <= 2 * k) {
            out.add(error(file, cf.lineOf("deadping"), "Ping dead time [" + cf.deadpingMs()
                    + "] is too small compared to keeplive [" + k + "]"));
        }
        if (cf.warntimeMs() >= cf.deadtimeMs()) {
            out.add(warn(file, cf.lineOf("warntime"), "warntime [" + cf.warntimeMs() + " ms] is not below deadtime ["
                    + cf.deadtimeMs() + " ms]: no late-heartbeat warning can come before a node is declared dead"));
        }
    }

    /** tandem-monitor.cf entries that match no resource in haresources are probably typos. */
    private static void monitor(ClusterConfig config, List<Finding> out) {
        MonitorCf m = config.monitor();
        Set<String> known = new LinkedHashSet<>();
        for (GroupConfig g : config.haResources().groups()) {
            for (ResourceRef r : g.resources()) {
                known.add(r.text());
                known.add(r.name());
            }
        }
        for (MonitorCf.Entry e : m.entries()) {
            if (!known.contains(e.name())) {
                out.add(warn(m.file(), e.line(), "resource " + e.name() + " matches no resource in haresources"
                        + " (give a resource as written there, or its script name)"));
            }
        }
    }

    private static void groups(ClusterConfig config, HaCf cf, List<Finding> out) {
        HaResources res = config.haResources();
        Set<String> pingNodes = new LinkedHashSet<>();
        cf.pingNodes().forEach(p -> pingNodes.add(p.toLowerCase(Locale.ROOT)));
        for (GroupConfig g : res.groups()) {
            if (!cf.hasNode(g.node())) {
                String why = pingNodes.contains(g.node()) ? " (a ping node cannot hold resources)"
                        : " (the first word of a line must be a node of ha.cf)";
                out.add(error(res.file(), g.line(), "Bad nodename in " + res.file() + " [" + g.node() + "]" + why));
            }
        }
    }

    private static void host(HaCf cf, String file, String local, HostFacts host, List<Finding> out) {
        for (MediumConfig m : cf.media()) {
            String dev = m instanceof MediumConfig.Bcast b ? b.device()
                    : m instanceof MediumConfig.Mcast c ? c.device()
                    : m instanceof MediumConfig.Ucast u ? u.device() : null;
            if (dev != null && !host.interfaceExists(dev)) {
                int line = cf.lineOf(m.line());
                out.add(Finding.ofHost(Finding.Level.ERROR, file, line > 0 ? line : cf.firstMediaLine(), "interface [" + dev
                        + "] does not exist on this host (" + m.line() + ")"));
            }
        }
        String hostname = host.hostname().toLowerCase(Locale.ROOT);
        if (!hostname.equals(local)) {
            out.add(warn(file, 0, "checked as node [" + local + "], but this host is [" + hostname
                    + "]; a daemon started here would be node [" + hostname + "]"));
        }
    }


    private static Finding error(String file, int line, String text) {
        return new Finding(Finding.Level.ERROR, file, line, text);
    }

    private static Finding warn(String file, int line, String text) {
        return new Finding(Finding.Level.WARN, file, line, text);
    }
}
