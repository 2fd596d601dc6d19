package io.tandem.daemon.os;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The ARP packet layout (the socket itself is exercised in the lab: AddressGuardLabTest). */
class ArpSocketTest {
    static byte[] packet(int op, String mac, int senderIp, int targetIp) {
        byte[] p = new byte[28];
        p[1] = 1;
        p[2] = 8;
        p[4] = 6;
        p[5] = 4;
        p[7] = (byte) op;
        String[] m = mac.split(":");
        for (int i = 0; i < 6; i++) {
            p[8 + i] = (byte) Integer.parseInt(m[i], 16);
        }
        java.nio.ByteBuffer.wrap(p).putInt(14, senderIp).putInt(24, targetIp);
        return p;
    }

    @Test
    void a_reply_gives_its_sender_and_a_probe_has_sender_address_zero() {
        ArpSocket.Frame f = ArpSocket.parse(packet(2, "02:aa:bb:cc:dd:ee", 0xC0000201, 0xC000020C), 28);
        assertThat(f.operation()).isEqualTo(ArpSocket.REPLY);
        assertThat(ArpSocket.formatMac(f.senderMac())).isEqualTo("02:aa:bb:cc:dd:ee");
        assertThat(f.senderIp()).isEqualTo(0xC0000201);
        assertThat(f.probe()).isFalse();
        assertThat(ArpSocket.parse(packet(1, "02:00:00:00:00:01", 0, 0xC0000201), 28).probe()).isTrue();
        assertThat(ArpSocket.parse(packet(1, "02:00:00:00:00:01", 0, 0xC0000201), 60)).as("a length beyond the buffer").isNotNull();
    }

    @Test
    void anything_but_ethernet_ipv4_arp_is_malformed() {
        assertThat(ArpSocket.parse(new byte[27], 27)).isNull();
        byte[] p = packet(1, "02:00:00:00:00:01", 1, 2);
        p[3] = 0x0d; // protocol 0x080d
        assertThat(ArpSocket.parse(p, 28)).isNull();
        byte[] q = packet(1, "02:00:00:00:00:01", 1, 2);
        q[4] = 8; // hardware address length
        assertThat(ArpSocket.parse(q, 28)).isNull();
    }
}
