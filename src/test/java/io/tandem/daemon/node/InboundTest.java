package io.tandem.daemon.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.config.AuthKey;
import io.tandem.config.AuthKeys;
import io.tandem.config.AuthMethod;
import io.tandem.wire.Message;
import io.tandem.wire.RejectReason;
import io.tandem.wire.WireCodec;
import io.tandem.wire.WireFormat;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.LongConsumer;
import org.junit.jupiter.api.Test;

/** What reaches the event loop from the media, and what it costs when the loop is behind. */
class InboundTest {
    private static final AuthKeys KEYS = AuthKeys.single(new AuthKey(1, AuthMethod.MD5, "secret"));
    private final List<String> lines = new ArrayList<>();
    private final RejectLog rejects = new RejectLog((s, t) -> lines.add(t), () -> 0, (d, t) -> { });
    private final List<LongConsumer> queued = new ArrayList<>();
    private final List<Message> received = new ArrayList<>();
    private final Inbound inbound = new Inbound(KEYS, Set.of(), rejects, queued::add);

    InboundTest() {
        inbound.target(new Inbound.Target() {
            @Override
            public void received(long now, Message message, String medium) {
                received.add(message);
            }

            @Override
            public void pingReply(long now, String medium) {
            }
        });
    }

    private static byte[] signed(int seq) {
        return WireCodec.encodeSigned(Message.ofStrings(Message.TYPE, "status", Message.SRC, "nodeb", Message.SEQ, Integer.toHexString(seq)),
                KEYS.active(), WireFormat.NETSTRING_WITH_AUTH_FIELD);
    }

    @Test
    void forgedAndGarbagePacketsNeverReachTheLoop() throws Exception {
        InetAddress from = InetAddress.getByName("192.0.2.50");
        inbound.packet("garbage".getBytes(StandardCharsets.US_ASCII), "eth1", from);
        byte[] forged = WireCodec.encodeSigned(Message.ofStrings(Message.TYPE, "status", Message.SRC, "nodeb\nCRIT: forged"),
                new AuthKey(1, AuthMethod.MD5, "wrong"), WireFormat.NETSTRING_WITH_AUTH_FIELD);
        inbound.packet(forged, "eth1", from);
        assertThat(queued).isEmpty();
        assertThat(rejects.totals()).containsEntry(RejectReason.UNPARSEABLE, 1L).containsEntry(RejectReason.BAD_AUTH, 1L);
    }

    @Test
    void atMostMaxPendingAuthenticatedPacketsWaitForABusyLoopTheRestAreCounted() throws Exception {
        InetAddress from = InetAddress.getByName("198.51.100.129");
        byte[] p = signed(7);
        for (int i = 0; i < 3 * Inbound.MAX_PENDING; i++) {
            inbound.packet(p, "eth1", from);
        }
        assertThat(queued).hasSize(Inbound.MAX_PENDING);
        assertThat(rejects.totals()).containsEntry(RejectReason.OVERLOAD, 2L * Inbound.MAX_PENDING);
        assertThat(lines).hasSize(1);
        queued.forEach(t -> t.accept(0)); // the loop catches up: room again
        assertThat(received).hasSize(Inbound.MAX_PENDING);
        queued.clear();
        inbound.packet(p, "eth1", from);
        assertThat(queued).hasSize(1);
    }

    @Test
    void aHandlerFailureIsCountedNotThrown() throws Exception {
        inbound.target(new Inbound.Target() {
            @Override
            public void received(long now, Message message, String medium) {
                throw new IllegalStateException("boom");
            }

            @Override
            public void pingReply(long now, String medium) {
            }
        });
        inbound.packet(signed(1), "eth1", InetAddress.getByName("198.51.100.129"));
        queued.get(0).accept(0);
        assertThat(rejects.totals()).containsEntry(RejectReason.HANDLER_FAILED, 1L);
        assertThat(lines.get(0)).contains("boom");
    }
}
