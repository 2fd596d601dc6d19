package io.tandem.daemon.node;

import io.tandem.daemon.control.ControlReply;
import io.tandem.daemon.history.EventText;
import io.tandem.daemon.history.StoredEvent;
import io.tandem.daemon.history.WhyChain;
import java.util.List;
import java.util.Locale;
import java.util.function.LongFunction;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The control socket's {@code events [--since DURATION] [--json]} and {@code why [GROUP] [--json]} (docs/observability.md). */
final class HistoryDesk {
    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m|h|d)?");

    private final LongFunction<List<StoredEvent>> since;
    private final LongSupplier now;

    HistoryDesk(LongFunction<List<StoredEvent>> since, LongSupplier now) {
        this.since = since;
        this.now = now;
    }

    ControlReply events(List<String> args) {
        boolean json = false;
        long from = Long.MIN_VALUE;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--json")) {
                json = true;
            } else if (a.equals("--since") && i + 1 < args.size() || a.startsWith("--since=")) {
                String value = a.equals("--since") ? args.get(++i) : a.substring("--since=".length());
                long ms = duration(value);
                if (ms < 0) {
                    return ControlReply.fail(2, "tandem events: --since takes a duration (30s, 10m, 2h, 1d), not '" + value + "'\n" + USAGE_EVENTS);
                }
                from = now.getAsLong() - ms;
            } else {
                return ControlReply.fail(2, "tandem events: unexpected argument '" + a + "'\n" + USAGE_EVENTS);
            }
        }
        List<StoredEvent> events = since.apply(from);
        return ControlReply.ok(json ? EventText.json(events) : EventText.human(events));
    }

    ControlReply why(List<String> args) {
        boolean json = false;
        String group = "";
        for (String a : args) {
            if (a.equals("--json")) {
                json = true;
            } else if (group.isEmpty() && !a.startsWith("-")) {
                group = a;
            } else {
                return ControlReply.fail(2, "tandem why: unexpected argument '" + a + "'\nUsage: tandem why [GROUP] [--json]\n");
            }
        }
        List<StoredEvent> events = since.apply(Long.MIN_VALUE);
        var chain = WhyChain.of(events, group);
        if (chain.isEmpty()) {
            return ControlReply.fail(1, "tandem why: no move of " + (group.isEmpty() ? "any group" : group)
                    + " in this node's event history\n");
        }
        return ControlReply.ok(json ? WhyChain.json(WhyChain.groupOf(events, group), chain.get()) : WhyChain.human(chain.get()));
    }

    private static final String USAGE_EVENTS = "Usage: tandem events [--since DURATION] [--json]\n";

    /** {@code 90}, {@code 90s}, {@code 500ms}, {@code 10m}, {@code 2h}, {@code 1d} in ms; -1 when it is none. */
    static long duration(String text) {
        Matcher m = DURATION.matcher(text.toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            return -1;
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        return switch (unit) {
            case "ms" -> n;
            case "s" -> n * 1000;
            case "m" -> n * 60_000;
            case "h" -> n * 3_600_000;
            default -> n * 86_400_000;
        };
    }
}
