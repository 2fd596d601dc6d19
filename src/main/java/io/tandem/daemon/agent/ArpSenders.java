package io.tandem.daemon.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The gratuitous-ARP senders of one address on this host, stopped when the address is released: a
 * {@code send_arp} still running after the address went would announce this host's MAC for it after the
 * other node took it. Two kinds: the {@code send_arp} of IPaddr's pid file {@code $HA_RSCTMP/send_arp-IP}
 * (the script's or the fast address step's), and an {@code arping} the step started itself (a child of
 * this process). A process is only signalled once its {@code /proc/PID/cmdline} says it is that program
 * for that address: a stale pid file, a pid taken by another process, are left alone.
 */
final class ArpSenders {
    /** How long a sender may take to go after SIGKILL. */
    static final long WAIT_MS = 1_000;
    private final Path proc;

    /** @param proc the proc file system ({@code /proc}) */
    ArpSenders(Path proc) {
        this.proc = proc;
    }

    ArpSenders() {
        this(Path.of("/proc"));
    }

    /** The command line of {@code pid} (its words), empty when it is gone or unreadable. */
    List<String> cmdline(long pid) {
        try {
            byte[] raw = Files.readAllBytes(proc.resolve(Long.toString(pid)).resolve("cmdline"));
            List<String> words = new ArrayList<>();
            int from = 0;
            for (int i = 0; i < raw.length; i++) {
                if (raw[i] == 0) {
                    words.add(new String(raw, from, i - from, StandardCharsets.UTF_8));
                    from = i + 1;
                }
            }
            if (from < raw.length) {
                words.add(new String(raw, from, raw.length - from, StandardCharsets.UTF_8));
            }
            return words;
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }

    /** Whether {@code argv} runs {@code program} (its file name) with {@code ip} as one of its words. */
    static boolean runs(List<String> argv, String program, String ip) {
        if (argv.isEmpty()) {
            return false;
        }
        String first = argv.get(0);
        String name = first.substring(first.lastIndexOf('/') + 1);
        return name.equals(program) && argv.subList(1, argv.size()).contains(ip);
    }

    /** The pid of IPaddr's pid file {@code pidFile} when that process is {@code send_arp} for {@code ip}. */
    Optional<Long> sendArpOf(Path pidFile, String ip) {
        try {
            String text = Files.readString(pidFile, StandardCharsets.US_ASCII).trim();
            if (text.isEmpty() || text.length() > 10 || !text.chars().allMatch(Character::isDigit)) {
                return Optional.empty();
            }
            long pid = Long.parseLong(text);
            return pid > 1 && runs(cmdline(pid), "send_arp", ip) ? Optional.of(pid) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** This process's children that are {@code arping} for {@code ip} (the step's own, in the background). */
    List<Long> ownArpings(String ip) {
        return ProcessHandle.current().children().map(ProcessHandle::pid).filter(pid -> runs(cmdline(pid), "arping", ip)).toList();
    }

    /**
     * Stops {@code pid} if it is still {@code program} for {@code ip}: SIGKILL (send_arp takes some 70 ms
     * to end after SIGTERM, and holds nothing worth a graceful end: its pid file is removed by the caller).
     * True when it is gone or a zombie (it sends nothing any more) within {@link #WAIT_MS}, also when it
     * had already gone or become something else; false when it still ran.
     */
    boolean stop(long pid, String program, String ip) throws InterruptedException {
        Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        if (handle.isEmpty() || !runs(cmdline(pid), program, ip)) {
            return true;
        }
        handle.get().destroyForcibly();
        return waitGone(pid);
    }

    /** Waits up to {@link #WAIT_MS} until {@code pid} is gone or a zombie. */
    private boolean waitGone(long pid) throws InterruptedException {
        long until = System.nanoTime() + WAIT_MS * 1_000_000;
        long pause = 1;
        while (true) {
            if (gone(pid)) {
                return true;
            }
            if (System.nanoTime() >= until) {
                return false;
            }
            Thread.sleep(pause);
            pause = Math.min(pause * 2, 20);
        }
    }

    /** No process {@code pid}, or a zombie (exited, not yet reaped). */
    boolean gone(long pid) {
        try {
            String stat = Files.readString(proc.resolve(Long.toString(pid)).resolve("stat"), StandardCharsets.US_ASCII);
            int close = stat.lastIndexOf(')');
            return close < 0 || close + 2 >= stat.length() || stat.charAt(close + 2) == 'Z' || stat.charAt(close + 2) == 'X';
        } catch (IOException | RuntimeException e) {
            return true;
        }
    }
}
