package io.tandem.sim;

import io.tandem.config.AuthKey;
import io.tandem.config.AuthMethod;
import io.tandem.wire.Message;
import io.tandem.wire.WireCodec;
import io.tandem.wire.WireFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An adversary on a {@link Cluster}'s link ({@link Cluster#adversary()}): it overhears every packet and
 * sends hostile ones to running nodes: replays of any packet any node ever sent (an older life's too),
 * corrupted copies, garbage, correctly framed packets with the wrong key, and packets signed with the
 * cluster key in a node's name with numbers no real peer sends (a buggy peer).
 */
final class Adversary {
    private final Cluster c;
    private final List<byte[]> overheard = new ArrayList<>();
    /** What it sent, by kind. */
    final Map<String, Integer> sent = new TreeMap<>();

    Adversary(Cluster c) {
        this.c = c;
    }

    void overheard(byte[] packet) {
        overheard.add(packet);
    }

    /** One hostile packet to a random running node through the link (so delayed like the rest), in the name of {@code as}. */
    void strike(String as) {
        List<Cluster.Node> targets = c.nodes.values().stream().filter(Cluster.Node::up).toList();
        if (targets.isEmpty() || overheard.isEmpty()) {
            return;
        }
        Cluster.Node to = targets.get(c.random.nextInt(targets.size()));
        byte[] packet;
        String kind;
        switch (c.random.nextInt(5)) {
            case 0 -> {
                kind = "replay";
                packet = any();
            }
            case 1 -> {
                kind = "corrupted";
                packet = any().clone();
                for (int k = 1 + c.random.nextInt(3); k > 0; k--) {
                    packet[c.random.nextInt(packet.length)] ^= (byte) (1 + c.random.nextInt(255));
                }
            }
            case 2 -> {
                kind = "garbage";
                packet = new byte[c.random.nextInt(2000)];
                c.random.nextBytes(packet);
                if (c.random.nextBoolean() && packet.length > 4) {
                    System.arraycopy(new byte[] {'>', '>', '>', '\n'}, 0, packet, 0, 4);
                }
            }
            case 3 -> {
                kind = "wrong key";
                packet = WireCodec.encodeSigned(Message.ofStrings(Message.TYPE, "status", Message.STATUS, "active", Message.SRC, as,
                        Message.SEQ, "1", Message.GEN, "1"), new AuthKey(1, AuthMethod.SHA1, "not-the-key"), WireFormat.NETSTRING);
            }
            default -> {
                kind = "absurd numbers";
                packet = Wire.seal(absurd(as));
            }
        }
        sent.merge(kind, 1, Integer::sum);
        byte[] p = packet;
        c.at(c.now + c.delay(), () -> c.shell.deliver(to, p));
    }

    private byte[] any() {
        return overheard.get(c.random.nextInt(overheard.size()));
    }

    /** A status in {@code as}'s name with a huge generation, or its own generation and a sequence number far ahead. */
    private Message absurd(String as) {
        String huge = Long.toHexString(c.random.nextLong() | (1L << 62));
        String gen = c.random.nextBoolean() ? huge : Long.toHexString(c.nodes.get(as).generation);
        String seq = gen.equals(huge) ? "1" : Long.toHexString((1L << 41) + c.random.nextInt(1000));
        return Message.ofStrings(Message.TYPE, "status", Message.STATUS, "active", Message.DEADTIME, huge, Message.PROTOCOL, "1",
                Message.SRC, as, Message.SEQ, seq, Message.GEN, gen);
    }
}
