package io.tandem.wire;

import java.util.Arrays;
import java.util.Random;

/** Random damage to a valid packet, where parsers break: syntax bytes, truncation, length digits, worst-case repeats. */
final class Mutations {
    private Mutations() {
    }

    static byte[] mutate(byte[] seed, Random r) {
        byte[] p = seed.clone();
        switch (r.nextInt(6)) {
            case 0: // overwrite a few bytes, often with syntax
                for (int k = 1 + r.nextInt(4); k > 0; k--) {
                    p[r.nextInt(p.length)] = r.nextBoolean() ? (byte) r.nextInt(256) : (byte) "=\n\0,:9%<".charAt(r.nextInt(8));
                }
                return p;
            case 1: // truncate
                return Arrays.copyOf(p, r.nextInt(p.length));
            case 2: { // one length prefix digit changed
                int at = r.nextInt(p.length);
                while (at < p.length && (p[at] < '0' || p[at] > '9')) {
                    at++;
                }
                if (at < p.length) {
                    p[at] = (byte) ('0' + r.nextInt(10));
                }
                return p;
            }
            case 3: { // a slice repeated up to about the datagram limit (a real packet made into a worst case)
                int from = r.nextInt(p.length);
                int len = 1 + r.nextInt(Math.min(32, p.length - from));
                int total = 60_000 + r.nextInt(10_000);
                byte[] q = new byte[total];
                System.arraycopy(p, 0, q, 0, from);
                for (int k = from; k < total; k++) {
                    q[k] = p[from + (k - from) % len];
                }
                return q;
            }
            case 4: { // insert a random byte
                int at = r.nextInt(p.length);
                byte[] q = new byte[p.length + 1];
                System.arraycopy(p, 0, q, 0, at);
                q[at] = (byte) r.nextInt(256);
                System.arraycopy(p, at, q, at + 1, p.length - at);
                return q;
            }
            default: { // delete a range
                int at = r.nextInt(p.length);
                int len = r.nextInt(p.length - at + 1);
                byte[] q = new byte[p.length - len];
                System.arraycopy(p, 0, q, 0, at);
                System.arraycopy(p, at + len, q, at, p.length - at - len);
                return q;
            }
        }
    }
}
