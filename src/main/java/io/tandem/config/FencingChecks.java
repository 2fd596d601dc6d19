package io.tandem.config;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What {@code tandem check} says about fencing: a two-node cluster with one heartbeat path and no
 * STONITH device splits its brain when that path fails; {@code stonith_failure_takeover} is unsafe;
 * a {@code stonith_host} line for a node the cluster does not have is never used.
 */
final class FencingChecks {
    private FencingChecks() {
    }

    static void check(HaCf cf, TandemCf tandem, String local, List<Finding> out) {
        String file = cf.source().file();
        String tandemFile = tandem.fileOr(TandemCf.FILE);
        Optional<StonithDevice> device = cf.fencing().deviceFor(local);
        Set<String> paths = heartbeatPaths(cf);
        if (cf.nodes().size() == 2 && paths.size() == 1 && device.isEmpty()) {
            String dev = paths.iterator().next();
            out.add(new Finding(Finding.Level.WARN, file, cf.firstMediaLine(), "two nodes, one heartbeat path (" + dev
                    + ") and no STONITH device: when that path fails (a cable, a switch, the interface), each node"
                    + " declares the other dead and both run every group (split brain). Add a second medium on another"
                    + " interface (e.g. 'bcast eth0' besides 'bcast eth1', or 'ucast eth0 PEER-ADDRESS') and configure"
                    + " fencing ('stonith_host * TYPE PARAMS...', types from 'stonith -L'). Without a device, heartbeat's"
                    + " 'No STONITH device configured.' is logged at every takeover"));
        }
        if (tandem.stonithFailureTakeover()) {
            out.add(new Finding(Finding.Level.WARN, tandemFile, tandem.lineOf("stonith_failure_takeover"), "stonith_failure_takeover"
                    + " yes: a node takes over a dead peer's groups even when fencing it failed; a peer that is alive but"
                    + " unreachable then runs them too (unsafe)"));
        }
        if (device.isPresent() && tandem.fenceDelayMs() == 0 && cf.nodes().size() > 1) {
            out.add(new Finding(Finding.Level.WARN, tandemFile, tandem.lineOf("fence_delay"), "fence_delay 0: when the"
                    + " heartbeat path fails but both nodes reach the fence device, both fence at once and may power each"
                    + " other off (a fence race); the default 10 s lets the home node of the first group shoot first"));
        }
        for (StonithDevice d : cf.fencing().devices()) {
            if (!d.host().equals(StonithDevice.ANY_HOST) && !cf.hasNode(d.host())) {
                out.add(new Finding(Finding.Level.WARN, file, d.line(), "stonith_host " + d.host() + ": not a node of"
                        + " this cluster, so no node uses this device (give a 'node' name or *)"));
            }
        }
    }

    /** The interfaces heartbeats travel on: each bcast, mcast and ucast device counts once. */
    static Set<String> heartbeatPaths(HaCf cf) {
        Set<String> devices = new LinkedHashSet<>();
        for (MediumConfig m : cf.media()) {
            if (m instanceof MediumConfig.Bcast b) {
                devices.add(b.device());
            } else if (m instanceof MediumConfig.Mcast mc) {
                devices.add(mc.device());
            } else if (m instanceof MediumConfig.Ucast u) {
                devices.add(u.device());
            }
        }
        return devices;
    }

}
