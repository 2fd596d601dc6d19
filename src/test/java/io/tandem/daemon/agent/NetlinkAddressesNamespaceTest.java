package io.tandem.daemon.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tandem.daemon.os.NetlinkAddresses;
import io.tandem.lab.NetnsThread;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The address step's listing over rtnetlink ({@link NetlinkAddresses}) against {@code ip -o -4 addr show}
 * in a real network namespace holding plain addresses, a secondary, labelled aliases ({@code IFACE:N}, as
 * IPaddr adds them) on two veth devices and loopback: the same devices, addresses, prefixes and labels.
 * The listing runs on a thread moved into the namespace (setns). Lab prefix {@code nla}, TEST-NET only.
 */
class NetlinkAddressesNamespaceTest {
    private static final String NS = "nla-1";
    private static final String A = "nla-a";
    private static final String B = "nla-b";

    @BeforeAll
    static void createNamespace() {
        assumeTrue(Cmd.isRoot(), "needs root to create network namespaces");
        assumeTrue(Cmd.available("ip"), "needs iproute2");
        teardown();
        Cmd.run("ip", "netns", "add", NS);
        Cmd.inNs(NS, "ip", "link", "add", A, "type", "veth", "peer", "name", B);
        Cmd.inNs(NS, "ip", "link", "set", "lo", "up");
        Cmd.inNs(NS, "ip", "link", "set", A, "up");
        Cmd.inNs(NS, "ip", "link", "set", B, "up");
        Cmd.inNs(NS, "ip", "addr", "add", "192.0.2.11/24", "dev", A);
        Cmd.inNs(NS, "ip", "addr", "add", "192.0.2.12/24", "dev", A); // a secondary, unlabelled
        Cmd.inNs(NS, "ip", "addr", "add", "192.0.2.1/24", "brd", "192.0.2.255", "dev", A, "label", A + ":0");
        Cmd.inNs(NS, "ip", "addr", "add", "198.51.100.7/25", "dev", B);
        Cmd.inNs(NS, "ip", "addr", "add", "198.51.100.200/32", "dev", B, "label", B + ":17");
    }

    @AfterAll
    static void teardown() {
        Cmd.tryRun("ip", "netns", "del", NS);
    }

    @Test
    void the_kernels_dump_lists_what_ip_lists() throws Exception {
        List<IpAddress> byIp = sorted(IpAddress.parse(Arrays.asList(Cmd.inNs(NS, "ip", "-o", "-4", "addr", "show").split("\n"))));
        List<IpAddress> byNetlink = sorted(NetnsThread.call(NS, 60,
                () -> NetlinkAddresses.list().stream().map(e -> new IpAddress(e.iface(), e.ip(), e.prefix(), e.label())).toList()));
        assertThat(byIp).as("ip's listing").hasSize(6);
        assertThat(byNetlink).isEqualTo(byIp);
        assertThat(byNetlink).contains(new IpAddress(A, "192.0.2.1", 24, A + ":0"), new IpAddress(A, "192.0.2.12", 24, A),
                new IpAddress(B, "198.51.100.200", 32, B + ":17"), new IpAddress("lo", "127.0.0.1", 8, "lo"));
    }

    private static List<IpAddress> sorted(List<IpAddress> list) {
        return list.stream().sorted(Comparator.comparing(IpAddress::ip)).toList();
    }
}
