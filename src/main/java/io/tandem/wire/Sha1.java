package io.tandem.wire;

/** SHA-1 (FIPS 180-4), for heartbeat's {@code sha1} auth method; see {@link BlockDigest} for why it is here. */
final class Sha1 extends BlockDigest {
    private final int[] h = new int[5];
    private final int[] w = new int[80];

    Sha1() {
        resetState();
    }

    @Override
    int length() {
        return 20;
    }

    @Override
    boolean bigEndian() {
        return true;
    }

    @Override
    void resetState() {
        h[0] = 0x67452301;
        h[1] = 0xefcdab89;
        h[2] = 0x98badcfe;
        h[3] = 0x10325476;
        h[4] = 0xc3d2e1f0;
    }

    @Override
    int[] state() {
        return h;
    }

    @Override
    void compress(byte[] b, int off) {
        for (int i = 0; i < 16; i++, off += 4) {
            w[i] = (b[off] & 0xff) << 24 | (b[off + 1] & 0xff) << 16 | (b[off + 2] & 0xff) << 8 | (b[off + 3] & 0xff);
        }
        for (int i = 16; i < 80; i++) {
            w[i] = Integer.rotateLeft(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
        }
        int a = h[0], bb = h[1], c = h[2], d = h[3], e = h[4];
        for (int i = 0; i < 80; i++) {
            int f;
            int k;
            if (i < 20) {
                f = (bb & c) | (~bb & d);
                k = 0x5a827999;
            } else if (i < 40) {
                f = bb ^ c ^ d;
                k = 0x6ed9eba1;
            } else if (i < 60) {
                f = (bb & c) | (bb & d) | (c & d);
                k = 0x8f1bbcdc;
            } else {
                f = bb ^ c ^ d;
                k = 0xca62c1d6;
            }
            int t = Integer.rotateLeft(a, 5) + f + e + k + w[i];
            e = d;
            d = c;
            c = Integer.rotateLeft(bb, 30);
            bb = a;
            a = t;
        }
        h[0] += a;
        h[1] += bb;
        h[2] += c;
        h[3] += d;
        h[4] += e;
    }
}
