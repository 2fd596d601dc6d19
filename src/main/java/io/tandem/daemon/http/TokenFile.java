package io.tandem.daemon.http;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

/**
 * The API token file ({@code http_token_file}): like authkeys, a regular file readable by its owner
 * only (no group or other permission bits) and owned by root (or, for a daemon that does not run as
 * root, by the user it runs as); its content, blanks around it removed, is the token: 16 to 1024
 * printable ASCII characters.
 */
final class TokenFile {
    static final int MIN = 16;
    static final int MAX = 1024;

    private TokenFile() {
    }

    /** The token; an {@link ApiSetupException} naming the file says what is wrong. */
    static byte[] read(Path file) throws ApiSetupException {
        PosixFileAttributes a;
        try {
            a = Files.readAttributes(file, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            throw new ApiSetupException(file + ": the HTTP API's token file does not exist");
        } catch (IOException e) {
            throw new ApiSetupException(file + ": cannot read the HTTP API's token file (" + e.getMessage() + ")");
        }
        if (!a.isRegularFile()) {
            throw new ApiSetupException(file + ": the HTTP API's token file must be a regular file (not a link or directory)");
        }
        Set<PosixFilePermission> p = a.permissions();
        if (p.stream().anyMatch(x -> x.name().startsWith("GROUP") || x.name().startsWith("OTHERS"))) {
            throw new ApiSetupException(file + ": the HTTP API's token file must not be readable or writable by group or others"
                    + " (mode " + java.nio.file.attribute.PosixFilePermissions.toString(p) + "; chmod 600 " + file + ")");
        }
        String owner = a.owner().getName();
        String self = System.getProperty("user.name");
        if (!owner.equals("root") && !owner.equals(self)) {
            throw new ApiSetupException(file + ": the HTTP API's token file must be owned by root (it is owned by " + owner + ")");
        }
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            bytes = in.readNBytes(MAX + 64);
        } catch (IOException e) {
            throw new ApiSetupException(file + ": cannot read the HTTP API's token file (" + e.getMessage() + ")");
        }
        String token = new String(bytes, StandardCharsets.UTF_8).strip();
        if (token.length() < MIN || token.length() > MAX || !token.matches("[\\x21-\\x7e]+")) {
            throw new ApiSetupException(file + ": the HTTP API's token must be " + MIN + " to " + MAX
                    + " printable ASCII characters without blanks (e.g. openssl rand -hex 32 > " + file + ")");
        }
        return token.getBytes(StandardCharsets.US_ASCII);
    }
}
