package io.tandem.wire;

import io.tandem.config.AuthMethod;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/** The three digests of heartbeat's auth plugins (docs/protocol.md 2.2), as lower-case hex. */
final class Digests {
    private static final int[] CRC_TABLE = crcTable();

    private Digests() {
    }

    static String hex(AuthMethod method, String secret, byte[] data, int length) {
        switch (method) {
            case CRC:
                return Long.toHexString(crc(data, length));
            case MD5:
                return hmac(AuthMethod.MD5, secret, data, length);
            default:
                return hmac(AuthMethod.SHA1, secret, data, length);
        }
    }

    /** Non-reflected CRC-32 (poly 0x04C11DB7, init 0, inverted at the end): POSIX cksum without the length. */
    static long crc(byte[] data, int length) {
        int crc = 0;
        for (int i = 0; i < length; i++) {
            crc = (crc << 8) ^ CRC_TABLE[((crc >>> 24) ^ data[i]) & 0xff];
        }
        return ~crc & 0xffffffffL;
    }

    private static int[] crcTable() {
        int[] t = new int[256];
        for (int i = 0; i < 256; i++) {
            int c = i << 24;
            for (int j = 0; j < 8; j++) {
                c = (c & 0x80000000) != 0 ? (c << 1) ^ 0x04C11DB7 : c << 1;
            }
            t[i] = c;
        }
        return t;
    }

    private static final HexFormat HEX = HexFormat.of();

    /**
     * Keyed MACs by method and secret (keying one costs two hash blocks). Used under the class lock
     * (they are not thread-safe; packets are signed on the event loop and verified on the media
     * threads). A handful of keys at most (authkeys), evicted oldest first.
     */
    private static final Map<String, Hmac> MACS = new LinkedHashMap<>(8, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Hmac> eldest) {
            return size() > 8;
        }
    };

    private static String hmac(AuthMethod method, String secret, byte[] data, int length) {
        byte[] d;
        synchronized (Digests.class) {
            String key = method.name() + '\0' + secret;
            Hmac mac = MACS.get(key);
            if (mac == null) {
                mac = new Hmac(method == AuthMethod.MD5 ? new Md5() : new Sha1(), secret.getBytes(StandardCharsets.ISO_8859_1));
                MACS.put(key, mac);
            }
            d = mac.sign(data, length);
        }
        return HEX.formatHex(d);
    }
}
