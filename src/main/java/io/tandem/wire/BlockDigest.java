package io.tandem.wire;

/**
 * The Merkle–Damgård frame shared by {@link Sha1} and {@link Md5}: 64-byte blocks, the message padded
 * with 0x80, zeros and its length in bits. Written out here (not {@code java.security.MessageDigest})
 * so that the daemon does not load the JDK's provider machinery (~100 classes, docs/benchmarks.md
 * "Where the memory goes") for the two hashes heartbeat's auth needs. Not thread-safe; reusable:
 * {@link #digest()} resets it.
 */
abstract class BlockDigest {
    static final int BLOCK = 64;

    private final byte[] block = new byte[BLOCK];
    private int fill;
    private long bytes;

    BlockDigest() {
    }

    /** The length of the digest in bytes. */
    abstract int length();

    /** Whether the length field and the state words are big-endian (SHA-1) or little-endian (MD5). */
    abstract boolean bigEndian();

    /** Back to the initial state. */
    abstract void resetState();

    /** Processes one block of {@code b} from {@code off}. */
    abstract void compress(byte[] b, int off);

    /** The state words, as many as {@link #length()} / 4. */
    abstract int[] state();

    final void update(byte[] data, int off, int len) {
        bytes += len;
        if (fill > 0) {
            int n = Math.min(len, BLOCK - fill);
            System.arraycopy(data, off, block, fill, n);
            fill += n;
            off += n;
            len -= n;
            if (fill < BLOCK) {
                return;
            }
            compress(block, 0);
            fill = 0;
        }
        while (len >= BLOCK) {
            compress(data, off);
            off += BLOCK;
            len -= BLOCK;
        }
        System.arraycopy(data, off, block, 0, len);
        fill = len;
    }

    final void update(byte[] data) {
        update(data, 0, data.length);
    }

    /** The digest of everything given since the last reset; resets. */
    final byte[] digest() {
        long bits = bytes << 3;
        block[fill++] = (byte) 0x80;
        if (fill > BLOCK - 8) {
            java.util.Arrays.fill(block, fill, BLOCK, (byte) 0);
            compress(block, 0);
            fill = 0;
        }
        java.util.Arrays.fill(block, fill, BLOCK - 8, (byte) 0);
        for (int i = 0; i < 8; i++) {
            int shift = 8 * (bigEndian() ? 7 - i : i);
            block[BLOCK - 8 + i] = (byte) (bits >>> shift);
        }
        compress(block, 0);
        int[] s = state();
        byte[] out = new byte[length()];
        for (int i = 0; i < out.length; i++) {
            int shift = 8 * (bigEndian() ? 3 - (i & 3) : i & 3);
            out[i] = (byte) (s[i >> 2] >>> shift);
        }
        reset();
        return out;
    }

    final void reset() {
        fill = 0;
        bytes = 0;
        resetState();
    }
}
