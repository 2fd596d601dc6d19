package io.tandem.daemon.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The control socket's format (libexec/tandem-control speaks it too) and the answers given without a daemon. */
class ControlProtocolTest {
    @Test
    void words_arrive_as_typed_empty_and_blank_ones_too() {
        List<String> words = List.of("hb_takeover", "", "a b", "-m", "ünï");
        byte[] request = ControlProtocol.request(words);
        assertThat(ControlProtocol.words(request, request.length)).isEqualTo(words);
        assertThat(ControlProtocol.words(request, 0)).isEmpty();
    }

    @Test
    void a_line_of_blank_separated_words_is_read_too() {
        byte[] line = "cl_status  nodestatus node1\n".getBytes(StandardCharsets.UTF_8);
        assertThat(ControlProtocol.words(line, line.length)).containsExactly("cl_status", "nodestatus", "node1");
    }

    @Test
    void a_reply_carries_code_stdout_and_stderr() throws IOException {
        ControlReply reply = new ControlReply(1, "dead\nü\n", "Going standby [all].\n");
        byte[] bytes = ControlProtocol.reply(reply);
        assertThat(new String(bytes, StandardCharsets.UTF_8)).startsWith("1 8 21\ndead\n");
        assertThat(ControlProtocol.reply(bytes)).isEqualTo(reply);
    }

    @Test
    void an_older_daemons_reply_goes_to_stdout_on_0_and_to_stderr_otherwise() throws IOException {
        assertThat(ControlProtocol.reply("0\npong\n".getBytes(StandardCharsets.UTF_8))).isEqualTo(ControlReply.ok("pong\n"));
        assertThat(ControlProtocol.reply("2\nunknown request: x\n".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(ControlReply.fail(2, "unknown request: x\n"));
    }

    @Test
    void no_reply_or_a_cut_one_is_an_io_error() {
        assertThatThrownBy(() -> ControlProtocol.reply(new byte[0])).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> ControlProtocol.reply("0 10 0\nshort".getBytes(StandardCharsets.UTF_8))).isInstanceOf(IOException.class);
    }

    @Test
    void without_a_daemon_each_command_answers_from_the_definition() {
        Path socket = Path.of("/run/x/control.sock");
        assertThat(ClientDefinitions.offline(List.of("status", "--json"), socket))
                .isEqualTo(ControlReply.fail(3, "tandem: no daemon is running here (no answer on /run/x/control.sock)\n"));
        assertThat(ClientDefinitions.offline(List.of("stop"), socket)).isEqualTo(ControlReply.ok("Tandem already stopped.\n"));
        assertThat(ClientDefinitions.offline(List.of("cl_status", "-m", "hbstatus"), socket))
                .isEqualTo(new ControlReply(1, "Heartbeat is stopped on this machine.\n", ""));
        assertThat(ClientDefinitions.offline(List.of("cl_status", "listnodes"), socket)).isEqualTo(
                ControlReply.fail(1, "Cannot signon with heartbeat\nREASON: the cluster manager is not running on this machine\n"));
        assertThat(ClientDefinitions.offline(List.of(), socket).exitCode()).isEqualTo(3);
        assertThat(ClientDefinitions.permissionDenied(socket, "alice"))
                .isEqualTo(ControlReply.fail(4, "tandem: permission denied: only root may control the daemon (you are alice)\n"));
    }
}
