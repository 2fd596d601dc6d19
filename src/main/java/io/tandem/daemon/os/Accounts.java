package io.tandem.daemon.os;

import io.tandem.daemon.process.ProcessResult;
import io.tandem.daemon.process.ProcessRunner;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** User accounts as the C library sees them (NSS too): {@code getent passwd NAME}, run without a shell. */
public final class Accounts {
    private static final String GETENT = "/usr/bin/getent";

    /** A user's numeric ids. */
    public record Account(String name, long uid, long gid) {
    }

    private Accounts() {
    }

    /** The account called {@code name}, or empty when there is none (or getent cannot tell). */
    public static Optional<Account> lookup(String name) {
        if (name.isEmpty() || name.startsWith("-") || name.length() > 256) {
            return Optional.empty();
        }
        try (ProcessRunner runner = new ProcessRunner(1_000)) {
            ProcessResult r = runner.run(List.of(GETENT, "passwd", name), Map.of(), 5_000).join();
            if (r.exitCode() != 0 || r.stdout().isEmpty()) {
                return Optional.empty();
            }
            String[] f = r.stdout().get(0).split(":", -1);
            if (f.length < 4) {
                return Optional.empty();
            }
            return Optional.of(new Account(f[0], Long.parseLong(f[2]), Long.parseLong(f[3])));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
