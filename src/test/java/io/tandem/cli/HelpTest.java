package io.tandem.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** {@code --help} answers on every sub-command; {@code tandem version} is a command (issue 17). */
class HelpTest {
    record Ran(int code, String out, String err) {
    }

    static Ran run(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            int code = Main.run(args);
            return new Ran(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    /** Every sub-command Main registers (but cl_status, whose every argument is heartbeat's, and picocli's help). */
    static List<String> subcommands() {
        return new CommandLine(new Main()).getSubcommands().keySet().stream().toList();
    }

    @Test
    void every_sub_command_answers_help_with_its_usage() {
        PrintStream out = System.out;
        List<String> names = new java.util.ArrayList<>(subcommands());
        for (Class<?> c : ControlCommands.ALL) {
            names.add(new CommandLine(c).getCommandName());
        }
        names.addAll(List.of("hb_standby", "hb_takeover"));
        names.remove("cl_status");
        assertThat(names).contains("demo", "check", "run", "start", "restart", "version", "stop", "reload", "status", "standby",
                "takeover", "cleanup", "ping");
        for (String name : names) {
            for (String help : List.of("--help", "-h")) {
                Ran r = run(name, help);
                assertThat(r.code()).as("tandem %s %s: %s", name, help, r.err()).isZero();
                assertThat(r.out()).as("tandem %s %s", name, help).startsWith("Usage: tandem ");
                assertThat(r.err()).doesNotContain("Unknown option");
            }
        }
        assertThat(System.out).isSameAs(out);
    }

    @ParameterizedTest
    @ValueSource(strings = {"-h", ""})
    void cl_status_answers_heartbeats_usage(String arg) {
        Ran r = arg.isEmpty() ? run("cl_status", "--run-dir=/nonexistent-ux") : run("cl_status", "--run-dir=/nonexistent-ux", arg);
        assertThat(r.code()).isZero();
        assertThat(r.out()).startsWith("Usage: cl_status <sub-command> [<options>] [<parameters>]\n");
    }

    @Test
    void version_is_a_command_and_says_what_version_and_protocol() {
        Ran r = run("version");
        assertThat(r.code()).isZero();
        assertThat(r.out()).startsWith(Version.text() + "\n").contains("heartbeat 3.0.6");
        assertThat(run("--version").out()).isEqualTo(Version.text() + "\n");
    }
}
