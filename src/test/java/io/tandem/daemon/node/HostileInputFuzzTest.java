package io.tandem.daemon.node;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Jazzer's coverage-guided fuzzing of {@link HostileInputFuzzer} (codec, authenticator, the message
 * handlers of a real NodeCore behind the daemon's Inbound). A plain {@code mvn test} runs it in
 * Jazzer's regression mode (the empty input and any saved finding); with {@code JAZZER_FUZZ=1} it
 * fuzzes for {@code maxDuration}, as CI does for a few seconds (.ci/run). The long run with its figures
 * is {@code bench/fuzz}; the named seed inputs are checked one by one in {@code NamedHostileInputsTest}.
 */
class HostileInputFuzzTest {
    @FuzzTest(maxDuration = "10s")
    void hostileInput(byte[] data) {
        HostileInputFuzzer.fuzzerTestOneInput(data);
    }
}
