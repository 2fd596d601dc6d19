package io.tandem.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** tandem.cf's {@code resource NAME warm} lines: parsed, and checked against haresources (docs/configuration.md). */
class ResourceModesTest {
    static final String F = "/etc/ha.d/tandem.cf";
    static final HaResources RES = HaResourcesParser.parse("/etc/ha.d/haresources",
            "node1 IPaddr::192.0.2.10/24/eth0 apache2\nnode2 192.0.2.20 Filesystem::/dev/sdb1::/srv::ext4 exim4 apache2\n");

    @Test
    void a_warm_resource_by_its_script_name_or_as_written() {
        TandemCf t = TandemCfParser.parse(F, "# warm standby\nresource apache2 warm\nresource exim4  WARM # a comment\n");
        assertThat(t.warm()).containsExactly("apache2", "exim4");
        assertThat(t.lineOfResource("apache2")).isEqualTo(2);
        assertThat(t.lineOfResource("exim4")).isEqualTo(3);
        ResourceModes.check(t, RES);
        assertThat(ResourceModes.warmResources(t, RES)).containsExactly("apache2", "exim4");
        assertThat(ResourceModes.warmResources(TandemCf.DEFAULTS, RES)).isEmpty();
        // a reload compares the settings it applies: warm resources need a restart, so they are not among them
        assertThat(t.settings().warm()).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "resource apache2|2: 'resource' takes a resource name and a mode: resource NAME warm",
        "resource apache2 warm now|2: 'resource' takes a resource name and a mode",
        "resource apache2 twice|2: Invalid resource mode [twice] for apache2: the modes are 'warm'",
    })
    void syntax_errors_name_file_and_line(String line, String message) {
        assertThatThrownBy(() -> TandemCfParser.parse(F, "# Tandem\n" + line + "\n")).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(F + ":" + message);
    }

    @Test
    void the_same_resource_twice_is_an_error() {
        assertThatThrownBy(() -> TandemCfParser.parse(F, "resource apache2 warm\nfence_delay 1\nresource apache2 warm\n"))
                .hasMessage(F + ":3: resource apache2 given twice (first on line 1)");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "resource apache3 warm|2: resource apache3 matches no resource in /etc/ha.d/haresources (give a resource as written there, or its script name)",
        "resource IPaddr warm|2: resource IPaddr cannot be warm: IPaddr is an address, which must never be on two nodes at once",
        "resource 192.0.2.20 warm|2: resource 192.0.2.20 cannot be warm: IPaddr is an address",
        "resource IPaddr::192.0.2.10/24/eth0 warm|2: resource IPaddr::192.0.2.10/24/eth0 cannot be warm: IPaddr is an address",
        "resource Filesystem warm|2: resource Filesystem cannot be warm: Filesystem is a disk, which must never be used by two nodes at once",
        "resource IPaddr may-run-twice|2: resource IPaddr cannot be may-run-twice: IPaddr is an address, which must never be on two nodes at once",
        "resource Filesystem may-run-twice|2: resource Filesystem cannot be may-run-twice: Filesystem is a disk",
        "resource httpd may-run-twice|2: resource httpd matches no resource in /etc/ha.d/haresources",
    })
    void what_haresources_does_not_allow_names_tandem_cf_and_the_line(String line, String message) {
        TandemCf t = TandemCfParser.parse(F, "# Tandem\n" + line + "\n");
        assertThatThrownBy(() -> ResourceModes.check(t, RES)).isInstanceOf(ConfigException.class).hasMessageStartingWith(F + ":" + message);
    }

    @Test
    void a_group_of_warm_resources_only_is_an_error() {
        HaResources res = HaResourcesParser.parse("/etc/ha.d/haresources", "node1 192.0.2.10 apache2\nnode2 exim4\n");
        TandemCf t = TandemCfParser.parse(F, "resource apache2 warm\nresource exim4 warm\n");
        assertThatThrownBy(() -> ResourceModes.check(t, res)).hasMessage(F + ":2: every resource of the group on /etc/ha.d/haresources"
                + " line 2 is warm: nothing would move between the nodes (a group needs its address or another exclusive resource)");
    }

    @Test
    void a_may_run_twice_resource_is_kept_apart_from_the_warm_ones() {
        TandemCf t = TandemCfParser.parse(F, "resource apache2 may-run-twice\nresource exim4 MAY-RUN-TWICE\n");
        assertThat(t.mayRunTwice()).containsExactly("apache2", "exim4");
        assertThat(t.warm()).isEmpty();
        assertThat(t.lineOfResource("exim4")).isEqualTo(2);
        ResourceModes.check(t, RES);
        assertThat(ResourceModes.mayRunTwiceResources(t, RES)).containsExactly("apache2", "exim4");
        assertThat(ResourceModes.warmResources(t, RES)).isEmpty();
        TandemCf both = TandemCfParser.parse(F, "resource apache2 warm\nresource exim4 may-run-twice\n");
        ResourceModes.check(both, RES);
        assertThat(ResourceModes.warmResources(both, RES)).containsExactly("apache2");
        assertThat(ResourceModes.mayRunTwiceResources(both, RES)).containsExactly("exim4");
        assertThatThrownBy(() -> TandemCfParser.parse(F, "resource apache2 warm\nresource apache2 may-run-twice\n"))
                .hasMessage(F + ":2: resource apache2 given twice (first on line 1)");
    }

    @Test
    void a_group_of_warm_and_may_run_twice_resources_only_is_an_error() {
        HaResources res = HaResourcesParser.parse("/etc/ha.d/haresources", "node1 192.0.2.10 apache2\nnode2 exim4 apache2\n");
        TandemCf t = TandemCfParser.parse(F, "resource apache2 warm\nfence_delay 1\nresource exim4 may-run-twice\n");
        assertThatThrownBy(() -> ResourceModes.check(t, res)).hasMessage(F + ":3: every resource of the group on /etc/ha.d/haresources"
                + " line 2 is warm or may-run-twice: nothing would move between the nodes (a group needs its address or another"
                + " exclusive resource)");
    }

    @Test
    void the_directory_checks_them_against_haresources(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("ha.cf"), "bcast lo\nnode n1\nnode n2\n");
        Path keys = dir.resolve("authkeys");
        Files.writeString(keys, "auth 1\n1 sha1 k\n");
        Files.setPosixFilePermissions(keys, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        Files.writeString(dir.resolve("haresources"), "n1 192.0.2.10 apache2\n");
        Files.writeString(dir.resolve("tandem.cf"), "resource apache2 warm\n");
        assertThat(ConfigDirectory.load(dir).tandem().warm()).containsExactly("apache2");
        Files.writeString(dir.resolve("tandem.cf"), "ping_tiebreak on\nresource httpd warm\n");
        assertThatThrownBy(() -> ConfigDirectory.load(dir)).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(dir.resolve("tandem.cf") + ":2: resource httpd matches no resource in " + dir.resolve("haresources"));
    }
}
