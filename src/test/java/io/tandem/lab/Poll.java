package io.tandem.lab;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waiting for a condition with a deadline, instead of sleeping for a guessed time. */
public final class Poll {
    private static final long STEP_MS = 50;

    private Poll() {
    }

    /** Returns as soon as {@code condition} holds; throws {@link AssertionError} naming {@code what} at the deadline. */
    public static void until(Duration timeout, String what, BooleanSupplier condition) {
        untilOrElse(timeout, condition, () -> "timed out after " + timeout.toMillis() + " ms waiting for " + what);
    }

    /** Like {@link #until} but the failure message is computed at the deadline (e.g. with a log excerpt). */
    public static void untilOrElse(Duration timeout, BooleanSupplier condition, Supplier<String> failure) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError(failure.get());
            }
            pause();
        }
    }

    /** True if {@code condition} became true within {@code timeout}. */
    public static boolean within(Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            pause();
        }
        return true;
    }

    private static void pause() {
        try {
            Thread.sleep(STEP_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while polling", e);
        }
    }
}
