package io.tandem.daemon.os;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/** The parser of the rtnetlink address dump: what the kernel sends, and what it never should. */
class NetlinkAddressesTest {
    private static final int SEQ = 4711;
    private static final IntFunction<String> NAMES = i -> i == 2 ? "eth0" : i == 3 ? "eth1" : null;

    @Test
    void addresses_labels_and_the_end_of_the_dump_are_read() throws IOException {
        ByteBuffer b = buffer(newAddr(2, 24, new byte[] {(byte) 192, 0, 2, 1}, "eth0:0"), newAddr(3, 25, new byte[] {(byte) 198, 51, 100, 7}, null),
                done());
        List<NetlinkAddresses.Entry> out = new ArrayList<>();
        assertThat(NetlinkAddresses.parse(b, SEQ, out, NAMES)).isTrue();
        assertThat(out).containsExactly(new NetlinkAddresses.Entry("eth0", "192.0.2.1", 24, "eth0:0"),
                new NetlinkAddresses.Entry("eth1", "198.51.100.7", 25, "eth1"));
    }

    @Test
    void a_datagram_without_the_end_asks_for_the_next_and_a_vanished_device_is_left_out() throws IOException {
        List<NetlinkAddresses.Entry> out = new ArrayList<>();
        assertThat(NetlinkAddresses.parse(buffer(newAddr(9, 24, new byte[] {10, 0, 0, 1}, "gone")), SEQ, out, NAMES)).isFalse();
        assertThat(out).isEmpty();
    }

    @Test
    void an_error_answer_another_request_and_a_length_beyond_the_datagram_fail() {
        assertThatThrownBy(() -> NetlinkAddresses.parse(buffer(message(NetlinkAddresses.NLMSG_ERROR, SEQ, new byte[] {-13, -1, -1, -1})), SEQ,
                new ArrayList<>(), NAMES)).isInstanceOf(IOException.class).hasMessageContaining("error 13");
        assertThatThrownBy(() -> NetlinkAddresses.parse(buffer(message(NetlinkAddresses.NLMSG_DONE, SEQ + 1, new byte[4])), SEQ, new ArrayList<>(),
                NAMES)).isInstanceOf(IOException.class).hasMessageContaining("another request");
        byte[] m = newAddr(2, 24, new byte[] {1, 2, 3, 4}, null);
        ByteBuffer.wrap(m).order(ByteOrder.nativeOrder()).putInt(0, m.length + 400);
        assertThatThrownBy(() -> NetlinkAddresses.parse(buffer(m), SEQ, new ArrayList<>(), NAMES)).isInstanceOf(IOException.class)
                .hasMessageContaining("bytes in");
    }

    @Test
    void an_attribute_running_past_its_message_drops_that_address_only() throws IOException {
        byte[] bad = newAddr(2, 24, new byte[] {1, 2, 3, 4}, null);
        ByteBuffer.wrap(bad).order(ByteOrder.nativeOrder()).putShort(NetlinkAddresses.HEADER + NetlinkAddresses.IFADDRMSG, (short) 200);
        List<NetlinkAddresses.Entry> out = new ArrayList<>();
        assertThat(NetlinkAddresses.parse(buffer(bad, newAddr(3, 24, new byte[] {5, 6, 7, 8}, null), done()), SEQ, out, NAMES)).isTrue();
        assertThat(out).containsExactly(new NetlinkAddresses.Entry("eth1", "5.6.7.8", 24, "eth1"));
    }

    @Test
    void more_addresses_than_the_bound_fail() {
        byte[][] many = new byte[NetlinkAddresses.MAX_ADDRESSES + 1][];
        for (int i = 0; i < many.length; i++) {
            many[i] = newAddr(2, 24, new byte[] {10, 0, (byte) (i >> 8), (byte) i}, null);
        }
        assertThatThrownBy(() -> NetlinkAddresses.parse(buffer(many), SEQ, new ArrayList<>(), NAMES)).isInstanceOf(IOException.class)
                .hasMessageContaining("more than");
    }

    @Test
    void the_request_asks_the_kernel_to_dump_ipv4_addresses() {
        ByteBuffer b = ByteBuffer.wrap(NetlinkAddresses.request(SEQ)).order(ByteOrder.nativeOrder());
        assertThat(b.getInt(0)).isEqualTo(24);
        assertThat(b.getShort(4)).isEqualTo((short) NetlinkAddresses.RTM_GETADDR);
        assertThat(b.getShort(6)).isEqualTo((short) (NetlinkAddresses.NLM_F_REQUEST | NetlinkAddresses.NLM_F_DUMP));
        assertThat(b.getInt(8)).isEqualTo(SEQ);
        assertThat(b.get(16)).isEqualTo((byte) Libc.AF_INET);
    }

    private static byte[] newAddr(int index, int prefix, byte[] ip, String label) {
        byte[] lab = label == null ? new byte[0] : (label + "\0").getBytes(StandardCharsets.US_ASCII);
        int labLen = label == null ? 0 : (4 + lab.length + 3) & ~3;
        ByteBuffer p = ByteBuffer.allocate(NetlinkAddresses.IFADDRMSG + 8 + labLen).order(ByteOrder.nativeOrder());
        p.put((byte) Libc.AF_INET).put((byte) prefix).put((byte) 0).put((byte) 0).putInt(index);
        p.putShort((short) 8).putShort((short) NetlinkAddresses.IFA_LOCAL).put(ip);
        if (label != null) {
            p.putShort((short) (4 + lab.length)).putShort((short) NetlinkAddresses.IFA_LABEL).put(lab);
        }
        return message(NetlinkAddresses.RTM_NEWADDR, SEQ, p.array());
    }

    private static byte[] done() {
        return message(NetlinkAddresses.NLMSG_DONE, SEQ, new byte[4]);
    }

    private static byte[] message(int type, int seq, byte[] payload) {
        int len = NetlinkAddresses.HEADER + payload.length;
        ByteBuffer b = ByteBuffer.allocate((len + 3) & ~3).order(ByteOrder.nativeOrder());
        b.putInt(len).putShort((short) type).putShort((short) 2).putInt(seq).putInt(0).put(payload);
        return b.array();
    }

    private static ByteBuffer buffer(byte[]... messages) {
        int n = 0;
        for (byte[] m : messages) {
            n += m.length;
        }
        ByteBuffer b = ByteBuffer.allocate(n).order(ByteOrder.nativeOrder());
        for (byte[] m : messages) {
            b.put(m);
        }
        return b.flip();
    }
}
