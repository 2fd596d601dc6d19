package io.tandem.daemon.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The IPaddr argument forms, split as heartbeat's resource.d wrappers split them. */
class IpAddrSpecTest {
    @Test
    void all_argument_forms() {
        assertThat(IpAddrSpec.parse("192.0.2.1")).isEqualTo(new IpAddrSpec("192.0.2.1", -1, "", "", ""));
        assertThat(IpAddrSpec.parse("192.0.2.1/24")).isEqualTo(new IpAddrSpec("192.0.2.1", 24, "", "", ""));
        assertThat(IpAddrSpec.parse("192.0.2.1/24/eth0")).isEqualTo(new IpAddrSpec("192.0.2.1", 24, "eth0", "", ""));
        assertThat(IpAddrSpec.parse("192.0.2.1/24/eth0/192.0.2.127"))
                .isEqualTo(new IpAddrSpec("192.0.2.1", 24, "eth0", "", "192.0.2.127"));
        assertThat(IpAddrSpec.parse("192.0.2.1/24/192.0.2.255")).isEqualTo(new IpAddrSpec("192.0.2.1", 24, "", "", "192.0.2.255"));
        assertThat(IpAddrSpec.parse("192.0.2.1/255.255.255.0/eth1:web"))
                .isEqualTo(new IpAddrSpec("192.0.2.1", 24, "eth1", "web", ""));
    }

    @Test
    void broadcast_labels_and_networks() {
        IpAddrSpec s = IpAddrSpec.parse("192.0.2.100/24/eth0");
        assertThat(s.effectiveBroadcast()).isEqualTo("192.0.2.255");
        assertThat(IpAddrSpec.parse("10.1.2.3/16").effectiveBroadcast()).isEqualTo("10.1.255.255");
        assertThat(IpAddrSpec.parse("10.1.2.3/16/eth0/10.1.0.7").effectiveBroadcast()).isEqualTo("10.1.0.7");
        assertThat(IpAddrSpec.parse("10.1.2.3/32").effectiveBroadcast()).isEmpty();
        assertThat(s.labelFor(0)).isEqualTo("eth0:0");
        assertThat(s.labelFor(3)).isEqualTo("eth0:3");
        assertThat(IpAddrSpec.parse("192.0.2.1/24/eth1:web").labelFor(0)).isEqualTo("eth1:web");
        assertThat(s.inNetwork("192.0.2.7", 24)).isTrue();
        assertThat(s.inNetwork("192.0.3.7", 24)).isFalse();
        assertThat(IpAddrSpec.parse("192.0.2.9").withDefaults(24, "eth2")).isEqualTo(new IpAddrSpec("192.0.2.9", 24, "eth2", "", ""));
    }

    @Test
    void bad_pieces_are_named() {
        assertThatThrownBy(() -> IpAddrSpec.parse("192.0.2/24")).hasMessageContaining("bad address [192.0.2]");
        assertThatThrownBy(() -> IpAddrSpec.parse("192.0.2.300")).hasMessageContaining("bad address [192.0.2.300]");
        assertThatThrownBy(() -> IpAddrSpec.parse("192.0.2.1/33")).hasMessageContaining("bad netmask [33]");
        assertThatThrownBy(() -> IpAddrSpec.parse("192.0.2.1/255.0.255.0")).hasMessageContaining("bad netmask");
        assertThatThrownBy(() -> IpAddrSpec.parse("192.0.2.1/24/eth0/999.1.1.1")).hasMessageContaining("bad broadcast address");
        assertThatThrownBy(() -> IpAddrSpec.parse("192.0.2.1/24/eth;0")).hasMessageContaining("bad interface [eth;0]");
    }
}
