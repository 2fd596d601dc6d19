package io.tandem.daemon.node;

import io.tandem.daemon.status.ClusterStatus;
import io.tandem.membership.MembershipEngine;
import io.tandem.resources.GroupSpec;
import io.tandem.resources.GroupState;
import io.tandem.resources.OwnershipEngine;
import io.tandem.resources.ResourceHealth;
import io.tandem.resources.ResourceSet;
import io.tandem.wire.RejectReason;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Builds the {@link ClusterStatus} snapshot the operator commands render, from the engines' state
 * (on the loop thread) and the static facts of this node.
 *
 * @param links      the names of the UDP media (each peer has one link per medium)
 * @param parameters ha.cf values for {@code cl_status hbparameter}
 */
record StatusView(String localNode, List<String> nodes, List<String> pingNodes, List<String> links,
                  Map<String, String> parameters, String version, long startedAt, long generation) {

    ClusterStatus snapshot(long now, MembershipEngine membership, OwnershipEngine ownership, Map<RejectReason, Long> rejected) {
        List<ClusterStatus.NodeState> nodeStates = new ArrayList<>();
        for (String node : nodes) {
            List<ClusterStatus.LinkState> linkStates = new ArrayList<>();
            for (String link : links) {
                linkStates.add(new ClusterStatus.LinkState(link, membership.linkStatus(node, link), age(now, membership.linkLastHeardAt(node, link))));
            }
            String status = node.equalsIgnoreCase(localNode) ? membership.localStatus() : membership.nodeStatus(node);
            nodeStates.add(new ClusterStatus.NodeState(node, false, status, linkStates));
        }
        for (String ping : pingNodes) {
            nodeStates.add(new ClusterStatus.NodeState(ping, true, membership.nodeStatus(ping),
                    List.of(new ClusterStatus.LinkState(ping, membership.linkStatus(ping, ping), age(now, membership.linkLastHeardAt(ping, ping))))));
        }
        List<ClusterStatus.GroupState> groups = new ArrayList<>();
        Map<String, GroupState> states = ownership.groupStates();
        List<ResourceHealth> health = ownership.health(now);
        Map<String, String> inUse = ownership.addressesInUse();
        for (GroupSpec g : ownership.config().groups()) {
            GroupState state = states.getOrDefault(g.key(), GroupState.STOPPED);
            List<ClusterStatus.ResourceState> rs = new ArrayList<>();
            for (ResourceHealth h : health) {
                if (h.group().equals(g.key())) {
                    rs.add(resourceState(h, now));
                }
            }
            groups.add(new ClusterStatus.GroupState(g.key(), g.preferredNode(), owner(g, state, membership, ownership),
                    stateText(state, inUse.get(g.key())), g.resources(), rs));
        }
        List<ClusterStatus.Rejected> refused = new ArrayList<>();
        rejected.forEach((r, n) -> refused.add(new ClusterStatus.Rejected(r.name().toLowerCase(Locale.ROOT), r.label(), n)));
        List<ClusterStatus.Fence> fences = new ArrayList<>();
        for (io.tandem.resources.FenceStatus f : ownership.fencing()) {
            fences.add(new ClusterStatus.Fence(f.node(), f.failures(), f.lastFailure(), f.running(),
                    f.running() ? -1 : Math.max(0, f.nextTryAt() - now), f.text()));
        }
        io.tandem.resources.FencingPolicy policy = ownership.fencingPolicy();
        ClusterStatus.DeviceCheck check = ownership.fenceDevice().map(d -> new ClusterStatus.DeviceCheck(d.health(), d.reason(),
                d.lastCheckedAt() < 0 ? -1 : Math.max(0, now - d.lastCheckedAt()), d.intervalMs(), d.text())).orElse(null);
        return new ClusterStatus(localNode, membership.localStatus(), generation, startedAt, now, version,
                ownership.rscStatus(), nodeStates, groups, parameters, refused,
                new ClusterStatus.Fencing(policy.device(), policy.takeoverOnFailure(), fences, check), tiebreak(ownership.tiebreak()));
    }

    private static long age(long now, long at) {
        return at < 0 ? -1 : Math.max(0, now - at);
    }

    /** {@code running}, {@code start failed}, ...; {@code address in use by <mac>} while another host answers for its address. */
    private static String stateText(GroupState state, String inUseBy) {
        String text = state.text();
        return state == GroupState.ADDRESS_IN_USE && inUseBy != null ? text + " by " + inUseBy : text;
    }

    private static ClusterStatus.Tiebreak tiebreak(io.tandem.resources.PingTiebreak.View v) {
        return new ClusterStatus.Tiebreak(v.active(), v.reachable(), v.pingNodes(), v.peerReachable(), v.holdingBack());
    }

    private static ClusterStatus.ResourceState resourceState(ResourceHealth h, long now) {
        return new ClusterStatus.ResourceState(h.resource(), h.state().name().toLowerCase(Locale.ROOT).replace('_', ' '),
                h.spec().intervalMs(), h.lastCheckAt() < 0 ? -1 : now - h.lastCheckAt(), h.failCount(), h.spec().threshold(),
                h.spec().failureTimeoutMs(), h.lastFailure(), h.lastFailureAt() < 0 ? -1 : now - h.lastFailureAt(),
                Math.max(0, h.bannedUntil() - now));
    }

    /** Who runs the group: us if it is not stopped here, else the peer if it says it holds that set. */
    private String owner(GroupSpec g, GroupState state, MembershipEngine membership, OwnershipEngine ownership) {
        if (state != GroupState.STOPPED && state != GroupState.START_FAILED && state != GroupState.FAILED && state != GroupState.ADDRESS_IN_USE) {
            return localNode;
        }
        for (String peer : nodes) {
            if (peer.equalsIgnoreCase(localNode) || "dead".equals(membership.nodeStatus(peer))) {
                continue;
            }
            ResourceSet peerSide = g.preferredBy(peer) ? ResourceSet.LOCAL : ResourceSet.FOREIGN;
            if (ownership.otherHolds().contains(peerSide)) {
                return peer;
            }
        }
        return "";
    }
}
