package io.tandem.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Who owns a lab prefix on this machine: an exclusive lock on {@code TMPDIR/tandem-lab-PREFIX.lock},
 * held from {@link Lab#start} until {@link Lab#close}. Every name of a lab (namespaces, links, its
 * directory, the hosts' {@code init.pid}) derives from its prefix, and starting a lab first removes
 * everything of its prefix as a crashed run's leftovers; a second lab with the prefix of one still
 * running (another Maven run, e.g. LabTest while RealHeartbeatLabTest runs, both "tl") would kill the
 * first one's hosts ("is down: its init ... is gone") and put its own files where the first reads
 * its logs. With the lock, the second start fails at once, naming the prefix, and touches nothing.
 * <p>
 * The lock is an fcntl lock: the kernel releases it when its process ends, SIGKILL included, so a
 * crashed run's prefix is free again and its leftovers are cleaned by the next start. The lock file
 * itself stays (removing it would let two runs lock two different files of the same name).
 */
final class PrefixLock implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;

    private PrefixLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Takes the prefix, or throws {@link IllegalStateException} if a running lab (of this or another JVM) holds it. */
    static PrefixLock acquire(String prefix) {
        Path file = Path.of(System.getProperty("java.io.tmpdir"), "tandem-lab-" + prefix + ".lock");
        FileChannel channel;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException("lab: cannot open " + file, e);
        }
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null; // held by a lab of this JVM
        } catch (IOException e) {
            closeQuietly(channel);
            throw new UncheckedIOException("lab: cannot lock " + file, e);
        }
        if (lock == null) {
            closeQuietly(channel);
            throw new IllegalStateException("lab prefix " + prefix + " is in use by a lab that is still running (" + file
                    + " is locked): run lab tests of the same prefix one after the other");
        }
        return new PrefixLock(channel, lock);
    }

    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException e) {
            // closing the channel releases it as well
        }
        closeQuietly(channel);
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // nothing left to release
        }
    }
}
