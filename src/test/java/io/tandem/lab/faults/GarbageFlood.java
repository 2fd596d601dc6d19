package io.tandem.lab.faults;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.Random;
import java.util.concurrent.locks.LockSupport;

/**
 * A lab host's flood of garbage (test main, run inside a lab host with {@code lab.startJava}): random
 * datagrams of 1-1,400 random bytes, half of them starting like a heartbeat packet, to DEST:PORT for
 * SECONDS at about PPS a second, from SEED. Prints {@code sent N}. Sends only to the address given.
 * <pre>  DEST PORT SECONDS PPS SEED</pre>
 */
public final class GarbageFlood {
    private GarbageFlood() {
    }

    public static void main(String[] args) throws Exception {
        InetSocketAddress to = new InetSocketAddress(InetAddress.getByName(args[0]), Integer.parseInt(args[1]));
        long end = System.nanoTime() + (long) (Double.parseDouble(args[2]) * 1e9);
        long gapNs = 1_000_000_000L / Math.max(1, Integer.parseInt(args[3]));
        Random random = new Random(Long.parseLong(args[4]));
        long sent = 0;
        try (DatagramChannel ch = DatagramChannel.open(StandardProtocolFamily.INET)) {
            ch.setOption(StandardSocketOptions.SO_BROADCAST, true);
            long next = System.nanoTime();
            while (System.nanoTime() < end) {
                byte[] b = new byte[1 + random.nextInt(1_400)];
                random.nextBytes(b);
                if (random.nextBoolean() && b.length > 4) {
                    b[0] = '>';
                    b[1] = '>';
                    b[2] = '>';
                    b[3] = '\n';
                }
                ch.send(ByteBuffer.wrap(b), to);
                sent++;
                next += gapNs;
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
            }
        }
        System.out.println("sent " + sent);
        System.out.flush();
    }
}
