package io.tandem.daemon.agent;

import java.util.ArrayList;
import java.util.List;

/**
 * One IPv4 address as {@code ip -o -4 addr show} lists it.
 *
 * @param iface  the device
 * @param ip     the address
 * @param prefix its prefix length
 * @param label  its label ({@code eth0} for an unlabelled address, {@code eth0:0} for an alias)
 */
record IpAddress(String iface, String ip, int prefix, String label) {

    /** Parses the output of {@code ip -o -4 addr show}; lines that do not fit are skipped. */
    static List<IpAddress> parse(List<String> lines) {
        List<IpAddress> out = new ArrayList<>();
        for (String line : lines) {
            int cut = line.indexOf('\\');
            String[] t = (cut < 0 ? line : line.substring(0, cut)).trim().split("\\s+");
            if (t.length < 4 || !t[2].equals("inet")) {
                continue;
            }
            String iface = t[1];
            int at = iface.indexOf('@');
            if (at > 0) {
                iface = iface.substring(0, at);
            }
            int slash = t[3].indexOf('/');
            String ip = slash < 0 ? t[3] : t[3].substring(0, slash);
            int prefix;
            try {
                prefix = slash < 0 ? 32 : Integer.parseInt(t[3].substring(slash + 1));
            } catch (NumberFormatException e) {
                continue;
            }
            String last = t[t.length - 1];
            String label = last.equals(iface) || last.startsWith(iface + ":") ? last : iface;
            out.add(new IpAddress(iface, ip, prefix, label));
        }
        return out;
    }
}
