package io.tandem.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

/**
 * The lab's power switch for cluster-glue's {@code stonith} command: the external plugin
 * {@code external/fenlab-pdu} (src/test/resources/io/tandem/lab/fenlab-pdu) leaves a request in a
 * directory both sides see and this harness, in the machine's own namespaces, powers the node off
 * ({@link Lab#powerOff}) and answers; it answers the plugin's {@code status} (cluster-glue's
 * {@code stonith -S}) too. While {@link #broken} it refuses every power request, as a PDU with a
 * stuck relay; while {@link #statusBroken}, every status request. cluster-glue finds external plugins only in /usr/lib/stonith/plugins/external (the
 * path is compiled in), so the plugin is installed there under a name of this lab's own for the time
 * of the test and removed by {@link #close}.
 */
public final class FencePdu implements AutoCloseable {
    public static final String TYPE = "external/fenlab-pdu";
    private static final Path PLUGINS = Path.of("/usr/lib/stonith/plugins/external");

    private final Lab lab;
    private final Path dir;
    private final Path plugin;
    private final Thread worker;
    private volatile boolean running = true;
    /** While true, every power request is refused and nothing is powered off. */
    public volatile boolean broken;
    /** While true, every status request is refused (the PDU's management board does not answer). */
    public volatile boolean statusBroken;
    /** What was done, in order: "off node1 ok", "off node1 refused". */
    public final List<String> log = new CopyOnWriteArrayList<>();
    /** Status requests answered, in order: "status ok", "status refused". */
    public final List<String> statusLog = new CopyOnWriteArrayList<>();

    private FencePdu(Lab lab, Path dir, Path plugin) {
        this.lab = lab;
        this.dir = dir;
        this.plugin = plugin;
        this.worker = new Thread(this::serve, "fenlab-pdu");
        this.worker.setDaemon(true);
    }

    /** Installs the plugin as {@link #TYPE} and starts serving requests. */
    public static FencePdu start(Lab lab) {
        return start(lab, "fenlab-pdu");
    }

    /**
     * Installs the plugin under {@code external/NAME} (a test of its own uses a name of its own, so that
     * another lab run's {@link #close} does not remove the plugin under it) and starts serving requests.
     */
    public static FencePdu start(Lab lab, String name) {
        if (!name.matches("fenlab-pdu[a-z0-9-]*")) {
            throw new IllegalArgumentException("a lab PDU plugin is named fenlab-pdu...: " + name);
        }
        Path target = PLUGINS.resolve(name);
        try (var in = FencePdu.class.getResourceAsStream("fenlab-pdu")) {
            if (in == null) {
                throw new IllegalStateException("the fenlab-pdu plugin is not on the test class path");
            }
            Path tmp = Files.createTempFile(PLUGINS, "." + name, "");
            Files.write(tmp, in.readAllBytes());
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            Path dir = Files.createTempDirectory(name);
            FencePdu pdu = new FencePdu(lab, dir, target);
            pdu.worker.start();
            return pdu;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot install the lab's STONITH plugin", e);
        }
    }

    /** The directory the plugin writes its requests to (its {@code pdudir}). */
    public Path dir() {
        return dir;
    }

    /** The device type the plugin was installed as ({@code external/fenlab-pdu...}). */
    public String type() {
        return "external/" + plugin.getFileName();
    }

    /** A {@code stonith_host} line: every node fences with this PDU, reached at {@code address}. */
    public String stonithHost(List<String> nodes, String address) {
        return "stonith_host * " + type() + " " + String.join(",", nodes) + " " + dir + " " + address + "\n";
    }

    /**
     * Answers each request as its file appears: the plugin renames a complete request into place, so a
     * create event means a whole one. The directory is listed once after the watch is set up, so a
     * request written before it is not missed.
     */
    private void serve() {
        try (WatchService watch = dir.getFileSystem().newWatchService()) {
            dir.register(watch, StandardWatchEventKinds.ENTRY_CREATE);
            answerWaiting();
            while (running) {
                WatchKey key = watch.take();
                key.pollEvents();
                answerWaiting();
                key.reset();
            }
        } catch (IOException e) {
            log.add("error " + e.getMessage());
        } catch (InterruptedException | ClosedWatchServiceException e) {
            // closed: the test is over
        }
    }

    private void answerWaiting() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path req : files.filter(f -> f.getFileName().toString().startsWith("req.")).toList()) {
                answer(req);
            }
        }
    }

    private void answer(Path req) throws IOException {
        String pid = req.getFileName().toString().substring(4);
        String[] words = Files.readString(req).strip().split("\\s+");
        Files.delete(req);
        String reply;
        if (words.length == 1 && words[0].equals("status")) {
            reply = statusBroken ? "error management board not responding" : "ok";
            statusLog.add(statusBroken ? "status refused" : "status ok");
        } else if (words.length != 2 || !words[0].equals("off") || !lab.nodes().contains(words[1])) {
            reply = "error bad request";
        } else if (broken) {
            reply = "error outlet relay stuck";
            log.add("off " + words[1] + " refused");
        } else {
            lab.powerOff(words[1]);
            log.add("off " + words[1] + " ok");
            reply = "ok";
        }
        Path tmp = dir.resolve("tmp-ans." + pid);
        Files.writeString(tmp, reply + "\n");
        Files.move(tmp, dir.resolve("ans." + pid), StandardCopyOption.ATOMIC_MOVE);
    }

    @Override
    public void close() {
        running = false;
        worker.interrupt();
        try {
            worker.join(2_000);
            Files.deleteIfExists(plugin);
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    Files.deleteIfExists(f);
                }
            }
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
