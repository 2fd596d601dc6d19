package io.tandem.bench;

import io.tandem.lab.ExecResult;
import io.tandem.lab.Lab;
import io.tandem.lab.TandemNodes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;

/** One of the systems under test, driven the way its users drive it, all serving the same group (VIP + apache2). */
sealed interface ClusterSystem {
    String VIP = "192.0.2.1";
    String HARESOURCES = "node1 IPaddr::192.0.2.1/24/eth0 apache2\n";
    String AUTHKEYS = "auth 1\n1 md5 tandem-bench-key\n";

    String title();

    /** Command name ({@code /proc/PID/comm}) of the daemon's processes, for the footprint. */
    String comm();

    void configure(Lab lab, String node, Profile profile, ApacheMode mode);

    /** apache2 classic (as heartbeat runs it). */
    default void configure(Lab lab, String node, Profile profile) {
        configure(lab, node, profile, ApacheMode.CLASSIC);
    }

    /** Whether the system runs in {@code mode} (heartbeat 3.0.6 runs classic only). */
    default boolean runs(ApacheMode mode) {
        return true;
    }

    /** After {@link #configure} and apache2's installation, before the first start (keepalived warm: apache2 on both). */
    default void prepare(Lab lab, String node, ApacheMode mode) {
    }

    void start(Lab lab, String node);

    void stop(Lab lab, String node);

    /** Whether the system has heartbeat's {@code hb_standby}. */
    default boolean hasStandby() {
        return true;
    }

    void standby(Lab lab, String node);

    /** heartbeat's {@code hb_takeover} (all) on {@code node}: the group moves to it (only if {@link #hasStandby}). */
    void takeover(Lab lab, String node);

    /** Owner serves the group, the other holds nothing of it (a warm copy of apache2 aside) and both see each other. */
    boolean settled(Lab lab, String owner, String other, ApacheMode mode);

    /** {@link #settled(Lab, String, String, ApacheMode)} with apache2 classic. */
    default boolean settled(Lab lab, String owner, String other) {
        return settled(lab, owner, other, ApacheMode.CLASSIC);
    }

    /**
     * {@code cl_status rscstatus} outside a resource transition (it says what a node holds of its
     * own and its peer's groups, "local" also on a node whose own set is empty).
     */
    private static boolean stable(String rscstatus) {
        return List.of("all", "local", "foreign", "none").contains(rscstatus);
    }

    /**
     * The owner has the VIP and apache2, the other not the VIP; apache2 on the other: none (classic), a
     * running copy (warm), either (another mode: its settled state is the mode's business).
     */
    private static boolean serving(Lab lab, String owner, String other, ApacheMode mode) {
        boolean otherApache = !lab.pids(other, "apache2").isEmpty();
        return TandemNodes.holds(lab, owner, VIP) && !TandemNodes.holds(lab, other, VIP) && !lab.pids(owner, "apache2").isEmpty()
                && (mode.classic() ? !otherApache : !mode.warm() || otherApache);
    }

    /** A tandem.cf mode the Tandem under test refuses (a mode of a later build): the setup is skipped, said clearly. */
    final class ModeRefused extends RuntimeException {
        ModeRefused(String message) {
            super(message);
        }
    }

    /** For a failure message: what the system says about itself. */
    String state(Lab lab);

    static String haCf(Profile p, boolean debugfile) {
        return "logfile /var/log/ha-log\n" + (debugfile ? "debugfile /var/log/ha-debug\n" : "") + "logfacility none\n" + p.haCfTimers()
                + "udpport 694\nbcast eth1\nauto_failback off\nnode node1\nnode node2\n";
    }

    private static void ok(ExecResult r, String what) {
        if (!r.ok()) {
            throw new IllegalStateException(what + ": " + r);
        }
    }

    /**
     * Tandem as installed: {@code bin/tandem start} (the jar, bin/tandem's JVM flags; JSON log lines give
     * millisecond timestamps for the overhead), {@code bin/hb_standby}, {@code bin/tandem stop}.
     */
    record Tandem(String arpCf) implements ClusterSystem {
        /** With Tandem's default duplicate-address probe (no tandem-arp.cf). */
        Tandem() {
            this("");
        }

        public String title() {
            return "Tandem";
        }

        /** The daemon names its process {@code tandem} (daemon.os.ProcessName), not {@code java}. */
        public String comm() {
            return "tandem";
        }

        public void configure(Lab lab, String node, Profile p, ApacheMode mode) {
            TandemNodes.configure(lab, node, haCf(p, true), AUTHKEYS, HARESOURCES);
            try {
                if (!mode.classic()) {
                    Files.writeString(lab.path(node, "/etc/ha.d/tandem.cf"), mode.tandemCf());
                }
                if (!arpCf.isEmpty()) {
                    Files.writeString(lab.path(node, "/etc/ha.d/tandem-arp.cf"), "# bench/failover --arp-probe\n" + arpCf);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** {@code tandem check}: a tandem.cf mode this build does not know is refused here, with the file and line. */
        public void prepare(Lab lab, String node, ApacheMode mode) {
            if (mode.classic()) {
                return;
            }
            ExecResult check = TandemNodes.bin(lab, node, "tandem", "check");
            if (!check.ok()) {
                throw new ModeRefused("Tandem refuses tandem.cf 'resource apache2 " + mode.word() + "' (this build does not know the mode?): "
                        + (check.stdout() + " " + check.stderr()).strip().replace('\n', ' '));
            }
        }

        public void start(Lab lab, String node) {
            ok(TandemNodes.bin(lab, node, "tandem", "start", "--log-format", "json"), "tandem start on " + node);
        }

        public void stop(Lab lab, String node) {
            ok(TandemNodes.bin(lab, node, "tandem", "stop"), "tandem stop on " + node);
        }

        public void standby(Lab lab, String node) {
            ok(TandemNodes.bin(lab, node, "hb_standby"), "hb_standby (Tandem's) on " + node);
        }

        public void takeover(Lab lab, String node) {
            ok(TandemNodes.bin(lab, node, "hb_takeover"), "hb_takeover (Tandem's) on " + node);
        }

        /**
         * The standby node's warm copy runs for Tandem since the node's last start: started ("Warm standby:
         * started") or kept at a hand-over ("Leaving apache2 … running"). apache2's processes appear while its
         * init script still runs, and a hand-over begun then waits for that script.
         */
        private static boolean warmCopyStarted(Lab lab, String node) {
            String log = lab.haLog(node);
            int start = log.lastIndexOf("Configuration validated. Starting ");
            int from = Math.max(0, start);
            return log.indexOf("Warm standby: started apache2", from) >= 0 || log.indexOf("Leaving apache2 of group", from) >= 0;
        }

        public String state(Lab lab) {
            return "rscstatus node1=" + TandemNodes.bin(lab, "node1", "cl_status", "rscstatus").out() + " node2="
                    + TandemNodes.bin(lab, "node2", "cl_status", "rscstatus").out() + "; node1 sees node2 "
                    + TandemNodes.bin(lab, "node1", "cl_status", "nodestatus", "node2").out() + ", node2 sees node1 "
                    + TandemNodes.bin(lab, "node2", "cl_status", "nodestatus", "node1").out();
        }

        public boolean settled(Lab lab, String owner, String other, ApacheMode mode) {
            return serving(lab, owner, other, mode) && (!mode.warm() || warmCopyStarted(lab, other)) && stable(TandemNodes.bin(lab, owner, "cl_status", "rscstatus").out())
                    && stable(TandemNodes.bin(lab, other, "cl_status", "rscstatus").out())
                    && "active".equals(TandemNodes.bin(lab, owner, "cl_status", "nodestatus", other).out())
                    && "active".equals(TandemNodes.bin(lab, other, "cl_status", "nodestatus", owner).out());
        }
    }

    /** Debian's heartbeat 3.0.6: {@code heartbeat} (daemonises), {@code heartbeat -k}, {@code hb_standby}. */
    record Heartbeat() implements ClusterSystem {
        public String title() {
            return "heartbeat 3.0.6";
        }

        public String comm() {
            return "heartbeat";
        }

        public void configure(Lab lab, String node, Profile p, ApacheMode mode) {
            TandemNodes.configure(lab, node, haCf(p, false), AUTHKEYS, HARESOURCES);
        }

        public boolean runs(ApacheMode mode) {
            return mode.classic();
        }

        public void start(Lab lab, String node) {
            ok(lab.exec(node, Duration.ofSeconds(60), Lab.HEARTBEAT), "heartbeat on " + node);
        }

        public void stop(Lab lab, String node) {
            ok(lab.exec(node, Duration.ofSeconds(120), Lab.HEARTBEAT, "-k"), "heartbeat -k on " + node);
        }

        public void standby(Lab lab, String node) {
            ok(lab.exec(node, Duration.ofSeconds(30), "/usr/share/heartbeat/hb_standby"), "hb_standby on " + node);
        }

        public void takeover(Lab lab, String node) {
            ok(lab.exec(node, Duration.ofSeconds(30), "/usr/share/heartbeat/hb_takeover"), "hb_takeover on " + node);
        }

        public String state(Lab lab) {
            return "rscstatus node1=" + lab.clStatus("node1", "rscstatus").out() + " node2=" + lab.clStatus("node2", "rscstatus").out()
                    + "; node1 sees node2 " + lab.clStatus("node1", "nodestatus", "node2").out() + ", node2 sees node1 "
                    + lab.clStatus("node2", "nodestatus", "node1").out();
        }

        public boolean settled(Lab lab, String owner, String other, ApacheMode mode) {
            return serving(lab, owner, other, mode) && stable(lab.clStatus(owner, "rscstatus").out()) && stable(lab.clStatus(other, "rscstatus").out())
                    && "active".equals(lab.clStatus(owner, "nodestatus", other).out())
                    && "active".equals(lab.clStatus(other, "nodestatus", owner).out());
        }
    }

    /**
     * Debian's keepalived 2.2.7: one VRRP instance on eth0 for the VIP, both nodes BACKUP with
     * nopreempt (as auto_failback off), node1 with the higher priority; notify scripts start and
     * stop apache2 through /etc/init.d/apache2 as heartbeat's apache2 resource does. Graceful stop
     * is SIGTERM (what {@code systemctl stop keepalived} sends): it advertises priority 0.
     */
    record Keepalived() implements ClusterSystem {
        private static final String CONF = "/etc/ha.d/keepalived.conf";

        public String title() {
            return "keepalived 2.2.7";
        }

        public String comm() {
            return "keepalived";
        }

        public boolean hasStandby() {
            return false;
        }

        public void configure(Lab lab, String node, Profile p, ApacheMode mode) {
            String apache = mode.warm() ? "" : "  notify_master \"/etc/init.d/apache2 start\"\n"
                    + "  notify_backup \"/etc/init.d/apache2 stop\"\n"
                    + "  notify_fault \"/etc/init.d/apache2 stop\"\n"
                    + "  notify_stop \"/etc/init.d/apache2 stop\"\n";
            String conf = "global_defs {\n  router_id " + node + "\n  script_user root\n  enable_script_security\n  vrrp_version " + p.vrrpVersion()
                    + "\n}\n"
                    + "vrrp_instance VI_1 {\n  state BACKUP\n  nopreempt\n  interface eth0\n  virtual_router_id 51\n"
                    + "  priority " + (node.equals("node1") ? 150 : 100) + "\n  advert_int " + p.advertInt() + "\n"
                    + "  down_timer_adverts " + p.downTimerAdverts() + "\n"
                    + "  virtual_ipaddress {\n    " + VIP + "/24 dev eth0\n  }\n" + apache + "}\n";
            try {
                Files.writeString(lab.path(node, CONF), conf);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** warm: apache2 runs on both nodes, started once here; keepalived moves only the VIP. */
        public void prepare(Lab lab, String node, ApacheMode mode) {
            if (mode.warm()) {
                ok(lab.exec(node, Duration.ofSeconds(60), "/etc/init.d/apache2", "start"), "apache2 start on " + node);
            }
        }

        public void start(Lab lab, String node) {
            // in the foreground of a detached shell, so its log (-l: to the console) lands in /var/log/ha-log
            ok(lab.exec(node, Duration.ofSeconds(30), "sh", "-c", "setsid keepalived --vrrp --dont-fork --log-console --log-detail -f " + CONF
                    + " -p /run/keepalived.pid -r /run/vrrp.pid >>/var/log/ha-log 2>&1 </dev/null &"), "keepalived on " + node);
            io.tandem.lab.Poll.until(Duration.ofSeconds(10), "keepalived's pid file on " + node,
                    () -> !lab.read(node, "/run/keepalived.pid").isBlank());
        }

        public void stop(Lab lab, String node) {
            List<Long> pids = lab.pids(node, comm());
            ok(lab.exec(node, Duration.ofSeconds(10), "sh", "-c", "kill -TERM $(cat /run/keepalived.pid)"), "kill -TERM keepalived on " + node);
            io.tandem.lab.Poll.until(Duration.ofSeconds(30), "keepalived on " + node + " to exit",
                    () -> pids.stream().noneMatch(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)));
        }

        public void standby(Lab lab, String node) {
            throw new IllegalStateException("keepalived has no hb_standby");
        }

        public void takeover(Lab lab, String node) {
            throw new IllegalStateException("keepalived has no hb_takeover");
        }

        public String state(Lab lab) {
            return "VIP on node1 " + TandemNodes.holds(lab, "node1", VIP) + ", on node2 " + TandemNodes.holds(lab, "node2", VIP)
                    + "; apache2 processes node1 " + lab.pids("node1", "apache2").size() + ", node2 " + lab.pids("node2", "apache2").size();
        }

        public boolean settled(Lab lab, String owner, String other, ApacheMode mode) {
            return serving(lab, owner, other, mode) && lab.pids(other, comm()).size() > 0;
        }
    }
}
