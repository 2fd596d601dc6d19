package io.tandem.daemon.address;

import io.tandem.config.ResourceRef;
import io.tandem.daemon.agent.IpAddrSpec;
import java.net.Inet4Address;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * The address and interface of an address resource ({@code IPaddr::ip[/bits[/iface...]]},
 * {@code IPaddr2::...} or a bare address, as in haresources). Without an interface it is the one
 * whose configured network holds the address, as IPaddr finds it.
 *
 * @param resource the haresources word
 * @param ip       the address, dotted
 * @param iface    the interface it is (or would be) added to
 */
public record AddressTarget(String resource, String ip, String iface) {

    /** The address as a 32-bit number in network order. */
    public int ipValue() {
        String[] o = ip.split("\\.");
        return (Integer.parseInt(o[0]) << 24) | (Integer.parseInt(o[1]) << 16) | (Integer.parseInt(o[2]) << 8) | Integer.parseInt(o[3]);
    }

    /** Whether the word names an address resource at all (the interface may still be unknown). */
    public static boolean isAddress(String resource) {
        return spec(resource).isPresent();
    }

    /** The address and interface of an address resource; empty for other resources or when no interface fits. */
    public static Optional<AddressTarget> resolve(String resource) {
        Optional<IpAddrSpec> spec = spec(resource);
        if (spec.isEmpty()) {
            return Optional.empty();
        }
        IpAddrSpec s = spec.get();
        if (!s.iface().isEmpty()) {
            return Optional.of(new AddressTarget(resource, s.ip(), s.iface()));
        }
        return interfaceFor(s).map(i -> new AddressTarget(resource, s.ip(), i));
    }

    private static Optional<IpAddrSpec> spec(String resource) {
        try {
            ResourceRef ref = ResourceRef.parse(resource);
            if (!(ref.name().equals("IPaddr") || ref.name().equals("IPaddr2")) || ref.args().size() != 1) {
                return Optional.empty();
            }
            return Optional.of(IpAddrSpec.parse(ref.args().get(0)));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The first up, non-loopback interface with an IPv4 network that holds the address (not the address itself). */
    private static Optional<String> interfaceFor(IpAddrSpec s) {
        List<NetworkInterface> all;
        try {
            all = Collections.list(NetworkInterface.getNetworkInterfaces());
        } catch (SocketException | NullPointerException e) {
            return Optional.empty();
        }
        for (NetworkInterface ni : all) {
            try {
                if (ni.isLoopback() || !ni.isUp()) {
                    continue;
                }
            } catch (SocketException e) {
                continue;
            }
            for (InterfaceAddress a : ni.getInterfaceAddresses()) {
                if (!(a.getAddress() instanceof Inet4Address v4)) {
                    continue;
                }
                String other = v4.getHostAddress();
                int bits = s.prefix() < 0 ? a.getNetworkPrefixLength() : s.prefix();
                if (!other.equals(s.ip()) && s.inNetwork(other, bits)) {
                    String name = ni.getName();
                    int colon = name.indexOf(':');
                    return Optional.of(colon < 0 ? name : name.substring(0, colon));
                }
            }
        }
        return Optional.empty();
    }
}
