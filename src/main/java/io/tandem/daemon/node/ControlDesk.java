package io.tandem.daemon.node;

import io.tandem.daemon.control.ControlReply;
import io.tandem.daemon.loop.EventLoop;
import io.tandem.daemon.status.ClStatus;
import io.tandem.daemon.status.ClusterStatus;
import io.tandem.daemon.status.StatusText;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Answers the control socket: every request is a list of words, carried out on the loop thread.
 * The words are the operator commands' ({@code status}, {@code standby}, {@code takeover},
 * {@code cl_status ...}, {@code stop}); {@code ping} tells {@code tandem start} we are up.
 */
final class ControlDesk {
    private static final Set<String> SETS = Set.of("all", "local", "foreign", "failback");

    private final EventLoop loop;
    private final ClusterNode node;
    private final StatusView view;
    private final Runnable stop;

    private final Reloader reloader;

    ControlDesk(EventLoop loop, ClusterNode node, StatusView view, Runnable stop, Reloader reloader) {
        this.reloader = reloader;
        this.loop = loop;
        this.node = node;
        this.view = view;
        this.stop = stop;
    }

    CompletableFuture<ControlReply> handle(List<String> words) {
        if (words.isEmpty()) {
            return done(ControlReply.fail(2, "empty request\n"));
        }
        String verb = words.get(0);
        List<String> args = words.subList(1, words.size());
        switch (verb) {
            case "ping":
                return done(ControlReply.ok("pong\n"));
            case "status":
                return loop.ask(() -> {
                    ClusterStatus s = snapshot();
                    return ControlReply.ok(args.contains("json") ? StatusText.json(s) : StatusText.human(s));
                });
            case "cl_status":
                return loop.ask(() -> ClStatus.run(args, snapshot()));
            case "standby":
            case "takeover":
                return operator(verb, args);
            case "cleanup":
                return cleanup(args);
            case "reload":
                return loop.ask(() -> reloader.reload(loop.now()));
            case "stop":
                stop.run();
                return done(ControlReply.ok("Stopping: giving up resources, then leaving the cluster.\n"));
            default:
                return done(ControlReply.fail(2, "unknown request: " + verb + "\n"));
        }
    }

    private CompletableFuture<ControlReply> operator(String verb, List<String> args) {
        String which = args.isEmpty() ? "all" : args.get(0);
        if (!SETS.contains(which)) {
            return done(ControlReply.fail(2, verb + ": unknown resource set '" + which + "' (all, local, foreign, failback)\n"));
        }
        return loop.ask(() -> {
            if (node.stopping()) {
                return ControlReply.fail(1, "This node is shutting down.\n");
            }
            long now = loop.now();
            if (verb.equals("standby")) {
                node.standby(now, which);
                return ControlReply.ok("");
            }
            node.takeover(now, which);
            return ControlReply.ok("");
        });
    }

    private CompletableFuture<ControlReply> cleanup(List<String> args) {
        if (args.size() != 1) {
            return done(ControlReply.fail(2, "cleanup: name one group (its first resource) or any resource of it\n"));
        }
        return loop.ask(() -> {
            if (node.stopping()) {
                return ControlReply.fail(1, "This node is shutting down.\n");
            }
            try {
                node.cleanup(loop.now(), args.get(0));
            } catch (IllegalArgumentException e) {
                return ControlReply.fail(1, "cleanup: " + e.getMessage() + "\n");
            }
            return ControlReply.ok("Fail counts of the group of " + args.get(0) + " cleared on this node.\n");
        });
    }

    private ClusterStatus snapshot() {
        return view.snapshot(loop.now(), node.membership(), node.ownership(), node.rejected());
    }

    private static CompletableFuture<ControlReply> done(ControlReply reply) {
        return CompletableFuture.completedFuture(reply);
    }
}
