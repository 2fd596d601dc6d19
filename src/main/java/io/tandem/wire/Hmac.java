package io.tandem.wire;

/** HMAC (RFC 2104) over a {@link BlockDigest}: heartbeat's md5 and sha1 auth (HmacMD5, HmacSHA1). Not thread-safe. */
final class Hmac {
    private final BlockDigest digest;
    private final byte[] innerPad = new byte[BlockDigest.BLOCK];
    private final byte[] outerPad = new byte[BlockDigest.BLOCK];

    /** An HMAC keyed with {@code key}, which may be empty (the same as a key of one zero byte). */
    Hmac(BlockDigest digest, byte[] key) {
        this.digest = digest;
        byte[] k = key;
        if (k.length > BlockDigest.BLOCK) {
            digest.update(k);
            k = digest.digest();
        }
        for (int i = 0; i < BlockDigest.BLOCK; i++) {
            byte b = i < k.length ? k[i] : 0;
            innerPad[i] = (byte) (b ^ 0x36);
            outerPad[i] = (byte) (b ^ 0x5c);
        }
    }

    /** The MAC of {@code data[0, length)}. */
    byte[] sign(byte[] data, int length) {
        digest.update(innerPad);
        digest.update(data, 0, length);
        byte[] inner = digest.digest();
        digest.update(outerPad);
        digest.update(inner);
        return digest.digest();
    }
}
