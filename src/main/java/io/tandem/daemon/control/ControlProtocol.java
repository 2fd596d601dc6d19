package io.tandem.daemon.control;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The control socket's format, both ways (libexec/tandem-control speaks the same).
 *
 * <p>Request: the command line's words, each followed by a NUL byte (so an empty or blank word
 * arrives as it was typed), then the client shuts its sending side down. A request without a NUL is
 * read as one line of blank-separated words (for a test by hand with socat).
 *
 * <p>Reply: {@code EXIT OUTLEN ERRLEN\n}, then the standard output and the standard error (UTF-8,
 * lengths in bytes). A daemon before this format answered {@code EXIT\n} and one text, which went to
 * standard output on 0 and to standard error otherwise; clients still read that.
 */
final class ControlProtocol {
    static final int MAX_REQUEST = 4096;
    private static final Pattern HEADER = Pattern.compile("\\A(-?\\d{1,9})(?: (\\d{1,9}) (\\d{1,9}))?\n");

    private ControlProtocol() {
    }

    static byte[] request(List<String> words) {
        StringBuilder b = new StringBuilder();
        words.forEach(w -> b.append(w).append('\0'));
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    static List<String> words(byte[] request, int length) {
        String text = new String(request, 0, length, StandardCharsets.UTF_8);
        if (text.indexOf('\0') < 0) {
            return text.isBlank() ? List.of() : List.of(text.trim().split("\\s+"));
        }
        List<String> words = new ArrayList<>(List.of(text.split("\0", -1)));
        words.remove(words.size() - 1); // after the last NUL
        return words;
    }

    static byte[] reply(ControlReply reply) {
        byte[] out = reply.out().getBytes(StandardCharsets.UTF_8);
        byte[] err = reply.err().getBytes(StandardCharsets.UTF_8);
        byte[] head = (reply.exitCode() + " " + out.length + " " + err.length + "\n").getBytes(StandardCharsets.US_ASCII);
        byte[] all = new byte[head.length + out.length + err.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(out, 0, all, head.length, out.length);
        System.arraycopy(err, 0, all, head.length + out.length, err.length);
        return all;
    }

    /** @throws IOException when {@code bytes} is not a whole reply (e.g. the daemon ended before answering) */
    static ControlReply reply(byte[] bytes) throws IOException {
        Matcher m = HEADER.matcher(new String(bytes, 0, Math.min(bytes.length, 40), StandardCharsets.US_ASCII));
        if (!m.find()) {
            throw new IOException("no control reply from the daemon");
        }
        int code = Integer.parseInt(m.group(1));
        int start = m.end();
        if (m.group(2) == null) {
            String text = new String(bytes, start, bytes.length - start, StandardCharsets.UTF_8);
            return code == 0 ? ControlReply.ok(text) : ControlReply.fail(code, text);
        }
        int outLength = Integer.parseInt(m.group(2));
        int errLength = Integer.parseInt(m.group(3));
        if ((long) start + outLength + errLength != bytes.length) {
            throw new IOException("a control reply cut short or too long");
        }
        return new ControlReply(code, new String(bytes, start, outLength, StandardCharsets.UTF_8),
                new String(bytes, start + outLength, errLength, StandardCharsets.UTF_8));
    }
}
