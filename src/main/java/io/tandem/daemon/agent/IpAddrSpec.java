package io.tandem.daemon.agent;

import java.util.Objects;

/**
 * The argument of heartbeat's {@code IPaddr}/{@code IPaddr2}: {@code ip[/bits[/iface[:label]][/broadcast]]},
 * split as the resource.d wrappers split it: the piece after the netmask is the broadcast address when it
 * starts with a digit, else the interface (optionally {@code iface:label}), followed by the broadcast.
 * The netmask may be a prefix length or a dotted mask.
 *
 * @param ip        the address, dotted quad
 * @param prefix    prefix length 0–32, or -1 when not given (taken from the interface's network)
 * @param iface     the interface, or "" when not given (found from the interface's network)
 * @param label     the label after {@code iface:}, or "" for the next free {@code iface:N}
 * @param broadcast the broadcast address, or "" to compute it from address and prefix
 */
public record IpAddrSpec(String ip, int prefix, String iface, String label, String broadcast) {
    public IpAddrSpec {
        Objects.requireNonNull(ip, "ip");
        Objects.requireNonNull(iface, "iface");
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(broadcast, "broadcast");
        if (prefix < -1 || prefix > 32) {
            throw new IllegalArgumentException("prefix out of range: " + prefix);
        }
    }

    /**
     * Parses an IPaddr argument.
     *
     * @throws IllegalArgumentException with a message naming the bad piece
     */
    public static IpAddrSpec parse(String arg) {
        Objects.requireNonNull(arg, "arg");
        String[] p = arg.split("/", -1);
        String ip = p[0];
        requireAddress(ip, "address", arg);
        int prefix = -1;
        String iface = "";
        String label = "";
        String broadcast = "";
        if (p.length > 1 && !p[1].isEmpty()) {
            prefix = parsePrefix(p[1], arg);
        }
        if (p.length > 2 && !p[2].isEmpty()) {
            if (Character.isDigit(p[2].charAt(0))) {
                broadcast = p[2];
            } else {
                iface = p[2];
                int colon = iface.indexOf(':');
                if (colon >= 0) {
                    label = iface.substring(colon + 1);
                    iface = iface.substring(0, colon);
                }
                if (p.length > 3) {
                    broadcast = p[3];
                }
            }
        }
        if (!broadcast.isEmpty()) {
            requireAddress(broadcast, "broadcast address", arg);
        }
        if (iface.isEmpty() && !label.isEmpty() || !iface.matches("[A-Za-z0-9_.@-]*") || iface.length() > 15) {
            throw new IllegalArgumentException("bad interface [" + p[2] + "] in IPaddr argument [" + arg + "]");
        }
        return new IpAddrSpec(ip, prefix, iface, label, broadcast);
    }

    /** The same with prefix and interface filled in where they were missing. */
    public IpAddrSpec withDefaults(int defaultPrefix, String defaultIface) {
        return new IpAddrSpec(ip, prefix < 0 ? defaultPrefix : prefix, iface.isEmpty() ? defaultIface : iface, label, broadcast);
    }

    /** The given or computed broadcast address (needs a prefix). */
    public String effectiveBroadcast() {
        if (!broadcast.isEmpty()) {
            return broadcast;
        }
        if (prefix < 0) {
            throw new IllegalStateException("no prefix for " + ip);
        }
        if (prefix >= 31) {
            return "";
        }
        long host = prefix == 0 ? 0xFFFFFFFFL : (1L << (32 - prefix)) - 1;
        return format(toLong(ip) | host);
    }

    /** The label to use, given the number N of the next free {@code iface:N}. */
    public String labelFor(int freeIndex) {
        return iface + ":" + (label.isEmpty() ? Integer.toString(freeIndex) : label);
    }

    /** True if {@code other}/{@code otherPrefix} is a network containing this address. */
    public boolean inNetwork(String other, int otherPrefix) {
        long mask = otherPrefix == 0 ? 0 : (0xFFFFFFFFL << (32 - otherPrefix)) & 0xFFFFFFFFL;
        return (toLong(ip) & mask) == (toLong(other) & mask);
    }

    static long toLong(String dotted) {
        String[] o = dotted.split("\\.", -1);
        long v = 0;
        for (String s : o) {
            v = (v << 8) | Integer.parseInt(s);
        }
        return v;
    }

    static String format(long v) {
        return ((v >> 24) & 255) + "." + ((v >> 16) & 255) + "." + ((v >> 8) & 255) + "." + (v & 255);
    }

    private static int parsePrefix(String s, String arg) {
        if (s.matches("[0-9]{1,2}")) {
            int bits = Integer.parseInt(s);
            if (bits <= 32) {
                return bits;
            }
        } else if (isAddress(s)) {
            long mask = toLong(s);
            int bits = Long.bitCount(mask);
            long expect = bits == 0 ? 0 : (0xFFFFFFFFL << (32 - bits)) & 0xFFFFFFFFL;
            if (mask == expect) {
                return bits;
            }
        }
        throw new IllegalArgumentException("bad netmask [" + s + "] in IPaddr argument [" + arg + "]");
    }

    private static void requireAddress(String s, String what, String arg) {
        if (!isAddress(s)) {
            throw new IllegalArgumentException("bad " + what + " [" + s + "] in IPaddr argument [" + arg + "]");
        }
    }

    static boolean isAddress(String s) {
        String[] o = s.split("\\.", -1);
        if (o.length != 4) {
            return false;
        }
        for (String x : o) {
            if (!x.matches("[0-9]{1,3}") || Integer.parseInt(x) > 255) {
                return false;
            }
        }
        return true;
    }
}
