package io.tandem.daemon.media;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * The IPv4 addressing of one network device, looked up when a medium opens: its first (primary)
 * address, that address's subnet and broadcast address, and all its IPv4 addresses.
 */
record LinkAddress(String device, NetworkInterface nif, Inet4Address address, int prefixLength, Inet4Address broadcast,
        List<Inet4Address> all) {

    static LinkAddress of(String type, String device) throws IOException {
        NetworkInterface nif;
        try {
            nif = NetworkInterface.getByName(device);
        } catch (SocketException e) {
            throw new IOException(type + " " + device + ": cannot read interface: " + e.getMessage(), e);
        }
        if (nif == null) {
            throw new IOException(type + " " + device + ": no such interface");
        }
        InterfaceAddress primary = null;
        List<Inet4Address> all = new ArrayList<>();
        for (InterfaceAddress ia : nif.getInterfaceAddresses()) {
            if (ia.getAddress() instanceof Inet4Address v4) {
                all.add(v4);
                if (primary == null) {
                    primary = ia;
                }
            }
        }
        if (primary == null) {
            throw new IOException(type + " " + device + ": interface has no IPv4 address");
        }
        Inet4Address address = (Inet4Address) primary.getAddress();
        int prefix = primary.getNetworkPrefixLength();
        Inet4Address broadcast = primary.getBroadcast() instanceof Inet4Address b && !b.isAnyLocalAddress()
                ? b : directedBroadcast(address, prefix);
        return new LinkAddress(device, nif, address, prefix, broadcast, List.copyOf(all));
    }

    /** The subnet-directed broadcast address, for devices configured without {@code brd}. */
    static Inet4Address directedBroadcast(Inet4Address address, int prefixLength) {
        int mask = prefixLength == 0 ? 0 : -1 << (32 - prefixLength);
        return fromInt(toInt(address) | ~mask);
    }

    static int toInt(InetAddress a) {
        byte[] b = a.getAddress();
        return (b[0] & 0xff) << 24 | (b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | (b[3] & 0xff);
    }

    static Inet4Address fromInt(int v) {
        byte[] b = {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
        try {
            return (Inet4Address) InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("four bytes are always a valid IPv4 address", e);
        }
    }
}
