package io.tandem.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FailoverBenchArgsTest {
    @Test
    void the_report_names_the_command_without_the_output_path() {
        assertThat(FailoverBench.withoutOut(new String[] {"--modes", "classic,warm", "--out", "/tmp/x/docs/benchmarks.md", "--reps", "3"}))
                .isEqualTo("--modes classic,warm --reps 3");
        assertThat(FailoverBench.withoutOut(new String[] {})).isEmpty();
    }
}
