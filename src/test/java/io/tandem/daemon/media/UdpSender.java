package io.tandem.daemon.media;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;

/**
 * A test program run inside a lab host (an attacker): sends plain UDP datagrams, independent of
 * the media under test, then prints {@code sent N} and exits.
 *
 * <p>Arguments: {@code ADDRESS:PORT:COUNT:TAG...}; each sends COUNT datagrams {@code TAG-1} ...
 * {@code TAG-COUNT} to ADDRESS:PORT, in argument order, from one socket with SO_BROADCAST on (so a
 * broadcast address of the sender's own subnet works too).
 */
public final class UdpSender {
    private UdpSender() {
    }

    public static void main(String[] args) throws IOException {
        int sent = 0;
        try (DatagramSocket socket = new DatagramSocket()) {
            socket.setBroadcast(true);
            for (String spec : args) {
                String[] f = spec.split(":", 4);
                InetAddress to = InetAddress.getByName(f[0]);
                int port = Integer.parseInt(f[1]);
                int count = Integer.parseInt(f[2]);
                for (int i = 1; i <= count; i++) {
                    byte[] data = (count == 1 ? f[3] : f[3] + "-" + i).getBytes(StandardCharsets.US_ASCII);
                    socket.send(new DatagramPacket(data, data.length, to, port));
                    sent++;
                }
            }
        }
        System.out.println("sent " + sent);
    }
}
