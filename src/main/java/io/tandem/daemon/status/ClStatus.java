package io.tandem.daemon.status;

import io.tandem.daemon.control.ClientDefinitions;
import io.tandem.daemon.control.ControlReply;
import io.tandem.daemon.status.ClusterStatus.LinkState;
import io.tandem.daemon.status.ClusterStatus.NodeState;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * heartbeat's {@code cl_status}, answered from a {@link ClusterStatus}: same sub-commands, same
 * output and the same exit codes (0 ok, 1 "normal failure" such as a dead node, 11 bad
 * parameters, 13 other errors), so scripts written for heartbeat keep working. As heartbeat's, an
 * answer such as "dead" goes to standard output even with exit code 1; errors go to standard error.
 * (Without a daemon, the answers are libexec/tandem-control.def's {@code offline.cl_status}.)
 */
public final class ClStatus {
    public static final int OK = 0, NOT_OK = 1, BAD_PARAMETER = 11, ERROR = 13;

    private ClStatus() {
    }

    public static ControlReply run(List<String> argv, ClusterStatus s) {
        List<String> args = new ArrayList<>(argv);
        if (args.isEmpty() || args.equals(List.of("-h"))) {
            return ClientDefinitions.clStatusUsage(); // the clients answer these themselves, as heartbeat's does
        }
        if (args.get(0).equals("-m")) {
            return ClientDefinitions.clStatusInvalid("-m"); // heartbeat wants -m after the sub-command
        }
        boolean human = args.remove("-m");
        String cmd = args.remove(0);
        switch (cmd) {
            case "hbstatus":
                return hbstatus(args, s, human);
            case "listnodes":
                return listnodes(args, s, human);
            case "nodestatus":
                return withNode(args, s, n -> nodestatus(n, human));
            case "nodetype":
                return withNode(args, s, n -> ControlReply.ok(human ? "The node " + n.name() + "'s type: " + n.type() + "\n" : n.type() + "\n"));
            case "nodeweight":
                return withNode(args, s, n -> ControlReply.ok("100\n"));
            case "nodesite":
                return withNode(args, s, n -> ControlReply.ok("\n"));
            case "listhblinks":
                return listhblinks(args, s, human);
            case "hblinkstatus":
                return hblinkstatus(args, s, human);
            case "rscstatus":
                return ControlReply.ok(human ? rscHuman(s.rscStatus()) + "\n" : s.rscStatus() + "\n");
            case "hbparameter":
            case "parameter":
                return parameter(args, s, human);
            default:
                return ClientDefinitions.clStatusInvalid(cmd);
        }
    }

    private static ControlReply hbstatus(List<String> args, ClusterStatus s, boolean human) {
        StringBuilder out = new StringBuilder("Heartbeat is running on this machine.\n");
        if (args.contains("-v")) {
            out.append("version:\t").append(s.version()).append('\n');
            out.append("managed by:\t\"haresources\"\n");
            out.append(listnodesVerbose(s));
        }
        return ControlReply.ok(out.toString());
    }

    private static ControlReply listnodes(List<String> args, ClusterStatus s, boolean human) {
        if (args.contains("-v")) {
            return ControlReply.ok(listnodesVerbose(s));
        }
        boolean onlyPing = args.contains("-p");
        boolean onlyNormal = args.contains("-n");
        StringBuilder out = new StringBuilder(human ? "The nodes are as follow:\n" : "");
        for (NodeState n : apiOrder(s)) {
            if ((onlyPing && !n.ping()) || (onlyNormal && n.ping())) {
                continue;
            }
            out.append(n.name()).append('\n');
        }
        return ControlReply.ok(out.toString());
    }

    /**
     * The order heartbeat's cl_status lists nodes in: the local node last (checked against the real
     * 3.0.6 in the mixed-cluster test).
     */
    private static List<NodeState> apiOrder(ClusterStatus s) {
        List<NodeState> nodes = new ArrayList<>();
        NodeState local = null;
        for (NodeState n : s.nodes()) {
            if (n.name().equalsIgnoreCase(s.localNode())) {
                local = n;
            } else {
                nodes.add(n);
            }
        }
        if (local != null) {
            nodes.add(local);
        }
        return nodes;
    }

    private static String listnodesVerbose(ClusterStatus s) {
        StringBuilder out = new StringBuilder();
        for (NodeState n : apiOrder(s)) {
            out.append('\n').append(n.name()).append('\t').append(n.status()).append("\t(nodetype: ").append(n.type()).append(")\n");
            for (LinkState l : n.links()) {
                out.append('\t').append(l.name()).append('\t').append(l.status()).append('\n');
            }
        }
        return out.toString();
    }

    private static ControlReply nodestatus(NodeState n, boolean human) {
        boolean alive = n.status().equals("active") || n.status().equals("up") || n.status().equals("ping");
        String text = human ? "The cluster node " + n.name() + " is " + n.status() + "\n" : n.status() + "\n";
        return alive ? ControlReply.ok(text) : new ControlReply(NOT_OK, text, "");
    }

    private static ControlReply listhblinks(List<String> args, ClusterStatus s, boolean human) {
        args.remove("-v");
        if (args.size() == 1 && s.node(args.get(0)).isEmpty()) {
            return ControlReply.fail(ERROR, "Cannot start heartbeat link interface walk.\nREASON: EINVAL\n");
        }
        return withNode(args, s, n -> {
            StringBuilder out = new StringBuilder(human ? "\tthis node has the following heartbeat links:\n" : "");
            for (LinkState l : n.links()) {
                out.append('\t').append(l.name()).append('\n');
            }
            return ControlReply.ok(out.toString());
        });
    }

    private static ControlReply hblinkstatus(List<String> args, ClusterStatus s, boolean human) {
        if (args.size() != 2) {
            return notEnoughParameters();
        }
        Optional<NodeState> node = s.node(args.get(0));
        if (node.isEmpty()) {
            return unknownNode(args.get(0));
        }
        Optional<LinkState> link = node.get().links().stream().filter(l -> l.name().equals(args.get(1))).findFirst();
        if (link.isEmpty()) {
            return ControlReply.fail(ERROR, "Failed to get the link status of " + args.get(1) + " for node " + args.get(0) + "\n");
        }
        String text = human ? "The node " + node.get().name() + "'s heartbeat link " + link.get().name() + " is " + link.get().status() + "\n"
                : link.get().status() + "\n";
        return link.get().up() ? ControlReply.ok(text) : new ControlReply(NOT_OK, text, "");
    }

    private static ControlReply parameter(List<String> args, ClusterStatus s, boolean human) {
        int p = args.indexOf("-p");
        String name = p >= 0 && p + 1 < args.size() ? args.get(p + 1) : (args.size() == 1 ? args.get(0) : null);
        if (name == null) {
            return notEnoughParameters();
        }
        String value = s.parameters().get(name);
        if (value == null) {
            return ControlReply.fail(NOT_OK, "Cannot get parameter " + name + "'s value\nREASON: no such parameter\n");
        }
        return ControlReply.ok(human ? "Heartbeat parameter " + name + "'s value: " + value + "\n" : value + "\n");
    }

    private static String rscHuman(String rsc) {
        switch (rsc) {
            case "local":
                return "This node is holding local resources.";
            case "foreign":
                return "This node is holding foreign resources.";
            case "all":
                return "This node is holding all resources.";
            case "none":
                return "This node is holding none resources.";
            default:
                return "This node is in resource transition.";
        }
    }

    private interface NodeAction {
        ControlReply apply(NodeState n);
    }

    private static ControlReply withNode(List<String> args, ClusterStatus s, NodeAction action) {
        if (args.size() != 1) {
            return notEnoughParameters();
        }
        return s.node(args.get(0)).map(action::apply).orElseGet(() -> unknownNode(args.get(0)));
    }

    /** heartbeat's answer when a sub-command misses its node, link or parameter name. */
    private static ControlReply notEnoughParameters() {
        return ControlReply.fail(BAD_PARAMETER, "Not enough parameters.\n");
    }

    private static ControlReply unknownNode(String name) {
        return ControlReply.fail(BAD_PARAMETER, "Error. May be due to incorrect node name\n");
    }

}
