package io.tandem.daemon.node;

import io.tandem.wire.Authenticator;
import io.tandem.wire.Field;
import io.tandem.wire.Message;
import io.tandem.wire.Packet;
import io.tandem.wire.RejectReason;
import io.tandem.wire.WireCodec;
import io.tandem.wire.WireException;
import io.tandem.wire.WireFormat;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The fuzz target (Jazzer's {@code fuzzerTestOneInput}, run by {@code HostileInputFuzzTest} and
 * {@code bench/fuzz}): one input is a short life of a {@link FuzzNode} fed datagrams from the network.
 *
 * <p>Input layout (every part optional, a short input just ends early):
 * <pre>
 *   mode (1 byte)     bit 0: sign every record that decodes with the cluster key before it is sent
 *                     (a peer that has the key, or a recording of one: reaches the message handlers);
 *                     bits 1-2: the framing to sign in (netstring+auth field, netstring, classic);
 *                     bit 3: the wire layer alone (codec and authenticator, no node: many more inputs a second)
 *   records           each: gap (2 bytes, big-endian: below 0xF000 that many ms modulo 1000 of virtual
 *                     time before it, else (v - 0xF000) x 2 ms, up to 8 s: past deadtime), link (1 byte:
 *                     eth1, eth2, the ping medium), length (2 bytes, big-endian), that many bytes of datagram
 * </pre>
 * After the last record the clock runs on for a second (timers, script answers); longer silences,
 * and with them deaths and late heartbeats, come from long gaps.
 *
 * <p>What every input must keep (else a {@link FuzzNode.Finding} or an assertion escapes): the codec
 * throws nothing but {@link WireException}, and what it decodes keeps the receive limits; the
 * authenticator answers every decoded packet; the node delivers or counts every datagram, its core
 * throws nothing, its messages encode and decode, its deadlines move, its own traffic stays
 * proportional to the input and the time ({@link FuzzNode#checkWork}), its log lines about rejected
 * input stay within one per reason and 10 s (two at a window's turn).
 */
public final class HostileInputFuzzer {
    static final long START = 1_700_000_000_000L;
    static final long TAIL_MS = 1000;
    private static final WireFormat[] FORMATS = {WireFormat.NETSTRING_WITH_AUTH_FIELD, WireFormat.NETSTRING, WireFormat.CLASSIC,
        WireFormat.NETSTRING_WITH_AUTH_FIELD};

    private HostileInputFuzzer() {
    }

    /** One record of an input. */
    record Record(int gap, int link, byte[] datagram) {
    }

    public static void fuzzerTestOneInput(byte[] data) {
        run(data);
    }

    /** The wire layer alone (codec and authenticator) for every input: {@code bench/fuzz}'s fast target. */
    public static final class WireOnly {
        private WireOnly() {
        }

        public static void fuzzerTestOneInput(byte[] data) {
            if (data.length > 0) {
                byte[] d = data.clone();
                d[0] |= 8;
                run(d);
            }
        }
    }

    /** Runs one input; returns the node for checks of the regression inputs (null for the wire layer alone). */
    static FuzzNode run(byte[] data) {
        if (data.length == 0) {
            FuzzNode node = new FuzzNode(START, FuzzNode.noPast());
            node.advance(2 * FuzzNode.DEADTIME);
            return node;
        }
        int mode = data[0] & 0xff;
        boolean sign = (mode & 1) != 0;
        WireFormat format = FORMATS[(mode >> 1) & 3];
        if ((mode & 8) != 0) {
            for (Record r : records(data)) {
                codecKeepsItsLimits(sign ? resigned(r.datagram(), format) : r.datagram());
            }
            return null;
        }
        FuzzNode node = new FuzzNode(START, FuzzNode.noPast());
        for (Record r : records(data)) {
            node.advance(gapMs(r.gap()));
            byte[] p = r.datagram();
            codecKeepsItsLimits(p);
            if (sign) {
                p = resigned(p, format);
            }
            node.datagram(p, FuzzNode.LINKS.get(r.link() % FuzzNode.LINKS.size()));
        }
        node.advance(TAIL_MS);
        logStaysRateLimited(node);
        node.checkWork(START);
        return node;
    }

    /** Mostly short gaps (cheap inputs), one in 16 up to 8 s (deaths, late heartbeats). */
    static long gapMs(int v) {
        return v < 0xF000 ? v % 1000 : (v - 0xF000) * 2L;
    }

    static List<Record> records(byte[] data) {
        List<Record> out = new ArrayList<>();
        int at = 1;
        while (at < data.length) {
            int gap = u8(data, at) << 8 | u8(data, at + 1);
            int link = u8(data, at + 2);
            int len = u8(data, at + 3) << 8 | u8(data, at + 4);
            at += 5;
            int n = Math.max(0, Math.min(len, data.length - at));
            byte[] p = new byte[n];
            System.arraycopy(data, Math.min(at, data.length), p, 0, n);
            at += n;
            out.add(new Record(gap, link, p));
        }
        return out;
    }

    /** An input of these records (the inverse of {@link #records}); datagrams longer than 65,535 bytes are cut. */
    static byte[] input(boolean sign, WireFormat format, List<Record> records) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int f = format == WireFormat.NETSTRING ? 1 : format == WireFormat.CLASSIC ? 2 : 0;
        b.write((sign ? 1 : 0) | f << 1);
        for (Record r : records) {
            int len = Math.min(r.datagram().length, 0xffff);
            b.write(r.gap() >> 8 & 0xff);
            b.write(r.gap() & 0xff);
            b.write(r.link());
            b.write(len >> 8);
            b.write(len & 0xff);
            b.write(r.datagram(), 0, len);
        }
        return b.toByteArray();
    }

    private static int u8(byte[] d, int i) {
        return i < d.length ? d[i] & 0xff : 0;
    }

    /** The datagram decoded and signed again with the cluster key in {@code format}; as it is when it does not decode. */
    static byte[] resigned(byte[] p, WireFormat format) {
        Message m;
        try {
            m = WireCodec.decode(p).message();
        } catch (WireException e) {
            return p;
        }
        try {
            return FuzzNode.signed(m, format);
        } catch (WireException e) {
            return p; // over MAXMSG in this framing, or a field the framing cannot carry: sent as it came
        }
    }

    /** The wire layer on its own: only WireException, limits kept, every decoded packet gets a verdict. */
    static void codecKeepsItsLimits(byte[] p) {
        Packet decoded;
        try {
            decoded = WireCodec.decode(p);
        } catch (WireException e) {
            if (e.reason() == null || e.reason().isBlank()) {
                throw new FuzzNode.Finding("a WireException without a reason", e);
            }
            return;
        }
        if (p.length > WireCodec.MAX_DATAGRAM || decoded.message().size() > WireCodec.MAX_FIELDS) {
            throw new FuzzNode.Finding("a packet beyond the receive limits decoded", null);
        }
        for (Field f : decoded.message().fields()) {
            if (f.name().isEmpty() || f.name().length() > WireCodec.MAX_NAME_LENGTH || f.valueLength() > p.length) {
                throw new FuzzNode.Finding("a field beyond the limits decoded: name of " + f.name().length() + " chars", null);
            }
        }
        if (Authenticator.verify(decoded, FuzzNode.KEYS).reason().isBlank()) {
            throw new FuzzNode.Finding("a verdict without a reason", null);
        }
    }

    /** At most one line per reason and window of 10 s, plus the window's summary: two per reason and window. */
    static void logStaysRateLimited(FuzzNode node) {
        long windows = (node.now() - START) / RejectLog.INTERVAL_MS + 2;
        long bound = 2 * windows * RejectReason.values().length;
        if (node.rejectLogLines > bound) {
            throw new FuzzNode.Finding(node.rejectLogLines + " log lines about rejected input in " + (node.now() - START) + " ms (at most "
                    + bound + ")", null);
        }
    }
}
