package io.tandem.daemon.node;

import io.tandem.config.AuthKey;
import io.tandem.config.AuthMethod;
import io.tandem.daemon.node.HostileInputFuzzer.Record;
import io.tandem.wire.Captures;
import io.tandem.wire.Field;
import io.tandem.wire.Message;
import io.tandem.wire.WireCodec;
import io.tandem.wire.WireException;
import io.tandem.wire.WireFormat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fuzzer's seed corpus, by name: the real heartbeat 3.0.6 traffic of seed-md5.pcap (the whole
 * capture, and orasrv2's side of it re-signed in each framing), and the hostile-packet cases of
 * HostilePacketsLabTest and docs/hostile-input.md as inputs of the fuzz target. {@code
 * NamedHostileInputsTest} runs each of these with what it must lead to; {@code bench/fuzz} starts
 * its corpus from them ({@link #main} writes them as files).
 */
final class FuzzSeeds {
    static final String PEER_GEN = "6b05d464";
    private static final AuthKey WRONG_KEY = new AuthKey(1, AuthMethod.MD5, "not-the-cluster-key");

    private FuzzSeeds() {
    }

    static Map<String, byte[]> named() {
        Map<String, byte[]> s = new LinkedHashMap<>();
        List<byte[]> capture = Captures.udpPayloads(Captures.DIR.resolve("seed-md5.pcap"));
        s.put("capture-md5-whole", raw(capture, 100));
        List<byte[]> peer = fromPeer(capture);
        s.put("capture-md5-orasrv2", raw(peer, 200));
        s.put("capture-md5-orasrv2-resigned-netstring", HostileInputFuzzer.input(true, WireFormat.NETSTRING, records(peer, 200)));
        s.put("capture-md5-orasrv2-resigned-classic", HostileInputFuzzer.input(true, WireFormat.CLASSIC, records(peer, 200)));
        s.put("capture-md5-orasrv2-twice (duplicates of a whole life)", raw(concat(peer, peer), 50));
        List<byte[]> restarted = new ArrayList<>(peer);
        restarted.add(signed(status(FuzzNode.PEER, "active", "7f000000", "1", "bb8")));
        s.put("capture-md5-orasrv2, a restart, then its old life replayed", raw(concat(restarted, peer), 50));
        s.put("oversized (65,508 bytes)", raw(List.of(new byte[WireCodec.MAX_DATAGRAM + 1]), 0));
        s.put("21834 lines a= (the quadratic parse)", raw(List.of(latin1(">>>\n" + "a=\n".repeat(21834))), 0));
        s.put("7000 tiny netstring fields", raw(List.of(latin1("###\n" + "6:(0)a=b,".repeat(7000) + "%%%\n")), 0));
        s.put("64 KB of digits as a length prefix", raw(List.of(latin1("###\n" + "9".repeat(65_000))), 0));
        s.put("wrong key from 300 names", raw(wrongKey(300), 5));
        s.put("forged src with a newline", raw(List.of(WireCodec.encodeSigned(status("evil\nNov 29 12:00:00 orasrv1 heartbeat: [1]: CRIT: "
                + "forged line", "active", PEER_GEN, "1", "bb8"), WRONG_KEY, WireFormat.NETSTRING_WITH_AUTH_FIELD)), 0));
        s.put("signed status with a newline in its status", raw(List.of(signed(status(FuzzNode.PEER, "active\nCRIT: forged", PEER_GEN,
                "1", "bb8"))), 0));
        s.put("signed gen, seq and dt ffffffffffffff", raw(List.of(signed(status(FuzzNode.PEER, "active", PEER_GEN, "1", "bb8")),
                signed(status(FuzzNode.PEER, "active", "ffffffffffffff", "ffffffffffffff", "ffffffffffffff"))), 300));
        s.put("signed bad sequence numbers", raw(List.of(signed(status(FuzzNode.PEER, "active", PEER_GEN, "zz", "bb8")),
                signed(status(FuzzNode.PEER, "active", PEER_GEN, "0", "bb8")), signed(status(FuzzNode.PEER, "active", PEER_GEN, "", "bb8"))), 100));
        s.put("signed 300 unknown node names", raw(unknownNames(300), 5));
        s.put("signed older generation after a newer one", raw(List.of(signed(status(FuzzNode.PEER, "active", PEER_GEN, "1", "bb8")),
                signed(status(FuzzNode.PEER, "active", "6b05d400", "2", "bb8"))), 300));
        s.put("signed sequence jumps of 250", raw(jumps(200, 250), 1));
        s.put("signed 200 generations", raw(generations(200), 1));
        s.put("signed resource messages before comm-up", raw(early(500), 1));
        return s;
    }

    /** Writes the named inputs into {@code dir} (for bench/fuzz's corpus). */
    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        Files.createDirectories(dir);
        int k = 0;
        for (Map.Entry<String, byte[]> e : named().entrySet()) {
            String name = String.format("seed-%02d-", k++) + e.getKey().replaceAll("[^A-Za-z0-9]+", "-");
            Files.write(dir.resolve(name), e.getValue());
            byte[] wire = e.getValue().clone(); // the same records for the wire layer alone (mode bit 3)
            wire[0] |= 8;
            Files.write(dir.resolve(name + "-wire"), wire);
        }
    }

    static Message status(String src, String st, String gen, String seq, String dt) {
        return Message.ofStrings(Message.TYPE, "status", Message.STATUS, st, Message.DEADTIME, dt, Message.PROTOCOL, "1", Message.SRC, src)
                .append(Field.binary(Message.SRCUUID, new byte[16])).append(Message.SEQ, seq).append(Message.GEN, gen)
                .append(Message.TS, "6b05dbd9");
    }

    static byte[] signed(Message m) {
        return FuzzNode.signed(m, WireFormat.NETSTRING_WITH_AUTH_FIELD);
    }

    private static List<byte[]> fromPeer(List<byte[]> capture) {
        List<byte[]> out = new ArrayList<>();
        for (byte[] p : capture) {
            try {
                if (WireCodec.decode(p).message().getOr(Message.SRC, "").equalsIgnoreCase(FuzzNode.PEER)) {
                    out.add(p);
                }
            } catch (WireException e) {
                throw new IllegalStateException("a captured packet does not decode: " + e.reason(), e);
            }
        }
        return out;
    }

    private static List<byte[]> wrongKey(int n) {
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(WireCodec.encodeSigned(status("spoofed" + i, "active", Long.toHexString(i + 1), "1", "bb8"), WRONG_KEY, WireFormat.NETSTRING));
        }
        return out;
    }

    private static List<byte[]> unknownNames(int n) {
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(signed(status("node" + i + ".example", "active", Long.toHexString(i + 1), "1", "bb8")));
        }
        return out;
    }

    /** The peer's statuses, each {@code step} sequence numbers after the last (no retransmission ever comes). */
    private static List<byte[]> jumps(int n, long step) {
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(signed(status(FuzzNode.PEER, "active", PEER_GEN, Long.toHexString(1 + i * step), "bb8")));
        }
        return out;
    }

    private static List<byte[]> generations(int n) {
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(signed(status(FuzzNode.PEER, "active", Long.toHexString(0x6b05d464L + i), "1", "bb8")));
        }
        return out;
    }

    /** A status, then resource messages with new sequence numbers while this node waits for its comm-up. */
    private static List<byte[]> early(int n) {
        List<byte[]> out = new ArrayList<>();
        out.add(signed(status(FuzzNode.PEER, "active", PEER_GEN, "1", "bb8")));
        for (int i = 0; i < n; i++) {
            out.add(signed(Message.ofStrings(Message.TYPE, "resource", "rsc_hold", "all", "info", "x".repeat(100), Message.SRC, FuzzNode.PEER,
                    Message.SEQ, Long.toHexString(2 + i), Message.GEN, PEER_GEN)));
        }
        return out;
    }

    private static byte[] raw(List<byte[]> datagrams, int gap) {
        return HostileInputFuzzer.input(false, WireFormat.NETSTRING_WITH_AUTH_FIELD, records(datagrams, gap));
    }

    private static List<Record> records(List<byte[]> datagrams, int gap) {
        List<Record> out = new ArrayList<>();
        for (byte[] d : datagrams) {
            out.add(new Record(gap, 0, d));
        }
        return out;
    }

    private static List<byte[]> concat(List<byte[]> a, List<byte[]> b) {
        List<byte[]> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    private static byte[] latin1(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
