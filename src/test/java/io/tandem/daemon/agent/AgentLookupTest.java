package io.tandem.daemon.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tandem.resources.ResourceOp.Action;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Resource words resolved as ResourceManager resolves them (docs/protocol.md §6.2). */
class AgentLookupTest {
    private static final String RD = "/etc/ha.d/resource.d/";
    private static final String INIT = "/etc/init.d/";

    private static AgentCatalog installed(String... paths) {
        Set<String> set = Set.of(paths);
        return set::contains;
    }

    @Test
    void ipaddr_with_args_is_the_resource_d_script() {
        AgentCall c = AgentLookup.resolve("IPaddr::192.168.21.1/24/eth0", installed(RD + "IPaddr"));
        assertThat(c.kind()).isEqualTo(AgentKind.HEARTBEAT_SCRIPT);
        assertThat(c.name()).isEqualTo("IPaddr");
        assertThat(c.argv(Action.START)).containsExactly(RD + "IPaddr", "192.168.21.1/24/eth0", "start");
        assertThat(c.argv(Action.STATUS)).containsExactly(RD + "IPaddr", "192.168.21.1/24/eth0", "status");
        assertThat(c.env()).isEmpty();
        assertThat(c.timeoutMs()).isEqualTo(AgentLookup.DEFAULT_TIMEOUT_MS);
    }

    @Test
    void a_bare_address_means_ipaddr() {
        AgentCall c = AgentLookup.resolve("10.0.0.5/24/eth0/10.0.0.255", installed(RD + "IPaddr"));
        assertThat(c.argv(Action.STOP)).containsExactly(RD + "IPaddr", "10.0.0.5/24/eth0/10.0.0.255", "stop");
        assertThat(AgentLookup.canonical("192.0.2.1")).isEqualTo("IPaddr::192.0.2.1");
        assertThat(AgentLookup.canonical("httpd")).isEqualTo("httpd");
    }

    @Test
    void multiple_arguments_are_split_at_double_colons_and_empty_pieces_vanish() {
        AgentCall c = AgentLookup.resolve("Filesystem::/dev/sda1::/data::ext4", installed(RD + "Filesystem"));
        assertThat(c.argv(Action.START)).containsExactly(RD + "Filesystem", "/dev/sda1", "/data", "ext4", "start");
        assertThat(AgentLookup.arguments("Dummy::a2::x")).containsExactly("a2", "x");
        assertThat(AgentLookup.arguments("Dummy::a::::b::")).containsExactly("a", "b");
        assertThat(AgentLookup.arguments("a:::b")).containsExactly(":b");
    }

    @Test
    void init_d_is_second_and_resource_d_wins() {
        AgentCall lsb = AgentLookup.resolve("httpd", installed(INIT + "httpd"));
        assertThat(lsb.kind()).isEqualTo(AgentKind.LSB);
        assertThat(lsb.argv(Action.STATUS)).containsExactly(INIT + "httpd", "status");
        AgentCall both = AgentLookup.resolve("apache", installed(INIT + "apache", RD + "apache"));
        assertThat(both.kind()).isEqualTo(AgentKind.HEARTBEAT_SCRIPT);
        assertThat(both.executable()).isEqualTo(RD + "apache");
    }

    @Test
    void nothing_installed_is_heartbeats_error() {
        assertThatThrownBy(() -> AgentLookup.resolve("httpd", installed()))
                .isInstanceOf(AgentLookupException.class)
                .hasMessage("Cannot locate resource script httpd");
        assertThatThrownBy(() -> AgentLookup.resolve("Filesystem::/dev/sda1::/data", installed(INIT + "httpd")))
                .hasMessage("Cannot locate resource script Filesystem");
    }

    @Test
    void builtin_ipaddr_only_when_no_script_is_installed() {
        AgentCall builtin = AgentLookup.resolve("192.0.2.1/24/eth0", installed());
        assertThat(builtin.kind()).isEqualTo(AgentKind.BUILTIN);
        assertThat(builtin.name()).isEqualTo("IPaddr");
        assertThat(builtin.args()).containsExactly("192.0.2.1/24/eth0");
        assertThat(AgentLookup.resolve("IPaddr2::192.0.2.1/24", installed()).kind()).isEqualTo(AgentKind.BUILTIN);
        assertThat(AgentLookup.resolve("IPaddr2::192.0.2.1/24", installed(RD + "IPaddr2")).kind()).isEqualTo(AgentKind.HEARTBEAT_SCRIPT);
        assertThat(AgentLookup.resolve("IPaddr::192.0.2.1/24", installed(INIT + "IPaddr")).kind()).isEqualTo(AgentKind.LSB);
    }

    @Test
    void heartbeats_ocf_form_goes_through_its_wrapper_script() {
        AgentCall c = AgentLookup.resolve("OCF::Dummy::inst1", installed(RD + "OCF"));
        assertThat(c.kind()).isEqualTo(AgentKind.HEARTBEAT_SCRIPT);
        assertThat(c.argv(Action.STATUS)).containsExactly(RD + "OCF", "Dummy", "inst1", "status");
    }

    @Test
    void ocf_extension_passes_parameters_in_the_environment_and_monitors_for_status() {
        String path = "/usr/lib/ocf/resource.d/heartbeat/Dummy";
        AgentCall c = AgentLookup.resolve("ocf:heartbeat:Dummy::state=/tmp/x=y::fake=1", installed(path));
        assertThat(c.kind()).isEqualTo(AgentKind.OCF);
        assertThat(c.argv(Action.START)).containsExactly(path, "start");
        assertThat(c.argv(Action.STATUS)).containsExactly(path, "monitor");
        assertThat(c.argv(Action.STOP)).containsExactly(path, "stop");
        assertThat(c.env()).containsEntry("OCF_ROOT", "/usr/lib/ocf")
                .containsEntry("OCF_RESOURCE_TYPE", "Dummy")
                .containsEntry("OCF_RESOURCE_PROVIDER", "heartbeat")
                .containsEntry("OCF_RA_VERSION_MAJOR", "1")
                .containsEntry("OCF_RESKEY_fake", "1")
                .containsKey("OCF_RESOURCE_INSTANCE");
        assertThat(c.env()).containsEntry("OCF_RESKEY_state", "/tmp/x=y");
        assertThat(c.env().get("OCF_RESOURCE_INSTANCE")).matches("[A-Za-z0-9_.-]+");
    }

    @Test
    void ocf_errors_name_the_resource() {
        assertThatThrownBy(() -> AgentLookup.resolve("ocf:heartbeat:Nope", installed()))
                .hasMessage("Cannot locate resource script ocf:heartbeat:Nope");
        assertThatThrownBy(() -> AgentLookup.resolve("ocf:heartbeat:Dummy::novalue", installed("/usr/lib/ocf/resource.d/heartbeat/Dummy")))
                .hasMessageContaining("[novalue]").hasMessageContaining("ocf:heartbeat:Dummy::novalue");
    }

    @Test
    void a_name_with_a_slash_is_never_looked_up_outside_the_directories() {
        assertThatThrownBy(() -> AgentLookup.resolve("../../bin/sh", installed(RD + "../../bin/sh")))
                .hasMessage("Cannot locate resource script ../../bin/sh");
    }

    @Test
    void other_directories_and_timeouts() {
        AgentLookup lookup = new AgentLookup("/tmp/rd/", "/tmp/init", "/opt/ocf", 5_000);
        AgentCall c = lookup.lookup("svc::a", installed("/tmp/init/svc"));
        assertThat(c.argv(Action.START)).isEqualTo(List.of("/tmp/init/svc", "a", "start"));
        assertThat(c.timeoutMs()).isEqualTo(5_000);
        assertThat(c.withTimeout(7).timeoutMs()).isEqualTo(7);
    }
}
