package io.tandem.daemon.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The shipped alert rules (docs/alerts/tandem-rules.yml): {@code promtool check rules} accepts them,
 * {@code promtool test rules} runs their unit tests (tandem-rules.test.yml: each alert fires on its
 * case and not on the healthy series), and every metric they use is one the renderer writes.
 */
class AlertRulesTest {
    private static final Path DIR = Path.of("docs", "alerts");

    @Test
    void promtool_checks_the_rules() throws Exception {
        assumeTrue(Promtool.find().isPresent(), Promtool.MISSING);
        assertThat(promtool("check", "rules", "tandem-rules.yml")).contains("SUCCESS: 8 rules found");
    }

    @Test
    void promtool_runs_the_rules_unit_tests() throws Exception {
        assumeTrue(Promtool.find().isPresent(), Promtool.MISSING);
        assertThat(promtool("test", "rules", "tandem-rules.test.yml")).contains("SUCCESS");
    }

    @Test
    void every_metric_the_rules_use_is_rendered() throws Exception {
        String rules = Files.readString(DIR.resolve("tandem-rules.yml"));
        Set<String> used = new TreeSet<>();
        Matcher m = Pattern.compile("\\btandem_[a-z_]+").matcher(rules.replaceAll("(?m)^\\s*(#|summary|description).*$", ""));
        while (m.find()) {
            used.add(m.group());
        }
        assertThat(used).contains("tandem_node_up", "tandem_link_up", "tandem_group_held", "tandem_resource_health");
        long now = 1_800_000_100_000L;
        String text = MetricsRenderer.render(MetricsRendererTest.snapshot("node2", "eth1", now), now);
        for (String name : used) {
            assertThat(text).as(name).contains("# TYPE " + name + " ");
        }
    }

    private static String promtool(String... args) throws Exception {
        java.util.List<String> argv = new java.util.ArrayList<>();
        argv.add(Promtool.find().orElseThrow().toString());
        argv.addAll(java.util.List.of(args));
        Process p = new ProcessBuilder(argv).directory(DIR.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }
}
