package io.tandem.daemon.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.config.ClusterConfig;
import io.tandem.config.ConfigDirectory;
import io.tandem.config.TandemCfParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** tandem.cf's log_ident is read at start; a reload that changes it says it needs a restart. */
class LogIdentReloadTest {
    @TempDir
    Path dir;

    @Test
    void a_changed_log_ident_needs_a_restart() throws Exception {
        Files.writeString(dir.resolve("ha.cf"), "ucast lo 127.0.0.1\nnode a\nnode b\n");
        Path keys = Files.createFile(dir.resolve("authkeys"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(keys, "auth 1\n1 sha1 k\n");
        Files.writeString(dir.resolve("haresources"), "");
        ClusterConfig was = ConfigDirectory.load(dir);
        assertThat(was.tandem().logIdent()).isEqualTo("heartbeat");
        ClusterConfig next = was.withTandem(TandemCfParser.parse("tandem.cf", "log_ident tandem\n"));
        assertThat(Reloader.restartNeeded(was, next)).containsExactly("log_ident");
        assertThat(Reloader.restartNeeded(was, was)).isEmpty();
    }
}
