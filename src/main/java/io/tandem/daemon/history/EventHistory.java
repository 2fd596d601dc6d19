package io.tandem.daemon.history;

import io.tandem.daemon.lifecycle.PrivateDirectory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The event history (docs/observability.md): the last entries in memory (a ring), and all of them
 * appended to {@code tandem-events} in the state directory, which is renamed to
 * {@code tandem-events.1} (replacing the one before) when it would pass half the cap: both files
 * together stay under the cap. Read back at start, so the history survives a restart. Appends run
 * on a writer thread of their own (a slow disk never holds the event loop up); files are opened
 * without following links (the directory is checked by {@link PrivateDirectory}).
 */
public final class EventHistory implements AutoCloseable {
    public static final String FILE = "tandem-events";
    /** Both files together (bytes), unless {@code TANDEM_EVENTS_MAX_BYTES} says otherwise. */
    public static final long DEFAULT_MAX_BYTES = 4L << 20;
    public static final long MIN_MAX_BYTES = 16L << 10;
    public static final long MAX_MAX_BYTES = 256L << 20;
    /** Entries kept in memory. */
    public static final int RING = 5000;

    private final Path file;
    private final Path old;
    private final long maxBytes;
    private final ArrayDeque<StoredEvent> recent = new ArrayDeque<>();
    private final ExecutorService writer = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "tandem-events-writer");
        t.setDaemon(true);
        return t;
    });
    private long size; // the writer thread's
    private Consumer<String> writeFailed = text -> { };
    /** Told of each new entry (the HTTP API's event stream); must not block. */
    private volatile Consumer<StoredEvent> listener = e -> { };
    private boolean failing;

    private EventHistory(Path stateDir, long maxBytes) {
        this.file = stateDir.resolve(FILE);
        this.old = stateDir.resolve(FILE + ".1");
        this.maxBytes = maxBytes;
    }

    /** The cap from the environment's {@code TANDEM_EVENTS_MAX_BYTES} (a number of bytes), else the default. */
    public static long maxBytes(String env, List<String> problems) {
        if (env == null || env.isBlank()) {
            return DEFAULT_MAX_BYTES;
        }
        try {
            long v = Long.parseLong(env.strip());
            if (v >= MIN_MAX_BYTES && v <= MAX_MAX_BYTES) {
                return v;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        problems.add("TANDEM_EVENTS_MAX_BYTES=" + io.tandem.daemon.log.LogText.clean(env) + ": not a number of bytes from " + MIN_MAX_BYTES
                + " to " + MAX_MAX_BYTES + "; using " + DEFAULT_MAX_BYTES);
        return DEFAULT_MAX_BYTES;
    }

    /** Reads both files of {@code stateDir} (damaged lines are skipped and counted in {@code problems}). */
    public static EventHistory load(Path stateDir, long maxBytes, List<String> problems) {
        EventHistory h = new EventHistory(stateDir, maxBytes);
        int damaged = 0;
        for (Path p : List.of(h.old, h.file)) {
            try {
                PrivateDirectory.clearUnlessRegular(p);
                byte[] bytes;
                try (InputStream in = Files.newInputStream(p, LinkOption.NOFOLLOW_LINKS)) {
                    bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes));
                }
                if (p.equals(h.file)) {
                    h.size = bytes.length;
                }
                for (String line : new String(bytes, StandardCharsets.UTF_8).split("\n")) {
                    if (line.isEmpty()) {
                        continue;
                    }
                    var e = EventLine.parse(line);
                    if (e.isPresent()) {
                        h.keep(e.get());
                    } else {
                        damaged++;
                    }
                }
            } catch (NoSuchFileException e) {
                // none yet
            } catch (IOException e) {
                problems.add(p + ": cannot read the event history (" + e.getMessage() + ")");
            }
        }
        if (damaged > 0) {
            problems.add(h.file + ": " + damaged + " damaged line(s) of the event history skipped");
        }
        return h;
    }

    /** Where a failed write is reported (once, until a write succeeds again). */
    public void onWriteFailure(Consumer<String> report) {
        this.writeFailed = report;
    }

    /** Who is told of each new entry (on the thread that adds it, the event loop): it must not block. */
    public void listen(Consumer<StoredEvent> listener) {
        this.listener = listener;
    }

    /** Keeps an entry (any thread). */
    public void add(StoredEvent e) {
        synchronized (this) {
            keep(e);
        }
        listener.accept(e);
        byte[] line = EventLine.format(e).getBytes(StandardCharsets.UTF_8);
        try {
            writer.execute(() -> append(line));
        } catch (java.util.concurrent.RejectedExecutionException x) {
            // closed: the daemon is leaving; the entry stays in memory only
        }
    }

    private void keep(StoredEvent e) {
        if (recent.size() >= RING) {
            recent.removeFirst();
        }
        recent.addLast(e);
    }

    /** The entries at or after {@code time} (ms), oldest first. */
    public synchronized List<StoredEvent> since(long time) {
        List<StoredEvent> out = new ArrayList<>();
        for (StoredEvent e : recent) {
            if (e.time() >= time) {
                out.add(e);
            }
        }
        return out;
    }

    /** The file's path (the newer of the two). */
    public Path file() {
        return file;
    }

    private void append(byte[] line) {
        try {
            if (size + line.length > maxBytes / 2) {
                PrivateDirectory.clearUnlessRegular(file);
                if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                    Files.move(file, old, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                }
                size = 0;
            }
            try (FileChannel ch = FileChannel.open(file, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND,
                    LinkOption.NOFOLLOW_LINKS), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r--r--")))) {
                ByteBuffer b = ByteBuffer.wrap(line);
                while (b.hasRemaining()) {
                    ch.write(b);
                }
                size = ch.size();
            }
            failing = false;
        } catch (IOException e) {
            if (!failing) {
                failing = true;
                writeFailed.accept("Cannot write the event history " + file + ": " + e.getMessage());
            }
        }
    }

    /** Waits (at most 5 s) for the appends still queued. */
    @Override
    public void close() {
        writer.shutdown();
        try {
            writer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
