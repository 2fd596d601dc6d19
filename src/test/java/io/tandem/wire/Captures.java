package io.tandem.wire;

import io.tandem.config.AuthKey;
import io.tandem.config.AuthKeys;
import io.tandem.config.AuthMethod;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The UDP payloads of real heartbeat 3.0.6 traffic captured in a two-node cluster (test data), and their keys. */
public final class Captures {
    /** The captures kept with the tests. */
    public static final Path DIR = Path.of(System.getProperty("tandem.captures", "src/test/resources/captures"));

    enum Capture {
        MD5("seed-md5.pcap", new AuthKey(1, AuthMethod.MD5, "74a6a503b5bec9373b22bb630608df41")),
        SHA1("seed-sha1.pcap", new AuthKey(1, AuthMethod.SHA1, "Heartbeat-Interop-Key")),
        CRC("seed-crc.pcap", new AuthKey(1, AuthMethod.CRC, ""));

        final String file;
        final AuthKey key;

        Capture(String file, AuthKey key) {
            this.file = file;
            this.key = key;
        }

        AuthKeys keys() {
            return AuthKeys.single(key);
        }

        List<byte[]> packets() {
            return udpPayloads(resolve(file));
        }
    }

    private Captures() {
    }

    static Path resolve(String file) {
        return DIR.resolve(file);
    }

    static boolean available() {
        return Files.isReadable(resolve(Capture.MD5.file));
    }

    /** A minimal pcap reader: Ethernet, IPv4, UDP; returns the payloads in capture order. */
    public static List<byte[]> udpPayloads(Path pcap) {
        byte[] all;
        try {
            all = Files.readAllBytes(pcap);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ByteBuffer b = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        int magic = b.getInt(0);
        if (magic != 0xa1b2c3d4) {
            b.order(ByteOrder.BIG_ENDIAN);
        }
        List<byte[]> out = new ArrayList<>();
        int at = 24;
        while (at + 16 <= all.length) {
            int incl = b.getInt(at + 8);
            int frame = at + 16;
            at = frame + incl;
            int ethType = ((all[frame + 12] & 0xff) << 8) | (all[frame + 13] & 0xff);
            if (ethType != 0x0800) {
                continue;
            }
            int ip = frame + 14;
            int ihl = (all[ip] & 0x0f) * 4;
            if (all[ip + 9] != 17) {
                continue;
            }
            int ipLen = ((all[ip + 2] & 0xff) << 8) | (all[ip + 3] & 0xff);
            int udp = ip + ihl;
            int udpLen = ((all[udp + 4] & 0xff) << 8) | (all[udp + 5] & 0xff);
            int payload = udp + 8;
            int len = Math.min(udpLen - 8, ip + ipLen - payload);
            out.add(Arrays.copyOfRange(all, payload, payload + len));
        }
        return out;
    }
}
