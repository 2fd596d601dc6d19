package io.tandem.daemon.media;

import io.tandem.config.MediumConfig;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A test program run inside a lab node: opens the media given as arguments and reports on stdout.
 *
 * <p>Arguments: {@code UDPPORT SPEC...} with SPEC one of {@code bcast:DEV}, {@code mcast:DEV:GROUP:PORT:TTL:LOOP},
 * {@code ucast:DEV:PEER}, {@code ping:HOST}, {@code ping_group:NAME:HOST,HOST...}.
 * stdin commands: {@code send TOKEN} (on all links; answers {@code sent N}), {@code sendhex HEX} (the same
 * for binary packets), {@code ping TOKEN} (echo
 * payload to all ping media; answers {@code pinged}), {@code quit}. Output lines: {@code started MEDIUM TEXT},
 * {@code ready}, {@code recv MEDIUM FROM PACKET} (see {@link #printable}), {@code warning MEDIUM TEXT},
 * {@code writefail MEDIUM TEXT}, {@code readfail MEDIUM TEXT}, {@code foreign MEDIUM FROM} (a packet dropped: not from a peer).
 */
public final class MediaProbe {
    private MediaProbe() {
    }

    public static void main(String[] args) throws IOException {
        int port = Integer.parseInt(args[0]);
        List<MediumConfig> specs = new ArrayList<>();
        for (String a : Arrays.copyOfRange(args, 1, args.length)) {
            specs.add(parse(a));
        }
        PacketSink sink = (byte[] packet, String medium, InetAddress from) ->
                System.out.println("recv " + medium + " " + from.getHostAddress() + " " + printable(packet));
        MediumListener listener = new MediumListener() {
            @Override
            public void started(Medium medium, String text) {
                System.out.println("started " + medium.name() + " " + text);
            }

            @Override
            public void warning(Medium medium, String text) {
                System.out.println("warning " + medium.name() + " " + text);
            }

            @Override
            public void writeFailed(Medium medium, IOException detail) {
                System.out.println("writefail " + medium.name() + " " + detail.getMessage());
            }

            @Override
            public void readFailed(Medium medium, IOException detail) {
                System.out.println("readfail " + medium.name() + " " + detail.getMessage());
            }

            @Override
            public void foreignPacket(Medium medium, InetAddress from) {
                System.out.println("foreign " + medium.name() + " " + from.getHostAddress());
            }
        };
        try (Media media = Media.open(specs, port, sink, listener);
                BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            System.out.println("ready");
            String line;
            while ((line = in.readLine()) != null && !line.equals("quit")) {
                String[] cmd = line.split(" ", 2);
                byte[] token = cmd.length > 1 ? cmd[1].getBytes(StandardCharsets.UTF_8) : new byte[0];
                if (cmd[0].equals("send")) {
                    System.out.println("sent " + media.sendOnLinks(token));
                } else if (cmd[0].equals("sendhex")) {
                    System.out.println("sent " + media.sendOnLinks(java.util.HexFormat.of().parseHex(cmd[1])));
                } else if (cmd[0].equals("ping")) {
                    media.pings().forEach(p -> p.send(token));
                    System.out.println("pinged");
                } else {
                    System.out.println("unknown command " + line);
                }
            }
        } catch (IOException e) {
            System.out.println("failed " + e.getMessage());
            System.exit(2);
        }
    }

    /** The packet as ASCII text: {@code \n} for newlines, {@code \xNN} for other control, non-ASCII and backslash bytes. */
    static String printable(byte[] packet) {
        StringBuilder sb = new StringBuilder();
        for (char c : new String(packet, StandardCharsets.ISO_8859_1).toCharArray()) {
            if (c == '\n') {
                sb.append("\\n");
            } else if (c < 0x20 || c >= 0x7f || c == '\\') {
                sb.append(String.format("\\x%02x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private static MediumConfig parse(String a) {
        String[] f = a.split(":");
        return switch (f[0]) {
            case "bcast" -> new MediumConfig.Bcast(f[1]);
            case "mcast" -> new MediumConfig.Mcast(f[1], f[2], Integer.parseInt(f[3]), Integer.parseInt(f[4]), f[5].equals("1"));
            case "ucast" -> new MediumConfig.Ucast(f[1], f[2]);
            case "ping" -> new MediumConfig.Ping(f[1]);
            case "ping_group" -> new MediumConfig.PingGroup(f[1], List.of(f[2].split(",")));
            default -> throw new IllegalArgumentException("unknown medium " + a);
        };
    }
}
