package io.tandem.wire;

import io.tandem.config.AuthMethod;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

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
                return hmac("HmacMD5", secret, data, length);
            default:
                return hmac("HmacSHA1", secret, data, length);
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
     * Initialised MACs by algorithm and secret: creating and keying one costs more than signing a
     * heartbeat. Used under the class lock (MACs are not thread-safe; packets are signed on the event
     * loop and verified on the media threads). A handful of keys at most (authkeys), evicted oldest first.
     */
    private static final Map<String, Mac> MACS = new LinkedHashMap<>(8, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Mac> eldest) {
            return size() > 8;
        }
    };

    private static String hmac(String algorithm, String secret, byte[] data, int length) {
        byte[] d;
        synchronized (Digests.class) {
            Mac mac = MACS.get(algorithm + '\0' + secret);
            if (mac == null) {
                mac = newMac(algorithm, secret);
                MACS.put(algorithm + '\0' + secret, mac);
            }
            mac.update(data, 0, length);
            d = mac.doFinal(); // also resets it for the next message
        }
        return HEX.formatHex(d);
    }

    private static Mac newMac(String algorithm, String secret) {
        try {
            Mac mac = Mac.getInstance(algorithm);
            byte[] key = secret.getBytes(StandardCharsets.ISO_8859_1);
            // An empty HMAC key is legal for heartbeat; SecretKeySpec refuses it, a zero byte is equivalent.
            mac.init(new SecretKeySpec(key.length == 0 ? new byte[1] : key, algorithm));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(algorithm + " is missing from this Java runtime", e);
        }
    }
}
