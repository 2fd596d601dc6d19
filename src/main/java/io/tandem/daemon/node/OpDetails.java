package io.tandem.daemon.node;

import io.tandem.config.Severity;
import io.tandem.daemon.agent.AgentOutcome;
import io.tandem.daemon.agent.AgentRunner;
import io.tandem.resources.Effect;
import io.tandem.resources.OpResult;
import io.tandem.resources.ResourceOp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What only the shell knows of a finished operation, for its event-history entry: {@code exitCode}
 * (from the runner's {@code done. RC=N} line) and, when it failed, {@code output}: the agent's last
 * output lines as logged (already escaped and bounded by {@link AgentRunner}), joined with " | ".
 */
final class OpDetails {
    private static final Pattern RC = Pattern.compile(" done\\. RC=(-?\\d{1,9})$");
    private static final int LINES = 5;
    private static final int CHARS = 600;

    private OpDetails() {
    }

    static Map<String, String> of(AgentOutcome outcome) {
        Map<String, String> d = new LinkedHashMap<>();
        List<String> output = new ArrayList<>();
        for (Effect.Log line : outcome.log()) {
            Matcher m = RC.matcher(line.text());
            if (m.find()) {
                d.put("exitCode", m.group(1));
            } else if (line.level() == Severity.ERROR && !line.source().equals(AgentRunner.SOURCE)) {
                output.add(line.text());
            } else if (line.level() == Severity.ERROR && line.text().contains(" timed out after ")) {
                d.put("timedOut", "yes");
            }
        }
        boolean failed = outcome.op().action() == ResourceOp.Action.STATUS ? outcome.result() == OpResult.FAILED : outcome.result() == OpResult.FAILED;
        if (failed && !output.isEmpty()) {
            String text = String.join(" | ", output.subList(Math.max(0, output.size() - LINES), output.size()));
            d.put("output", text.length() > CHARS ? text.substring(text.length() - CHARS) : text);
        }
        return d;
    }
}
