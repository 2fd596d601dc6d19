package io.tandem.daemon.node;

import io.tandem.daemon.control.ControlReply;
import io.tandem.daemon.loop.EventLoop;
import io.tandem.daemon.status.ClStatus;
import io.tandem.daemon.status.ClusterStatus;
import io.tandem.daemon.status.StatusText;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Answers the control socket. A request is the operator's command line as typed after
 * {@code tandem} ({@code status --json}, {@code hb_standby failback}, {@code cl_status -m nodestatus
 * node2}, ...), and this is the one place that reads it: usage errors, heartbeat's messages and
 * exit codes, which text goes to standard output and which to standard error. The clients (the Java
 * commands and libexec/tandem-control) only carry the words here and print the reply. Node state is
 * read and changed on the loop thread.
 */
final class ControlDesk {
    private static final Set<String> SETS = Set.of("all", "local", "foreign", "failback");
    /** How long a request may wait for the event loop. */
    private static final long LOOP_LIMIT_S = 120;
    /** How long {@code stop} waits for the daemon to be gone, unless {@code --wait} says otherwise. */
    private static final long STOP_WAIT_S = 300;

    private final EventLoop loop;
    private final ClusterNode node;
    private final StatusView view;
    private final Runnable stop;
    private final Reloader reloader;
    private final CompletableFuture<Integer> exit;
    private final HistoryDesk history;
    private io.tandem.daemon.metrics.MetricsBoard metrics;

    /** @param exit completes when the daemon is about to exit (its code) */
    ControlDesk(EventLoop loop, ClusterNode node, StatusView view, Runnable stop, Reloader reloader, CompletableFuture<Integer> exit) {
        this.loop = loop;
        this.node = node;
        this.view = view;
        this.stop = stop;
        this.reloader = reloader;
        this.exit = exit;
        this.history = new HistoryDesk(node::events, loop::now);
    }

    /** Where {@code tandem metrics} reads (without it: none published yet). */
    void metrics(io.tandem.daemon.metrics.MetricsBoard board) {
        this.metrics = board;
    }

    /** Where {@code events} and {@code why} read the peer's history (tandem.cf's {@code http_peer}). */
    void peer(io.tandem.daemon.http.PeerFetch fetch, String localNode) {
        history.peer(new HistoryDesk.Peer() {
            @Override
            public java.util.Optional<CompletableFuture<io.tandem.daemon.history.PeerView>> fetch(long sinceMs) {
                return fetch.fetch(sinceMs);
            }

            @Override
            public java.util.Optional<String> name() {
                return fetch.peer();
            }
        }, localNode);
    }

    CompletableFuture<ControlReply> handle(List<String> words) {
        return handle("", words);
    }

    /** A request of {@code user} (from SO_PEERCRED): the commands that change something name them in the event history. */
    CompletableFuture<ControlReply> handle(String user, List<String> words) {
        String verb = words.isEmpty() ? "" : words.get(0);
        List<String> args = words.isEmpty() ? List.of() : words.subList(1, words.size());
        switch (verb) {
            case "ping": // the liveness rule: a daemon runs when its control socket answers
                return done(args.isEmpty() ? ControlReply.ok("") : usage("ping", "", args.get(0)));
            case "start":
                return done(new ControlReply(0, "", "tandem: already running as pid " + ProcessHandle.current().pid() + "\n"));
            case "status":
                if (args.size() > 1 || (args.size() == 1 && !args.get(0).equals("--json"))) {
                    return done(usage("status", " [--json]", args.get(args.get(0).equals("--json") ? 1 : 0)));
                }
                return onLoop(() -> {
                    ClusterStatus s = snapshot();
                    return ControlReply.ok(args.isEmpty() ? StatusText.human(s) : StatusText.json(s));
                });
            case "cl_status":
                return onLoop(() -> ClStatus.run(args, snapshot()));
            case "standby":
            case "hb_standby":
                return resourceSet("standby", "hb_standby", args, user);
            case "takeover":
            case "hb_takeover":
                return resourceSet("takeover", "hb_takeover", args, user);
            case "cleanup":
                return cleanup(args, user);
            case "reload":
                return args.isEmpty() ? onLoop(() -> {
                    ControlReply[] r = new ControlReply[1];
                    node.asOperator(user, () -> r[0] = reloader.reload(loop.now()));
                    return r[0];
                }) : done(usage("reload", "", args.get(0)));
            case "stop":
                node.stopAskedBy(user);
                return stop(args);
            case "events":
                return history.events(args);
            case "why":
                return history.why(args);
            case "metrics": // from the loop's last published snapshot: never waits for the loop
                if (!args.isEmpty()) {
                    return done(usage("metrics", "", args.get(0)));
                }
                String text = metrics == null ? "" : metrics.render();
                return done(text.isEmpty() ? ControlReply.fail(1, "tandem metrics: none published yet (the daemon is starting)\n")
                        : ControlReply.ok(text));
            default:
                return done(ControlReply.fail(2, "tandem: " + (verb.isEmpty() ? "no command" : "unknown control command '" + verb + "'")
                        + " (ping, status, standby, takeover, cleanup, reload, stop, cl_status, events, why, metrics)\n"));
        }
    }

    /** heartbeat's hb_standby / hb_takeover: {@code [all|local|foreign|failback]}, failback meaning foreign. */
    private CompletableFuture<ControlReply> resourceSet(String verb, String tool, List<String> args, String user) {
        String set = args.isEmpty() ? "all" : args.get(0);
        if (args.size() > 1 || !SETS.contains(set)) {
            return done(ControlReply.fail(1, tool + ": wrong resources(" + set + ").\nusage:\n" + tool + " [all|foreign|local|failback]\n"));
        }
        String which = set.equals("failback") ? "foreign" : set;
        String said = verb.equals("standby") ? "Going standby [" + which + "].\n" : ""; // said first, whatever follows
        return onLoop(() -> {
            if (node.stopping()) {
                return ControlReply.fail(1, "This node is shutting down.\n");
            }
            node.asOperator(user, () -> {
                if (verb.equals("standby")) {
                    node.standby(loop.now(), which);
                } else {
                    node.takeover(loop.now(), which);
                }
            });
            return ControlReply.ok("");
        }).thenApply(r -> new ControlReply(r.exitCode(), r.out(), said + r.err()));
    }

    private CompletableFuture<ControlReply> cleanup(List<String> args, String user) {
        if (args.size() != 1) {
            return done(ControlReply.fail(2, "cleanup: name one group (its first resource) or any resource of it\n"));
        }
        return onLoop(() -> {
            if (node.stopping()) {
                return ControlReply.fail(1, "This node is shutting down.\n");
            }
            try {
                node.asOperator(user, () -> node.cleanup(loop.now(), args.get(0)));
            } catch (IllegalArgumentException e) {
                return ControlReply.fail(1, "cleanup: " + e.getMessage() + "\n");
            }
            return ControlReply.ok("Fail counts of the group of " + args.get(0) + " cleared on this node.\n");
        });
    }

    /**
     * {@code stop [--wait SECONDS]}: a graceful stop. The answer comes once the daemon is leaving and
     * its connection stays open until the process has ended, so the client returns when the daemon
     * is gone; after SECONDS (300) without that, the answer says it still runs.
     */
    private CompletableFuture<ControlReply> stop(List<String> args) {
        long wait = STOP_WAIT_S;
        if (args.size() == 2 && args.get(0).equals("--wait") || args.size() == 1 && args.get(0).startsWith("--wait=")) {
            String value = args.size() == 2 ? args.get(1) : args.get(0).substring("--wait=".length());
            if (!value.matches("\\d{1,9}")) {
                return done(ControlReply.fail(2, "tandem stop: --wait takes a number of seconds, not '" + value + "'\n"
                        + "Usage: tandem stop [--wait SECONDS]\n"));
            }
            wait = Long.parseLong(value);
        } else if (!args.isEmpty()) {
            return done(usage("stop", " [--wait SECONDS]", args.get(0)));
        }
        stop.run();
        long pid = ProcessHandle.current().pid();
        return exit.handle((code, failure) -> ControlReply.ok("Tandem stopped.\n").holdUntilExit())
                .completeOnTimeout(ControlReply.fail(1, "tandem: pid " + pid + " still running after " + wait + " s\n"), wait, TimeUnit.SECONDS);
    }

    /** A query on the loop thread; when the loop has stopped, exit 3 (LSB "not running", as after the exit). */
    private CompletableFuture<ControlReply> onLoop(Supplier<ControlReply> query) {
        return loop.ask(query).exceptionally(e -> {
            Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
            return ControlReply.fail(cause instanceof EventLoop.Stopping ? 3 : 13, "tandem: "
                    + (cause instanceof EventLoop.Stopping ? "" : "request failed: ") + cause.getMessage() + "\n");
        }).completeOnTimeout(ControlReply.fail(13, "tandem: no answer from the daemon within " + LOOP_LIMIT_S + " s\n"),
                        LOOP_LIMIT_S, TimeUnit.SECONDS);
    }

    private static ControlReply usage(String verb, String options, String unexpected) {
        return ControlReply.fail(2, "tandem " + verb + ": unexpected argument '" + unexpected + "'\nUsage: tandem " + verb + options + "\n");
    }

    private ClusterStatus snapshot() {
        return view.snapshot(loop.now(), node.membership(), node.ownership(), node.rejected());
    }

    private static CompletableFuture<ControlReply> done(ControlReply reply) {
        return CompletableFuture.completedFuture(reply);
    }
}
