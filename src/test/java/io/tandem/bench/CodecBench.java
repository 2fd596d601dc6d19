package io.tandem.bench;

import io.tandem.config.AuthKeys;
import io.tandem.config.AuthMethod;
import io.tandem.wire.AuthVerdict;
import io.tandem.wire.Authenticator;
import io.tandem.wire.HostileShapes;
import io.tandem.wire.HostileShapes.Shape;
import io.tandem.wire.Packet;
import io.tandem.wire.WireCodec;
import io.tandem.wire.WireException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * {@code bench/codec}: the cost of what the daemon does with every datagram before it knows who
 * sent it, {@link WireCodec#decode} and then {@link Authenticator#verify}, for the worst-case
 * inputs of {@link HostileShapes} (each at most 65,507 bytes) and a real signed status message,
 * the reference.
 *
 * <p>Discipline, by hand (no JMH): every shape is first run for the warm-up time, then measured in
 * rounds of batches (about 1 ms a batch, the clock read once a batch) until the measured time is
 * reached; the figure is the median of the rounds' means, the spread their min and max. Results go
 * to a sink printed at the end so no call can be optimised away.
 *
 * <p>{@code CodecBench [--out FILE] [--warmup-ms N] [--measure-ms N] [--rounds N] [--only TEXT] [--auth md5|sha1|crc]}
 */
public final class CodecBench {
    private static final double TARGET_US = 1000;
    private static final String USAGE = "usage: bench/codec [--out FILE] [--warmup-ms N] [--measure-ms N] [--rounds N] [--only TEXT] [--auth md5|sha1|crc]";

    private static long sink;
    private static AuthKeys keys = HostileShapes.KEYS;

    private record Result(Shape shape, String outcome, double[] decodeUs, double[] fullUs) {
        double decode() {
            return median(decodeUs);
        }

        double full() {
            return median(fullUs);
        }
    }

    private CodecBench() {
    }

    public static void main(String[] args) throws Exception {
        Path out = null;
        long warmupMs = 200;
        long measureMs = 200;
        int rounds = 5;
        String only = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--out" -> out = Path.of(value(args, ++i));
                case "--warmup-ms" -> warmupMs = Long.parseLong(value(args, ++i));
                case "--measure-ms" -> measureMs = Long.parseLong(value(args, ++i));
                case "--rounds" -> rounds = Integer.parseInt(value(args, ++i));
                case "--only" -> only = value(args, ++i);
                case "--auth" -> keys = HostileShapes.keys(AuthMethod.valueOf(value(args, ++i).toUpperCase(Locale.ROOT)));
                case "-h", "--help" -> {
                    System.out.println(USAGE);
                    return;
                }
                default -> throw new IllegalArgumentException("unknown option " + args[i] + "\n" + USAGE);
            }
        }
        List<Shape> shapes = new ArrayList<>();
        for (Shape s : HostileShapes.all(keys)) {
            if (only == null || s.name().startsWith("reference") || (s.framing() + ": " + s.name()).contains(only)) {
                shapes.add(s);
            }
        }
        long started = System.nanoTime();
        // One pass over everything first, so that the shared code is compiled before any shape is timed.
        for (Shape s : shapes) {
            run(s.bytes(), true, warmupMs * 1_000_000L / 4);
        }
        List<Result> results = new ArrayList<>();
        for (Shape s : shapes) {
            double[] decode = measure(s.bytes(), false, warmupMs, measureMs, rounds);
            double[] full = measure(s.bytes(), true, warmupMs, measureMs, rounds);
            results.add(new Result(s, outcome(s.bytes()), decode, full));
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        String table = table(results);
        System.out.print(table);
        System.out.printf(Locale.ROOT, "(%.0f s; sink %d)%n", seconds, sink);
        if (out != null) {
            Files.writeString(out, document(table, warmupMs, measureMs, rounds, seconds));
            System.out.println("wrote " + out);
        }
    }

    /** Round means in µs per packet, after warming this shape up. */
    private static double[] measure(byte[] p, boolean verify, long warmupMs, long measureMs, int rounds) {
        long warmupNs = warmupMs * 1_000_000L;
        long t0 = System.nanoTime();
        long calls = run(p, verify, warmupNs);
        double nsPerCall = (double) (System.nanoTime() - t0) / calls;
        int batch = (int) Math.max(1, Math.min(1_000_000, 1_000_000 / nsPerCall)); // ~1 ms
        long roundNs = Math.max(1, measureMs * 1_000_000L / rounds);
        double[] means = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            long n = 0;
            long start = System.nanoTime();
            long elapsed;
            do {
                for (int k = 0; k < batch; k++) {
                    once(p, verify);
                }
                n += batch;
                elapsed = System.nanoTime() - start;
            } while (elapsed < roundNs);
            means[r] = elapsed / 1000.0 / n;
        }
        return means;
    }

    /** Calls until {@code ns} have passed (at least once); returns how many. */
    private static long run(byte[] p, boolean verify, long ns) {
        long n = 0;
        long start = System.nanoTime();
        do {
            once(p, verify);
            n++;
        } while (System.nanoTime() - start < ns);
        return n;
    }

    /** What the daemon's Inbound does with a datagram, up to handing the message on. */
    private static void once(byte[] p, boolean verify) {
        try {
            Packet packet = WireCodec.decode(p);
            sink += packet.message().size();
            if (verify) {
                AuthVerdict v = Authenticator.verify(packet, keys);
                sink += v.ok() ? 1 : v.reason().length();
            }
        } catch (WireException e) {
            sink += e.getMessage().length();
        }
    }

    private static String outcome(byte[] p) {
        try {
            Packet packet = WireCodec.decode(p);
            AuthVerdict v = Authenticator.verify(packet, keys);
            return packet.message().size() + " fields; " + (v.ok() ? "verifies" : "refused: " + shorten(v.reason()));
        } catch (WireException e) {
            return "decode refuses: " + shorten(e.getMessage());
        }
    }

    private static String shorten(String s) {
        String t = s.replace('|', '/').replaceAll(" at offset \\d+", "");
        return t.length() > 44 ? t.substring(0, 41) + "..." : t;
    }

    static String table(List<Result> results) {
        Result ref = results.stream().filter(r -> r.shape().name().startsWith("reference")).findFirst().orElseThrow();
        double refUs = ref.full();
        double refNsPerByte = refUs * 1000 / ref.shape().bytes().length;
        StringBuilder b = new StringBuilder();
        b.append("| framing | input | bytes | outcome | decode µs | decode+verify µs (min–max) | ns/byte | × ref (packet) | × ref (per byte) | ≤ 1 ms |\n");
        b.append("|---|---|---:|---|---:|---:|---:|---:|---:|---|\n");
        Result worst = ref;
        for (Result r : results) {
            int bytes = r.shape().bytes().length;
            double us = r.full();
            double nsPerByte = us * 1000 / bytes;
            if (us > worst.full()) {
                worst = r;
            }
            b.append(String.format(Locale.ROOT, "| %s | %s | %d | %s | %s | %s (%s–%s) | %.2f | %.1f | %.2f | %s |%n",
                    r.shape().framing(), r.shape().name(), bytes, r.outcome(), us(r.decode()), us(us), us(min(r.fullUs())),
                    us(max(r.fullUs())), nsPerByte, us / refUs, nsPerByte / refNsPerByte, us <= TARGET_US ? "PASS" : "FAIL"));
        }
        b.append(String.format(Locale.ROOT, "%nWorst input of at most %d bytes: %s µs per packet (%s: %s), target 1 ms: %s.%n",
                HostileShapes.UDP_MAX, us(worst.full()), worst.shape().framing(), worst.shape().name(),
                worst.full() <= TARGET_US ? "PASS" : "FAIL"));
        return b.toString();
    }

    private static String document(String table, long warmupMs, long measureMs, int rounds, double seconds) {
        String when = ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'"));
        return "# Codec benchmark\n\nGenerated by `bench/codec` on " + when + " in " + Math.round(seconds) + " s. Machine: "
                + Runtime.getRuntime().availableProcessors() + " CPUs, java " + System.getProperty("java.vm.version") + " ("
                + System.getProperty("java.vm.name") + "), JVM flags: " + String.join(" ", jvmFlags()) + ". Each shape: "
                + warmupMs + " ms warm-up, then " + rounds + " rounds, " + measureMs + " ms measured in all; median of the"
                + " round means (min–max). decode+verify is what the daemon does with every datagram before it knows the"
                + " sender; the reference is a signed status message (netstring with the inner auth field), keys: "
                + keys.active().method().fileName() + ".\n\n" + table;
    }

    private static List<String> jvmFlags() {
        return java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments();
    }

    private static String us(double v) {
        return v >= 100 ? String.format(Locale.ROOT, "%.0f", v) : v >= 1 ? String.format(Locale.ROOT, "%.1f", v)
                : String.format(Locale.ROOT, "%.2f", v);
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static double min(double[] v) {
        return Arrays.stream(v).min().orElseThrow();
    }

    private static double max(double[] v) {
        return Arrays.stream(v).max().orElseThrow();
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) {
            throw new IllegalArgumentException(args[i - 1] + " needs a value\n" + USAGE);
        }
        return args[i];
    }
}
