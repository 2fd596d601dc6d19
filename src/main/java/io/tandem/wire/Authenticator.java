package io.tandem.wire;

import io.tandem.config.AuthKey;
import io.tandem.config.AuthKeys;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * Heartbeat's packet authentication (docs/protocol.md 2.3). The auth string is {@code "<index> <hex>"}.
 * Netstring packets are checked by their trailer (over the bytes through {@code %%%\n}); classic
 * packets by their {@code auth} field (over the classic lines of every other field). Comparison
 * is constant-time. Verifying is linear in the packet: one digest over the signed bytes (classic:
 * over the field lines rebuilt in one pass) and a comparison of two auth strings.
 *
 * <p>Deviation: heartbeat checks a netstring trailer with the method of the index it names but the
 * secret of its own active key (a quirk that makes rolling key changes impossible with netstrings);
 * Tandem uses the secret of the named index. With one key, as everyone runs, both are the same.
 */
public final class Authenticator {
    private Authenticator() {
    }

    public static String authString(AuthKey key, byte[] data, int length) {
        return key.index() + " " + Digests.hex(key.method(), key.secret(), data, length);
    }

    /** The classic {@code auth} field's value for these fields (any {@code auth} field among them is skipped). */
    public static String classicAuth(Message m, AuthKey key) {
        byte[] text = classicSigned(m);
        return authString(key, text, text.length);
    }

    private static byte[] classicSigned(Message m) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        for (Field f : m.fields()) {
            if (!f.name().equals(Message.AUTH)) {
                ClassicText.line(f, out);
                out.write('\n');
            }
        }
        return out.toByteArray();
    }

    public static AuthVerdict verify(Packet packet, AuthKeys keys) {
        try {
            if (packet.framing() == WireFormat.CLASSIC) {
                Optional<String> auth = packet.message().get(Message.AUTH);
                if (auth.isEmpty()) {
                    return AuthVerdict.bad("no auth field");
                }
                byte[] text = classicSigned(packet.message());
                return check(auth.get(), keys, text, text.length);
            }
            if (packet.trailer().isEmpty()) {
                return AuthVerdict.bad("no authentication trailer after %%%");
            }
            return check(packet.trailer().get(), keys, packet.bytes(), packet.signedLength());
        } catch (WireException e) {
            return AuthVerdict.bad(e.reason());
        }
    }

    private static AuthVerdict check(String authString, AuthKeys keys, byte[] data, int length) {
        int space = authString.indexOf(' ');
        if (space <= 0 || space > 2) {
            return AuthVerdict.bad("malformed auth string [" + printable(authString) + "]");
        }
        int index;
        try {
            index = Integer.parseInt(authString.substring(0, space));
        } catch (NumberFormatException e) {
            return AuthVerdict.bad("malformed auth string [" + printable(authString) + "]");
        }
        Optional<AuthKey> key = keys.byIndex(index);
        if (key.isEmpty()) {
            return AuthVerdict.bad("Invalid authentication type [" + index + "] in message (no key " + index + " in authkeys)");
        }
        String expected = authString(key.get(), data, length);
        if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.ISO_8859_1), authString.getBytes(StandardCharsets.ISO_8859_1))) {
            return AuthVerdict.bad("digest does not match with key " + index + " (" + key.get().method().fileName() + ")");
        }
        return AuthVerdict.OK;
    }

    /** At most 61 characters of a peer's auth string for the log (the string may be a whole packet long). */
    private static String printable(String s) {
        StringBuilder b = new StringBuilder();
        for (int k = 0; k < s.length(); k++) {
            char c = s.charAt(k);
            b.append(c >= 0x20 && c < 0x7f ? c : '?');
            if (b.length() > 60) {
                b.append("...");
                break;
            }
        }
        return b.toString();
    }
}
