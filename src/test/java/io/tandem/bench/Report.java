package io.tandem.bench;

import java.io.IOException;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/** The table (Markdown, readable on a terminal too) and docs/benchmarks.md around it. */
final class Report {
    private record Row(String key, String label, String fmt) {
    }

    private static final List<Row> ROWS = List.of(
            new Row("crash", "power-off of the owner → served by the other (ms)", "%.0f"),
            new Row("stop", "graceful stop of the owner → served by the other (ms)", "%.0f"),
            new Row("standby", "hb_standby on the owner → served by the other (ms)", "%.0f"),
            new Row("failback", "failback: hb_takeover on the returned node → served by it (ms)", "%.0f"),
            new Row("start", "both nodes started together → first served (ms)", "%.0f"),
            new Row("gap:crash", "longest gap between two served fetches, power-off (ms)", "%.0f"),
            new Row("gap:stop", "longest gap between two served fetches, graceful stop (ms)", "%.0f"),
            new Row("gap:standby", "longest gap between two served fetches, hb_standby (ms)", "%.0f"),
            new Row("gap:failback", "longest gap between two served fetches, failback (ms)", "%.0f"),
            new Row("overhead:crash", "Tandem overhead, crash (ms)", "%.0f"),
            new Row("overhead:stop", "Tandem overhead, graceful stop (ms)", "%.0f"),
            new Row("overhead:standby", "Tandem overhead, hb_standby (ms)", "%.0f"),
            new Row("overhead:failback", "Tandem overhead, failback (ms)", "%.0f"),
            new Row("overhead:start", "Tandem overhead, both started (ms)", "%.0f"),
            new Row("detection:crash", "… of which detection, crash (ms)", "%.0f"),
            new Row("scripts:crash", "… time in resource scripts, crash (ms)", "%.0f"),
            new Row("scripts:stop", "… time in resource scripts, graceful stop (ms)", "%.0f"),
            new Row("scripts:standby", "… time in resource scripts, hb_standby (ms)", "%.0f"),
            new Row("scripts:failback", "… time in resource scripts, failback (ms)", "%.0f"),
            new Row("scripts:start", "… time in resource scripts, both started (ms)", "%.0f"),
            new Row("rss", "RSS per node (MB)", "%.1f"),
            new Row("pss", "PSS per node (MB)", "%.1f"),
            new Row("cpu", "CPU per node (% of one core)", "%.2f"));

    private Report() {
    }

    /**
     * One section per setup (profile and apache2 mode). A system that does not run a setup's mode
     * (heartbeat 3.0.6 outside classic) shows its classic figures of the same profile and run, marked
     * "(classic)", as the reference the ratios are taken against.
     */
    static String table(FailoverBench.Results r, List<FailoverBench.Setup> setups, List<ClusterSystem> systems) {
        StringBuilder sb = new StringBuilder("| profile | measure |");
        systems.forEach(s -> sb.append(' ').append(s.title()).append(" |"));
        systems.subList(1, systems.size()).forEach(s -> sb.append(" Tandem / ").append(s.title().split(" ")[0]).append(" |"));
        sb.append('\n').append("|---|---|");
        systems.forEach(s -> sb.append("---|"));
        systems.subList(1, systems.size()).forEach(s -> sb.append("---|"));
        sb.append('\n');
        for (FailoverBench.Setup setup : setups) {
            for (Row row : ROWS) {
                List<Stats> cells = new ArrayList<>();
                List<Boolean> classicOnly = new ArrayList<>();
                for (ClusterSystem s : systems) {
                    boolean reference = !s.runs(setup.mode());
                    classicOnly.add(reference);
                    cells.add(r.stats(reference ? setup.classicName() : setup.name(), row.key(), s.title()));
                }
                if (cells.get(0).empty() && cells.get(0).failed() == 0 && !setup.mode().classic()
                        || cells.stream().allMatch(c -> c.empty() && c.failed() == 0)) {
                    continue;
                }
                sb.append("| ").append(setup.name()).append(" | ").append(row.label()).append(" |");
                for (int i = 0; i < cells.size(); i++) {
                    Stats c = cells.get(i);
                    sb.append(' ').append(c.cell(row.fmt())).append(classicOnly.get(i) && !c.empty() ? " (classic)" : "").append(" |");
                }
                Stats tandem = cells.get(0);
                for (Stats other : cells.subList(1, cells.size())) {
                    sb.append(' ').append(tandem.empty() || other.empty() || other.median() == 0 ? "—"
                            : String.format(Locale.ROOT, "%.2f", tandem.median() / other.median())).append(" |");
                }
                sb.append('\n');
            }
        }
        return sb.toString();
    }

    static String document(String table, List<Profile> profiles, List<ApacheMode> modes, int reps, int windowSeconds, String args, long minutes, List<String> notes) {
        StringBuilder sb = new StringBuilder();
        sb.append("# Failover benchmark: Tandem, heartbeat 3.0.6, keepalived 2.2.7\n\n");
        sb.append("Generated by `bench/failover").append(args.isBlank() ? "" : " " + args).append("` (do not edit by hand; re-run it). ")
                .append("Run on ").append(ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")))
                .append(", took ").append(minutes).append(" min.\n\n");
        sb.append("Machine: ").append(Runtime.getRuntime().availableProcessors()).append(" CPUs (nproc), kernel ")
                .append(command("uname", "-r")).append(", ").append(javaVersion()).append(", ")
                .append(command("sh", "-c", "/usr/sbin/keepalived --version 2>&1 | head -1")).append(".\n\n");
        sb.append("## What is measured\n\n");
        sb.append("Two nodes in the namespace lab (docs/lab.md) serve one group, `node1 IPaddr::192.0.2.1/24/eth0 apache2` ");
        sb.append("(Tandem and heartbeat: bcast eth1, md5, auto_failback off; keepalived: one VRRP instance on eth0 for the VIP, ");
        sb.append("both BACKUP with nopreempt, node1 priority 150, notify scripts running `/etc/init.d/apache2 start|stop`). ");
        sb.append("Every system does the same work: the address, gratuitous ARP, Debian's apache2.\n\n");
        for (Profile p : profiles) {
            sb.append("* **").append(p.name()).append("**: ").append(p.description()).append(".\n");
        }
        sb.append("\nHow apache2 runs (`--modes`; a section per profile and mode):\n\n");
        for (ApacheMode m : modes) {
            sb.append("* **").append(m.word()).append("**: ").append(modeText(m)).append('\n');
        }
        sb.append("\nPer system, profile, mode and repetition, in a fresh lab: both nodes started together (`bin/tandem start` / `heartbeat` / ");
        sb.append("`keepalived`) until the client is first served; hb_standby on the owner (Tandem's `bin/hb_standby` / heartbeat's ");
        sb.append("`hb_standby`; keepalived has none); graceful stop of the owner (`bin/tandem stop` / `heartbeat -k` / SIGTERM); ");
        sb.append("the stopped node starts again and the group stays; failback: `hb_takeover` on the node that was stopped ");
        sb.append("(Tandem's `bin/hb_takeover` / heartbeat's `hb_takeover`; keepalived has none), the group moves back to it; ");
        sb.append("power-off of the owner (both its links down at once, by one `ip -batch`, then all its processes SIGKILLed and the VIP removed), at least 8 s after its start: in a node's first 5 s heartbeat and Tandem announce their dead time + 2 s (`dt`), which the peer applies, and the owner here is the node that restarted and took the group back.\n\n");
        sb.append("Times are as the client sees them: from the moment the bench issues the command (or cuts the power) until ");
        sb.append("a `curl` of http://192.0.2.1/ from the client namespace, started every 20 ms, returns the other node's page. ");
        sb.append("Tandem probes the address with ARP before adding it (docs/split-brain.md, \"Duplicate-address guard\"): its ");
        sb.append("defaults, 3 probes 100 ms apart in a 300 ms window, unless a section's name gives other values (`--arp-probe`, ");
        sb.append("written to tandem-arp.cf). heartbeat and keepalived do not probe.\n\n");
        sb.append("The *longest gap between two served fetches* is the other view of the same move: the longest time between ");
        sb.append("two fetches that returned a page (either node's) that finished from the command on until 1 s after the other ");
        sb.append("node's first page, counted from the last page before the command: how long the client got no answer at all ");
        sb.append("(fetches have a 0.5 s limit, `curl -m 0.5`; failed ones do not count). ");
        sb.append("Commands count in full. Tandem runs as installed from the checkout: `bin/tandem` with `target/tandem.jar` and ");
        sb.append("its JVM flags and the class-data archive `target/tandem.jsa` that `mvn package` makes (libexec/tandem-cds); `bin/hb_standby` and `bin/tandem stop` are answered by libexec/tandem-control without a JVM.\n\n");
        sb.append("Tandem's overhead = client-seen time − detection (crash: from the power-off to Tandem's `is dead` line) − ");
        sb.append("time inside resource scripts (from `Running …` to `… done. RC=` in Tandem's debugfile, overlaps once), ");
        sb.append("all from Tandem's own millisecond timestamps (`--log-format json`).\n\n");
        sb.append("Footprint: the daemon's processes per node (`tandem` / `heartbeat` / `keepalived`, by /proc/PID/comm; apache2 excluded) with the ");
        sb.append("group settled and nothing happening, over ").append(windowSeconds).append(" s in 5 s slices: RSS and PSS from ");
        sb.append("`/proc/PID/smaps_rollup` at each slice's end, CPU = utime+stime over the slice. Each slice gives one sample per node.\n\n");
        sb.append("Cells: median (min–max) over ").append(reps).append(reps == 1 ? " repetition" : " repetitions")
                .append(" (footprint: over the slices of both nodes); ratio = Tandem median / other median (below 1: Tandem is faster / smaller).\n\n");
        sb.append("## Results\n\n").append(table).append('\n');
        sb.append("## Reading the figures\n\n");
        sb.append("* Both nodes started together: neither is stable, and heartbeat 3.0.6 waits 10 s before a node takes its own ");
        sb.append("groups anyway. Tandem takes its own groups as soon as the starting peer reports it holds none of them ");
        sb.append("(docs/ownership.md, deviation 8). keepalived's two BACKUPs elect a master after one master-down interval.\n");
        sb.append("* Tandem checks its resources while the footprint is measured (resource monitoring, every 10 s); the check ");
        sb.append("scripts are separate processes and not counted, as apache2 is not.\n");
        sb.append("* heartbeat and Tandem stop apache2 and release the address on the old owner before the other node starts ");
        sb.append("them (graceful stop, hb_standby); keepalived's leaving master advertises priority 0 and the backup takes over ");
        sb.append("at once, its notify scripts running in parallel on both nodes.\n");
        sb.append("* Tandem's overhead is an estimate: Tandem stamps a script's `Running` line when the script has ended, so ");
        sb.append("a script is taken to start at the previous script's end or the node's `Acquiring/Releasing resource group` ");
        sb.append("line (see `TandemTimeline`); the time of the command (`bin/tandem start` starts a JVM) is in the overhead.\n");
        sb.append("* Every Tandem takeover probes the address with ARP before adding it (300 ms by default; heartbeat and keepalived ");
        sb.append("do not probe). With the fast address step (docs/agents.md) the address itself takes milliseconds, so in the warm ");
        sb.append("rows the probe is most of a move after the protocol's messages (and after detection, for a power-off).\n");
        sb.append("* Warm, graceful stop: Tandem stops every resource of the leaving node before it says `shutdone`, its warm copy of ");
        sb.append("apache2 included and before the address (docs/ownership.md, \"Warm resources\"), so that row still holds apache2's stop; ");
        sb.append("keepalived's leaving master only withdraws the VIP.\n");
        sb.append("* The bench prints Tandem's own log of every scenario (milliseconds from the start of the scenario) on the console.\n\n");
        if (!notes.isEmpty()) {
            sb.append("## Failed runs\n\n");
            notes.forEach(n -> sb.append("* ").append(n.replace('\n', ' ')).append('\n'));
            sb.append('\n');
        }
        return sb.toString();
    }

    private static String modeText(ApacheMode m) {
        if (m.classic()) {
            return "as heartbeat runs it: started where the group runs, stopped before it moves (keepalived: its notify scripts).";
        }
        if (m.warm()) {
            return "Tandem: tandem.cf `resource apache2 warm` (docs/ownership.md, \"Warm resources\"): apache2 runs on both nodes, "
                    + "a move takes only the address; keepalived: apache2 started on both nodes once, no notify scripts (only the VIP "
                    + "moves, the usual keepalived set-up); heartbeat 3.0.6 has no such mode: its classic figures of the same run, "
                    + "marked (classic), are the reference.";
        }
        return "Tandem: tandem.cf `resource apache2 " + m.word() + "`; keepalived as in classic (its notify scripts start apache2 "
                + "on the new master while the old one stops it); heartbeat 3.0.6: its classic figures of the same run, marked (classic).";
    }

    private static String javaVersion() {
        return "java " + System.getProperty("java.vm.version") + " (" + System.getProperty("java.vm.name") + ")";
    }

    private static String command(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).strip();
            p.waitFor(10, TimeUnit.SECONDS);
            return out;
        } catch (IOException e) {
            return "(" + String.join(" ", cmd) + ": " + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "(interrupted)";
        }
    }
}
