package io.tandem.config;

import java.util.Optional;
import java.util.TreeMap;

/**
 * Reads authkeys exactly as heartbeat 3.0.6 does (docs/protocol.md 2.1): refuses a group- or
 * world-readable file, {@code auth N} must come before the line of key N, the secret is one
 * whitespace-free word. Errors use heartbeat's wording.
 */
public final class AuthKeysParser {
    /** heartbeat's MAXAUTH: key indexes 0 to 15. */
    public static final int MAX_AUTH = 16;

    private static final String WHITESPACE = " \t\n\r\f";

    private AuthKeysParser() {
    }

    /**
     * Parses authkeys; {@code posixMode} is the file's permission bits (e.g. {@code 0600}), checked
     * first as heartbeat does.
     */
    public static AuthKeys parse(String fileName, String text, int posixMode) {
        if ((posixMode & 044) != 0) {
            throw new ConfigException(fileName, 0, "Bad permissions on keyfile [" + fileName + "], 600 recommended.");
        }
        TreeMap<Integer, AuthKey> keys = new TreeMap<>();
        int authnum = -1;
        int active = -1;
        String[] lines = text.split("\n", -1);
        for (int n = 0; n < lines.length; n++) {
            int line = n + 1;
            String raw = lines[n];
            String bp = HaCfParser.skip(raw, WHITESPACE);
            if (bp.isEmpty() || bp.charAt(0) == '#') {
                continue;
            }
            if (bp.charAt(0) == 'a') {
                Optional<Integer> num = authLine(bp);
                if (num.isEmpty()) {
                    throw new ConfigException(fileName, line, "Invalid auth line [" + raw.strip() + "] in " + fileName
                            + " (auth N)");
                }
                authnum = num.get();
                continue;
            }
            int[] number = leadingInt(bp);
            String[] words = number == null ? new String[0] : words(bp.substring(number[1]));
            if (words.length < 1) {
                throw new ConfigException(fileName, line, "Auth line [" + raw.strip() + "] is invalid."
                        + " (N crc|md5|sha1 [KEY])");
            }
            int i = number[0];
            if (i < 0 || i >= MAX_AUTH) {
                throw new ConfigException(fileName, line, "Invalid authnum [" + i + "] in " + fileName);
            }
            String methodName = words[0];
            AuthMethod method = AuthMethod.byName(methodName).orElseThrow(() ->
                    new ConfigException(fileName, line, "Invalid authtype [" + methodName + "] (crc, md5 or sha1)"));
            String key = words.length > 1 ? words[1] : "";
            if (!key.isEmpty() && !method.needsKey()) {
                throw new ConfigException(fileName, line, "Auth method [" + methodName + "] doesn't use a key");
            }
            if (key.isEmpty() && method.needsKey()) {
                throw new ConfigException(fileName, line, "Auth method [" + methodName + "] requires a key");
            }
            keys.put(i, new AuthKey(i, method, key));
            if (i == authnum) {
                active = i;
            }
        }
        if (active < 0) {
            if (authnum < 0) {
                throw new ConfigException(fileName, 0, "Missing auth directive in keyfile [" + fileName + "]");
            }
            throw new ConfigException(fileName, 0, "Auth Key [" + authnum + "] not found in keyfile [" + fileName + "]"
                    + " (the auth line must come before the line of its key)");
        }
        return new AuthKeys(active, keys);
    }

    /** Writes authkeys text: the auth line first, then every key. */
    public static String print(AuthKeys keys) {
        StringBuilder out = new StringBuilder("auth ").append(keys.activeIndex()).append('\n');
        for (AuthKey k : keys.keys().values()) {
            out.append(k.index()).append(' ').append(k.method().fileName());
            if (!k.secret().isEmpty()) {
                out.append(' ').append(k.secret());
            }
            out.append('\n');
        }
        return out.toString();
    }

    /** {@code sscanf(bp, "auth %d")}: "auth", optional blanks, an integer. */
    private static Optional<Integer> authLine(String bp) {
        if (!bp.startsWith("auth")) {
            return Optional.empty();
        }
        int[] number = leadingInt(HaCfParser.skip(bp.substring(4), WHITESPACE));
        return number == null ? Optional.empty() : Optional.of(number[0]);
    }

    /** {@code %d}: an optionally signed decimal integer at the start; returns {value, end} or null. */
    private static int[] leadingInt(String s) {
        int i = 0;
        if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            i++;
        }
        int digitsStart = i;
        while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
            i++;
        }
        if (i == digitsStart || i - digitsStart > 9) {
            return null;
        }
        return new int[] {Integer.parseInt(s.substring(0, i)), i};
    }

    private static String[] words(String bp) {
        return HaCfParser.values(bp, WHITESPACE).toArray(new String[0]);
    }
}
