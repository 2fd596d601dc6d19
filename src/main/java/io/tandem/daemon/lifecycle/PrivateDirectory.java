package io.tandem.daemon.lifecycle;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * The directories the daemon writes as root (run directory: pid file, control socket, output; state
 * directory: generation, uuid, peers) and how it writes in them, so that a local user who is not root
 * cannot make it write, truncate or chmod anything else (docs/reliability.md, "Local users").
 *
 * <p>A directory is used only when it is a real directory (not a symbolic link), owned by the user the
 * daemon runs as, and writable by nobody else: then no other user can place a link, a file or a socket
 * in it. One that does not exist is made with mode 755. Files are written through a temporary file
 * opened with {@code O_CREAT|O_EXCL|O_NOFOLLOW} (any leftover of that name, a link included, is
 * unlinked first, never followed) and renamed over the target (a rename replaces a link, it does not
 * follow it).
 */
public final class PrivateDirectory {
    private static final Set<PosixFilePermission> DIR_MODE = PosixFilePermissions.fromString("rwxr-xr-x");

    private PrivateDirectory() {
    }

    /** Makes {@code dir} (mode 755) if it is missing, then checks it as the class says; the exception names the problem. */
    public static Path ensure(Path dir, String what) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            Path parent = dir.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            try {
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(DIR_MODE));
                Files.setPosixFilePermissions(dir, DIR_MODE); // whatever the umask took away or left
            } catch (java.nio.file.FileAlreadyExistsException e) {
                // made meanwhile: checked below like any other
            }
        }
        check(dir, what);
        return dir;
    }

    /** Refuses a {@code what} directory that another user could write in. */
    public static void check(Path dir, String what) throws IOException {
        if (Files.isSymbolicLink(dir)) {
            throw new IOException(what + " " + dir + " is a symbolic link (to " + Files.readSymbolicLink(dir) + "): refusing it");
        }
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException(what + " " + dir + " is not a directory");
        }
        int owner = (Integer) Files.getAttribute(dir, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        int mode = (Integer) Files.getAttribute(dir, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        int me = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        if (owner != me) {
            throw new IOException(what + " " + dir + " belongs to uid " + owner + ", not to this daemon's user (uid " + me
                    + "): refusing it (its owner could put links in it)");
        }
        if ((mode & 0022) != 0) {
            throw new IOException(what + " " + dir + " is writable by " + ((mode & 0002) != 0 ? "every user" : "its group") + " (mode "
                    + Integer.toOctalString(mode & 07777) + "): refusing it (chmod go-w " + dir + ")");
        }
    }

    /**
     * Writes {@code file} whole (temporary file, optional fsync, rename): never through a link of the
     * temporary name or of the file's name. The file gets mode 644.
     */
    public static void write(Path file, byte[] bytes, boolean sync) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp); // a link is removed, not followed
        try (FileChannel ch = FileChannel.open(tmp, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r--r--")))) {
            ByteBuffer buf = ByteBuffer.wrap(bytes);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            if (sync) {
                ch.force(true);
            }
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Removes whatever is at {@code file} unless it is a regular file (a link, a socket, a fifo): before the daemon makes it anew. */
    public static void clearUnlessRegular(Path file) throws IOException {
        if (Files.exists(file, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            Files.delete(file);
        }
    }
}
