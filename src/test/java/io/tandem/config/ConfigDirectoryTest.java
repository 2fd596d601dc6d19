package io.tandem.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shipped seed configuration (examples/seed) loads from disk as it is, once authkeys is mode 600. */
class ConfigDirectoryTest {
    static final Path SEED = Path.of("examples/seed");

    /** A copy of the seed with authkeys at the given mode (git does not keep mode 600 on checkout). */
    static Path seedCopy(Path dir, String authkeysMode) throws IOException {
        for (String f : List.of("ha.cf", "authkeys", "haresources")) {
            Files.copy(SEED.resolve(f), dir.resolve(f));
        }
        Files.setPosixFilePermissions(dir.resolve("authkeys"), PosixFilePermissions.fromString(authkeysMode));
        return dir;
    }

    @Test
    void seed_loads_with_its_values(@TempDir Path dir) throws IOException {
        ClusterConfig c = ConfigDirectory.load(seedCopy(dir, "rw-------"));
        assertThat(c.haCf().nodes()).containsExactly("orasrv1.xlk.com", "orasrv2.xlk.com");
        assertThat(c.haCf().keepaliveMs()).isEqualTo(2000);
        assertThat(c.haCf().source().file()).isEqualTo(dir.resolve("ha.cf").toString());
        assertThat(c.authKeys().active().method()).isEqualTo(AuthMethod.MD5);
        assertThat(c.haResources().groups()).singleElement()
                .satisfies(g -> assertThat(g.text()).isEqualTo("orasrv1.xlk.com IPaddr::192.168.21.1/24/eth0 httpd"));
        assertThat(c.notices()).isEmpty();
        List<Finding> errors = Checks.check(c, "orasrv1.xlk.com", new ChecksTest.Host("orasrv1.xlk.com",
                java.util.Set.of("eth1"))).stream().filter(Finding::isError).toList();
        assertThat(errors).isEmpty();
    }

    @Test
    void seed_as_git_checks_it_out_is_refused_like_heartbeat(@TempDir Path dir) throws IOException {
        Path authkeys = seedCopy(dir, "rw-r--r--").resolve("authkeys");
        assertThatThrownBy(() -> ConfigDirectory.load(dir)).isInstanceOf(ConfigException.class)
                .hasMessage(authkeys + ": Bad permissions on keyfile [" + authkeys + "], 600 recommended.");
    }

    @Test
    void group_readable_only_is_refused_too(@TempDir Path dir) throws IOException {
        seedCopy(dir, "rw-r-----");
        assertThatThrownBy(() -> ConfigDirectory.load(dir)).hasMessageContaining("Bad permissions on keyfile");
    }

    @Test
    void missing_files_are_named_with_heartbeats_words(@TempDir Path dir) throws IOException {
        assertThatThrownBy(() -> ConfigDirectory.load(dir))
                .hasMessage(dir.resolve("ha.cf") + ": Cannot open config file [" + dir.resolve("ha.cf") + "]");
        Files.copy(SEED.resolve("ha.cf"), dir.resolve("ha.cf"));
        assertThatThrownBy(() -> ConfigDirectory.load(dir))
                .hasMessageEndingWith("Cannot open keyfile [" + dir.resolve("authkeys") + "].  Stop.");
        Files.copy(SEED.resolve("authkeys"), dir.resolve("authkeys"));
        Files.setPosixFilePermissions(dir.resolve("authkeys"), PosixFilePermissions.fromString("rw-------"));
        assertThatThrownBy(() -> ConfigDirectory.load(dir))
                .hasMessageEndingWith("Cannot open resources file [" + dir.resolve("haresources") + "]");
    }
}
