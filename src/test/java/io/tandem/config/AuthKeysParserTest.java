package io.tandem.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class AuthKeysParserTest {
    static final String FILE = "/etc/ha.d/authkeys";

    static AuthKeys parse(String text) {
        return AuthKeysParser.parse(FILE, text, 0600);
    }

    @Test
    void seed_md5_key() {
        AuthKeys keys = parse("auth 1\n1 md5 74a6a503b5bec9373b22bb630608df41\n");
        assertThat(keys.activeIndex()).isEqualTo(1);
        assertThat(keys.active()).isEqualTo(new AuthKey(1, AuthMethod.MD5, "74a6a503b5bec9373b22bb630608df41"));
    }

    @Test
    void several_keys_comments_blank_lines_and_leading_blanks() {
        AuthKeys keys = parse("# keys\n\n  auth 2\n\t1 crc\n2 sha1 s3cr#t trailing words ignored\n15 md5 k\n");
        assertThat(keys.activeIndex()).isEqualTo(2);
        assertThat(keys.active()).isEqualTo(new AuthKey(2, AuthMethod.SHA1, "s3cr#t"));
        assertThat(keys.byIndex(1)).contains(new AuthKey(1, AuthMethod.CRC, ""));
        assertThat(keys.keys()).containsOnlyKeys(1, 2, 15);
    }

    @Test
    void sscanf_quirks_are_kept() {
        // "auth %d" accepts no blank after auth; "%d%s%s" accepts the method glued to the index.
        AuthKeys keys = parse("auth1\n1md5 k\n");
        assertThat(keys.active()).isEqualTo(new AuthKey(1, AuthMethod.MD5, "k"));
        assertThat(parse("auth 0\n0 crc\n").activeIndex()).isZero();
    }

    @ParameterizedTest(name = "mode {0} is accepted (only read bits of group/other are refused)")
    @ValueSource(ints = {0600, 0400, 0200, 0700, 0620, 0602, 0622, 0000})
    void modes_heartbeat_accepts(int mode) {
        assertThat(AuthKeysParser.parse(FILE, "auth 1\n1 crc\n", mode).activeIndex()).isEqualTo(1);
    }

    @ParameterizedTest(name = "mode {0} is refused")
    @ValueSource(ints = {0644, 0640, 0604, 0444, 0777})
    void readable_by_others_is_refused_with_heartbeats_message(int mode) {
        assertThatThrownBy(() -> AuthKeysParser.parse(FILE, "auth 1\n1 crc\n", mode))
                .isInstanceOf(ConfigException.class)
                .hasMessage(FILE + ": Bad permissions on keyfile [" + FILE + "], 600 recommended.");
    }

    static Stream<Arguments> bad() {
        return Stream.of(
                Arguments.of("auth x\n1 crc", 1, "Invalid auth line [auth x] in " + FILE),
                Arguments.of("active 1\n1 crc", 1, "Invalid auth line [active 1] in " + FILE),
                Arguments.of("auth 1\nmd5 1 k", 2, "Auth line [md5 1 k] is invalid."),
                Arguments.of("auth 1\n1", 2, "Auth line [1] is invalid."),
                Arguments.of("auth 1\n16 md5 k", 2, "Invalid authnum [16] in " + FILE),
                Arguments.of("auth 1\n-1 md5 k", 2, "Invalid authnum [-1] in " + FILE),
                Arguments.of("auth 1\n1 sha256 k", 2, "Invalid authtype [sha256]"),
                Arguments.of("auth 1\n1 MD5 k", 2, "Invalid authtype [MD5]"),
                Arguments.of("auth 1\n1 crc k", 2, "Auth method [crc] doesn't use a key"),
                Arguments.of("auth 1\n1 md5", 2, "Auth method [md5] requires a key"),
                Arguments.of("auth 1\n1 sha1 ", 2, "Auth method [sha1] requires a key"),
                Arguments.of("1 md5 k", 0, "Missing auth directive in keyfile [" + FILE + "]"),
                Arguments.of("", 0, "Missing auth directive in keyfile [" + FILE + "]"),
                Arguments.of("1 md5 k\nauth 1", 0, "Auth Key [1] not found in keyfile [" + FILE + "]"),
                Arguments.of("auth 3\n1 md5 k", 0, "Auth Key [3] not found in keyfile [" + FILE + "]"));
    }

    @ParameterizedTest(name = "[{index}] {2}")
    @MethodSource("bad")
    void bad_input_names_file_line_and_heartbeats_message(String text, int line, String message) {
        assertThatThrownBy(() -> parse(text)).isInstanceOfSatisfying(ConfigException.class, e -> {
            assertThat(e.file()).isEqualTo(FILE);
            assertThat(e.line()).isEqualTo(line);
            assertThat(e.text()).startsWith(message);
        });
    }

    @Test
    void printed_keys_read_back() {
        AuthKeys keys = parse("auth 2\n1 crc\n2 sha1 abc\n");
        assertThat(AuthKeysParser.parse(FILE, AuthKeysParser.print(keys), 0600)).isEqualTo(keys);
    }
}
