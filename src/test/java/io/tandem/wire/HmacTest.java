package io.tandem.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tandem.config.AuthMethod;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.SplittableRandom;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** The hand-written SHA-1, MD5 and HMAC of the auth methods against the RFCs' vectors and the JDK's own. */
class HmacTest {
    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    @Test
    void hashesMatchTheStandardsVectors() {
        Sha1 sha1 = new Sha1();
        sha1.update(ascii("abc"));
        assertEquals("a9993e364706816aba3e25717850c26c9cd0d89d", hex(sha1.digest()));
        sha1.update(ascii("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"));
        assertEquals("84983e441c3bd26ebaae4aa1f95129e5e54670f1", hex(sha1.digest()));
        Md5 md5 = new Md5();
        md5.update(ascii(""));
        assertEquals("d41d8cd98f00b204e9800998ecf8427e", hex(md5.digest()));
        md5.update(ascii("The quick brown fox jumps over the lazy dog"));
        assertEquals("9e107d9d372bb6826bd81d3542a419d6", hex(md5.digest()));
    }

    @Test
    void hmacsMatchRfc2202() {
        byte[] key = new byte[20];
        java.util.Arrays.fill(key, (byte) 0x0b);
        byte[] data = ascii("Hi There");
        assertEquals("b617318655057264e28bc0b6fb378c8ef146be00", hex(new Hmac(new Sha1(), key).sign(data, data.length)));
        byte[] md5Key = java.util.Arrays.copyOf(key, 16);
        assertEquals("9294727a3638bb1c13f48ef8158bfc9d", hex(new Hmac(new Md5(), md5Key).sign(data, data.length)));
        byte[] jefe = ascii("what do ya want for nothing?");
        assertEquals("effcdf6ae5eb2fa2d27416d5f184df9c259a7c79", hex(new Hmac(new Sha1(), ascii("Jefe")).sign(jefe, jefe.length)));
        byte[] longKey = new byte[80];
        java.util.Arrays.fill(longKey, (byte) 0xaa);
        byte[] larger = ascii("Test Using Larger Than Block-Size Key - Hash Key First");
        assertEquals("aa4ae5e15272d00e95705637ce8a3b55ed402112", hex(new Hmac(new Sha1(), longKey).sign(larger, larger.length)));
        assertEquals("6b1ab7fe4bd7bf8f0b62e6ce61b9d0cd", hex(new Hmac(new Md5(), longKey).sign(larger, larger.length)));
    }

    /** Random keys and messages of every length around the block boundaries, one object reused: as the JDK computes them. */
    @Test
    void matchTheJdkForRandomKeysAndLengths() throws Exception {
        SplittableRandom random = new SplittableRandom(19);
        for (AuthMethod method : new AuthMethod[] {AuthMethod.MD5, AuthMethod.SHA1}) {
            String jdkName = method == AuthMethod.MD5 ? "HmacMD5" : "HmacSHA1";
            for (int keyLength : new int[] {0, 1, 16, 63, 64, 65, 200}) {
                byte[] key = new byte[keyLength];
                random.nextBytes(key);
                Hmac mine = new Hmac(method == AuthMethod.MD5 ? new Md5() : new Sha1(), key);
                Mac jdk = Mac.getInstance(jdkName);
                jdk.init(new SecretKeySpec(keyLength == 0 ? new byte[1] : key, jdkName));
                for (int length = 0; length < 300; length++) {
                    byte[] data = new byte[length + 5];
                    random.nextBytes(data);
                    jdk.update(data, 0, length);
                    assertArrayEquals(jdk.doFinal(), mine.sign(data, length), jdkName + " key " + keyLength + " length " + length);
                }
            }
            BlockDigest plain = method == AuthMethod.MD5 ? new Md5() : new Sha1();
            MessageDigest jdkPlain = MessageDigest.getInstance(method == AuthMethod.MD5 ? "MD5" : "SHA-1");
            byte[] data = new byte[1000];
            random.nextBytes(data);
            for (int split = 0; split < data.length; split += 37) { // updates in pieces of any size
                plain.update(data, 0, split);
                plain.update(data, split, data.length - split);
                assertArrayEquals(jdkPlain.digest(data), plain.digest(), method + " split at " + split);
            }
        }
    }

    @Test
    void digestsSignAsHeartbeatDoes() throws Exception {
        byte[] data = ascii(">>>\nt=status\nst=active\n<<<\n");
        Mac jdk = Mac.getInstance("HmacSHA1");
        jdk.init(new SecretKeySpec(ascii("secret"), "HmacSHA1"));
        assertEquals(hex(jdk.doFinal(data)), Digests.hex(AuthMethod.SHA1, "secret", data, data.length));
        Mac md5 = Mac.getInstance("HmacMD5");
        md5.init(new SecretKeySpec(ascii("secret"), "HmacMD5"));
        assertEquals(hex(md5.doFinal(data)), Digests.hex(AuthMethod.MD5, "secret", data, data.length));
    }
}
