package io.tandem.daemon.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.config.HttpApiCf;
import io.tandem.daemon.control.ControlReply;
import io.tandem.daemon.history.JsonRead;
import io.tandem.daemon.history.StoredEvent;
import io.tandem.lab.Poll;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The event stream: frames stay one {@code data:} line of valid JSON whatever a value from the network
 * holds; a stream client gets the status and each new entry; at most 16 streams; a client that does
 * not read is dropped once its queue is full, while the caller (the event loop) goes on.
 */
class EventStreamTest {
    private static final String HOSTILE = "node\n\"x\"\r\ndata: {\"kind\":\"forged\"}\n\n\u0000\u001b[31m\u2028";
    private ApiServer server;

    @BeforeEach
    void start() throws Exception {
        ApiSetup setup = new ApiSetup(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), true, null, null,
                new HttpApiCf("127.0.0.1", 1, null, null, null));
        server = new ApiServer(setup, (who, words) -> CompletableFuture.completedFuture(ControlReply.ok("{\"node\":\"n1\"}\n")));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static StoredEvent event(long seq, String value) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("from", value);
        fields.put("info", value);
        return new StoredEvent(1_795_000_000_000L, value, 7, seq, "message", value, value, fields);
    }

    @Test
    void a_frame_is_one_data_line_of_json_whatever_the_values_hold() {
        String frame = EventStream.clusterFrame(event(3, HOSTILE));
        String[] lines = frame.split("\n", -1);
        assertThat(lines).hasSize(5);
        assertThat(lines[0]).isEqualTo("id: 7.3");
        assertThat(lines[1]).isEqualTo("event: cluster");
        assertThat(lines[2]).startsWith("data: {").doesNotContain("\r").doesNotContain("\u0000").doesNotContain("\u2028");
        assertThat(lines[3]).isEmpty();
        assertThat(lines[4]).isEmpty();
        @SuppressWarnings("unchecked")
        Map<String, Object> json = (Map<String, Object>) JsonRead.parse(lines[2].substring("data: ".length()));
        assertThat(json).containsEntry("node", HOSTILE).containsEntry("subject", HOSTILE).containsEntry("cause", HOSTILE);
        assertThat(json.get("fields")).isEqualTo(Map.of("from", HOSTILE, "info", HOSTILE));
        assertThat(EventStream.statusFrame("{\"a\":1}")).isEqualTo("event: status\ndata: {\"a\":1}\n\n");
    }

    @Test
    void a_client_gets_the_status_then_each_new_entry() throws Exception {
        try (Socket s = open()) {
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            assertThat(in.readLine()).isEqualTo("HTTP/1.1 200 OK");
            List<String> lines = new ArrayList<>();
            String line;
            while (!(line = in.readLine()).equals("data: {\"node\":\"n1\"}")) {
                lines.add(line);
            }
            assertThat(lines).contains("Content-type: text/event-stream; charset=utf-8", "retry: 2000", "event: status");
            server.event(event(1, HOSTILE));
            while (!(line = in.readLine()).equals("event: cluster")) {
                assertThat(line).doesNotStartWith("data: {\"time\"");
            }
            assertThat(in.readLine()).startsWith("data: {\"time\":").contains("\"seq\":1,");
        }
    }

    @Test
    void at_most_sixteen_streams() throws Exception {
        List<Socket> open = new ArrayList<>();
        try {
            for (int i = 0; i < EventStream.MAX_CLIENTS; i++) {
                Socket s = open();
                assertThat(new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8)).readLine())
                        .isEqualTo("HTTP/1.1 200 OK");
                open.add(s);
            }
            try (Socket s = open()) {
                assertThat(new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8)).readLine())
                        .isEqualTo("HTTP/1.1 503 Service Unavailable");
            }
        } finally {
            for (Socket s : open) {
                s.close();
            }
        }
        long[] seq = {100};
        // a closed client is noticed when a frame to it fails: entries are offered until all are gone
        Poll.until(Duration.ofSeconds(30), "the closed streams to be gone", () -> {
            server.event(event(seq[0]++, "x"));
            return server.streams() == 0;
        });
    }

    @Test
    void a_client_that_does_not_read_is_dropped_and_the_caller_goes_on() throws Exception {
        try (Socket s = new Socket()) {
            s.setReceiveBufferSize(4096);
            s.connect(server.address());
            s.getOutputStream().write("GET /api/v1/events/stream HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            Poll.until(Duration.ofSeconds(20), "the stream to open", () -> server.streams() == 1);
            String big = "v".repeat(64 * 1024);
            for (int i = 0; i < 2000 && server.streams() > 0; i++) { // 128 MB offered: far beyond the socket's buffers and the queue
                server.event(event(i, big));
            }
            Poll.until(Duration.ofSeconds(20), "the stalled client to be dropped", () -> server.streams() == 0);
        }
    }

    private Socket open() throws Exception {
        Socket s = new Socket("127.0.0.1", server.address().getPort());
        s.setSoTimeout(10_000);
        s.getOutputStream().write("GET /api/v1/events/stream HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        return s;
    }
}
