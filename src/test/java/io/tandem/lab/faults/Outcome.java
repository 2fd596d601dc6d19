package io.tandem.lab.faults;

import java.util.List;

/**
 * What one fault did: unavailability (time the client was not served, from the injection to the
 * settled cluster), dual-VIP time (all of it, and the part while the nodes could talk, past the grace
 * after they could again), time from the repair until the service was back for good, the violations
 * (each a sentence) with the trace of the fault, the ERROR/CRIT log lines it caused.
 */
record Outcome(int index, FaultKind kind, String description, long unavailableMs, long dualMs, long dualTalkingMs, long backMs,
        List<String> violations, int errorLines, String trace) {
}
