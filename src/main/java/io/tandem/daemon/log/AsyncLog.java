package io.tandem.daemon.log;

import io.tandem.config.Severity;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The daemon's log: callers on the heartbeat path only put a record in a bounded queue and never
 * wait; one background thread writes the lines. When the queue is full the record is dropped and
 * counted, and the writer reports {@code cl_log: N messages were dropped} as heartbeat does.
 *
 * <p>Like heartbeat: the log file gets everything but debug, the debug file gets everything; each
 * line is appended with the file opened per batch, so log rotation by rename works without a signal.
 */
public final class AsyncLog implements AutoCloseable {
    private static final int CAPACITY = 4096;

    private final Path logfile;
    private final Path debugfile;
    private final PrintStream console;
    private final LineFormat format;
    private final String host;
    private final ZoneId zone;
    private final BlockingQueue<LogRecord> queue = new ArrayBlockingQueue<>(CAPACITY);
    private final AtomicLong dropped = new AtomicLong();
    private final Thread writer;
    private final SyslogSink syslog;
    private boolean syslogFailed;
    private volatile boolean closing;

    /**
     * @param logfile   ha.cf {@code logfile}, or null
     * @param debugfile ha.cf {@code debugfile}, or null
     * @param console   also write lines here (foreground runs), or null
     */
    public AsyncLog(Path logfile, Path debugfile, PrintStream console, LineFormat format, String host, ZoneId zone) {
        this(logfile, debugfile, console, format, host, zone, null);
    }

    /** As above, and every line but debug also to syslog ({@code logfacility}) when {@code syslog} is not null. */
    public AsyncLog(Path logfile, Path debugfile, PrintStream console, LineFormat format, String host, ZoneId zone, SyslogSink syslog) {
        this.syslog = syslog;
        this.logfile = logfile;
        this.debugfile = debugfile;
        this.console = console;
        this.format = format;
        this.host = host;
        this.zone = zone;
        this.writer = new Thread(this::drain, "tandem-log");
        this.writer.setDaemon(true);
        this.writer.start();
    }

    /** Queues a record; never blocks. */
    public void log(LogRecord record) {
        if (!queue.offer(record)) {
            dropped.incrementAndGet();
        }
    }

    private void drain() {
        List<LogRecord> batch = new ArrayList<>();
        while (!closing || !queue.isEmpty()) {
            try {
                LogRecord first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch);
                long lost = dropped.getAndSet(0);
                if (lost > 0) {
                    batch.add(new LogRecord(first.epochMillis(), Severity.ERROR, first.entity(), first.pid(),
                            "cl_log: " + lost + " messages were dropped"));
                }
                write(batch);
                batch.clear();
            } catch (InterruptedException e) {
                closing = true;
            }
        }
    }

    private void write(List<LogRecord> batch) {
        StringBuilder all = new StringBuilder();
        StringBuilder nonDebug = new StringBuilder();
        for (LogRecord r : batch) {
            String line = format.format(r, host, zone) + "\n";
            all.append(line);
            if (r.severity() != Severity.DEBUG) {
                nonDebug.append(line);
            }
        }
        toSyslog(batch, nonDebug);
        append(debugfile, all);
        append(logfile, nonDebug);
        if (console != null) {
            console.print(nonDebug);
            console.flush();
        }
    }

    private void toSyslog(List<LogRecord> batch, StringBuilder nonDebug) {
        if (syslog == null) {
            return;
        }
        for (LogRecord r : batch) {
            if (r.severity() == Severity.DEBUG) {
                continue;
            }
            try {
                syslog.send(r);
                syslogFailed = false;
            } catch (IOException e) {
                if (!syslogFailed) {
                    syslogFailed = true; // said once until it works again; the file log carries on
                    nonDebug.append(format.format(new LogRecord(r.epochMillis(), Severity.ERROR, "heartbeat", r.pid(),
                            "Cannot log to syslog: " + e.getMessage()), host, zone)).append('\n');
                }
            }
        }
    }

    private void append(Path file, CharSequence text) {
        if (file == null || text.length() == 0) {
            return;
        }
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            if (console != null) {
                console.println("Cannot open " + file + ": " + e.getMessage());
            }
        }
    }

    /** Writes what is queued, then stops the writer. */
    @Override
    public void close() {
        closing = true;
        try {
            writer.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (syslog != null) {
            syslog.close();
        }
    }
}
