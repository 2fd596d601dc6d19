package io.tandem.daemon.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tandem.config.TandemCfParser;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The token file: like authkeys, mode 600 and owned by root (or the daemon's own user); its content bounded. */
class TokenFileTest {
    @TempDir
    Path dir;

    private Path file(String mode, String content) throws Exception {
        Path p = dir.resolve("token-" + mode.replace('-', '_') + "-" + content.length());
        Files.writeString(p, content);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(mode));
        return p;
    }

    @Test
    void the_token_is_the_content_without_blanks_around_it() throws Exception {
        assertThat(new String(TokenFile.read(file("rw-------", "  0123456789abcdef0123\n")), StandardCharsets.US_ASCII))
                .isEqualTo("0123456789abcdef0123");
        assertThat(TokenFile.read(file("r--------", "0123456789abcdef"))).hasSize(16);
    }

    @Test
    void readable_by_group_or_others_is_refused_naming_the_file() throws Exception {
        for (String mode : new String[] {"rw-r--r--", "rw-r-----", "rw----r--", "rw--w----"}) {
            Path p = file(mode, "0123456789abcdef0123\n");
            assertThatThrownBy(() -> TokenFile.read(p)).isInstanceOf(ApiSetupException.class).hasMessageStartingWith(p + ": ")
                    .hasMessageContaining("must not be readable or writable by group or others").hasMessageContaining("chmod 600 " + p);
        }
    }

    @Test
    void a_link_a_directory_a_missing_file_and_bad_tokens_are_refused() throws Exception {
        Path real = file("rw-------", "0123456789abcdef0123\n");
        Path link = Files.createSymbolicLink(dir.resolve("link"), real);
        assertThatThrownBy(() -> TokenFile.read(link)).hasMessageContaining("must be a regular file");
        assertThatThrownBy(() -> TokenFile.read(dir)).hasMessageContaining("must be a regular file");
        assertThatThrownBy(() -> TokenFile.read(dir.resolve("none"))).hasMessage(dir.resolve("none") + ": the HTTP API's token file does not exist");
        assertThatThrownBy(() -> TokenFile.read(file("rw-------", "short\n"))).hasMessageContaining("16 to 1024 printable ASCII");
        assertThatThrownBy(() -> TokenFile.read(file("rw-------", "0123456789 abcdef0123\n"))).hasMessageContaining("without blanks");
        assertThatThrownBy(() -> TokenFile.read(file("rw-------", "x".repeat(1025)))).hasMessageContaining("16 to 1024");
    }

    @Test
    void check_reports_a_bad_token_file_at_its_line() throws Exception {
        Path p = file("rw-r--r--", "0123456789abcdef0123\n");
        var findings = ApiSetup.findings(TandemCfParser.parse("/etc/ha.d/tandem.cf", "http_listen 127.0.0.1:8694\n\nhttp_token_file " + p + "\n"));
        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.isError()).isTrue();
            assertThat(f.file()).isEqualTo("/etc/ha.d/tandem.cf");
            assertThat(f.line()).isEqualTo(3);
            assertThat(f.toString()).startsWith("/etc/ha.d/tandem.cf:3: HTTP API: " + p + ": the HTTP API's token file must not be readable");
        });
    }
}
