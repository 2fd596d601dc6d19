package io.tandem.daemon.os;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;

/**
 * Random bytes from the kernel ({@code /dev/urandom}), what {@code new SecureRandom()} reads on Linux
 * too, without loading the JDK's security providers into the daemon (~100 classes it has no other use
 * for, docs/benchmarks.md "Where the memory goes"). Without that device, {@link SecureRandom}.
 */
public final class Urandom {
    private static final Path DEVICE = Path.of("/dev/urandom");

    private Urandom() {
    }

    /** {@code n} random bytes. */
    public static byte[] bytes(int n) {
        byte[] b = new byte[n];
        try (InputStream in = Files.newInputStream(DEVICE)) {
            if (in.readNBytes(b, 0, n) == n) {
                return b;
            }
        } catch (IOException e) {
            // no /dev/urandom (a chroot without /dev): the JDK's generator finds another source
        }
        new SecureRandom().nextBytes(b);
        return b;
    }

    /** A random long, e.g. a seed. */
    public static long nextLong() {
        long v = 0;
        for (byte x : bytes(8)) {
            v = v << 8 | (x & 0xff);
        }
        return v;
    }
}
