package io.tandem.daemon.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.resources.ResourceOp.Action;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fast address step's choices and command lines (no command runs here; AddressStepNamespaceTest runs them). */
class AddressStepTest {
    @TempDir
    Path rsctmp;

    private static AgentCall call(AgentKind kind, String name, String... args) {
        return new AgentCall(kind, name + "::" + String.join("::", args), name, "/etc/ha.d/resource.d/" + name, List.of(args), Map.of(), 20_000);
    }

    @Test
    void applies_to_heartbeats_ipaddr_with_address_bits_and_interface_on_start_and_stop_only() {
        AgentCall ipaddr = call(AgentKind.HEARTBEAT_SCRIPT, "IPaddr", "192.0.2.1/24/eth0");
        assertThat(AddressStep.eligible(ipaddr, Action.START)).contains(IpAddrSpec.parse("192.0.2.1/24/eth0"));
        assertThat(AddressStep.eligible(ipaddr, Action.STOP)).isPresent();
        assertThat(AddressStep.eligible(ipaddr, Action.STATUS)).isEmpty();
        assertThat(AddressStep.eligible(call(AgentKind.HEARTBEAT_SCRIPT, "IPaddr", "192.0.2.1/24/eth0/192.0.2.255"), Action.START)).isPresent();
        // the script finds interface and netmask itself (findif): not ours to guess
        assertThat(AddressStep.eligible(call(AgentKind.HEARTBEAT_SCRIPT, "IPaddr", "192.0.2.1"), Action.START)).isEmpty();
        assertThat(AddressStep.eligible(call(AgentKind.HEARTBEAT_SCRIPT, "IPaddr", "192.0.2.1/24"), Action.START)).isEmpty();
        assertThat(AddressStep.eligible(call(AgentKind.HEARTBEAT_SCRIPT, "IPaddr", "192.0.2.1/24/eth0:7"), Action.START)).isEmpty();
        assertThat(AddressStep.eligible(call(AgentKind.HEARTBEAT_SCRIPT, "IPaddr2", "192.0.2.1/24/eth0"), Action.START)).isEmpty();
        assertThat(AddressStep.eligible(call(AgentKind.BUILTIN, "IPaddr", "192.0.2.1/24/eth0"), Action.START)).isEmpty();
        assertThat(AddressStep.eligible(call(AgentKind.HEARTBEAT_SCRIPT, "IPaddr", "192.0.2.1/24/eth0", "x"), Action.START)).isEmpty();
    }

    @Test
    void hostile_arguments_are_refused_before_any_command() {
        for (String bad : List.of("192.0.2.1/24/eth0;reboot", "192.0.2.1/24/$(id)", "192.0.2.1/24/-f", "192.0.2.999/24/eth0",
                "192.0.2.1/33/eth0", "192.0.2.1/24/eth0/192.0.2.x", "192.0.2.1/24/averyveryverylongname0", " 192.0.2.1/24/eth0")) {
            assertThat(AddressStep.eligible(call(AgentKind.HEARTBEAT_SCRIPT, "IPaddr", bad), Action.START)).as(bad).isEmpty();
        }
    }

    @Test
    void the_commands_are_iproute2_and_send_arp_words_as_ipaddr_uses_them() {
        IpAddrSpec spec = IpAddrSpec.parse("192.0.2.1/24/eth0");
        assertThat(AddressStep.addArgv(spec, "eth0:0"))
                .containsExactly("ip", "addr", "add", "192.0.2.1/24", "brd", "192.0.2.255", "dev", "eth0", "label", "eth0:0");
        assertThat(AddressStep.addArgv(IpAddrSpec.parse("192.0.2.1/255.255.255.0/eth1/192.0.2.127"), "eth1:2"))
                .containsExactly("ip", "addr", "add", "192.0.2.1/24", "brd", "192.0.2.127", "dev", "eth1", "label", "eth1:2");
        assertThat(AddressStep.addArgv(IpAddrSpec.parse("192.0.2.1/32/eth0"), "eth0:0"))
                .containsExactly("ip", "addr", "add", "192.0.2.1/32", "dev", "eth0", "label", "eth0:0");
        assertThat(AddressStep.delArgv(new IpAddress("eth0", "192.0.2.1", 24, "eth0:0")))
                .containsExactly("ip", "addr", "del", "192.0.2.1/24", "dev", "eth0");
        assertThat(AddressStep.sendArpArgv("/usr/libexec/heartbeat/send_arp", Path.of("/run/resource-agents"), spec))
                .containsExactly("/usr/libexec/heartbeat/send_arp", "-i", "500", "-r", "10", "-p", "/run/resource-agents/send_arp-192.0.2.1", "eth0",
                        "192.0.2.1", "auto", "192.0.2.1", "ffffffffffff");
    }

    @Test
    void the_label_is_the_one_ipaddrs_find_free_interface_would_take_with_its_lock_links() throws Exception {
        AddressStep step = new AddressStep(new io.tandem.daemon.process.ProcessRunner(), List.of(), rsctmp, "/nonexistent/send_arp", "/nonexistent/arping");
        assertThat(step.claimLabel("eth0", Set.of("eth0"))).isEqualTo("eth0:0");
        assertThat(rsctmp.resolve("IPaddr-eth0")).exists();
        assertThat(rsctmp.resolve("IPaddr-eth0:0")).exists();
        // one lock link: the search starts at 1 (IPaddr's TRYADRCNT)
        assertThat(step.claimLabel("eth0", Set.of("eth0"))).isEqualTo("eth0:1");
        step.releaseLabel("eth0:0");
        step.releaseLabel("eth0:1");
        assertThat(rsctmp.resolve("IPaddr-eth0:0")).doesNotExist();
        // labels in use by other addresses are skipped
        assertThat(step.claimLabel("eth0", Set.of("eth0", "eth0:0", "eth0:1"))).isEqualTo("eth0:2");
        step.releaseLabel("eth0:2");
        // a leftover link IPaddr-eth0:1 (count 1 exists): the search starts at 0
        Files.createLink(rsctmp.resolve("IPaddr-eth0:1"), rsctmp.resolve("IPaddr-eth0"));
        assertThat(step.claimLabel("eth0", Set.of())).isEqualTo("eth0:0");
        assertThat(step.arpArgv(IpAddrSpec.parse("192.0.2.1/24/eth0"))).as("neither send_arp nor arping installed").isEmpty();
    }
}
