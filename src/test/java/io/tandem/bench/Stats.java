package io.tandem.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/** Median and spread (min–max) of a list of samples; NaN samples are failed runs and are counted apart. */
record Stats(List<Double> samples, int failed) {
    static Stats of(List<Double> all) {
        List<Double> ok = new ArrayList<>();
        int failed = 0;
        for (Double d : all) {
            if (d == null || d.isNaN()) {
                failed++;
            } else {
                ok.add(d);
            }
        }
        Collections.sort(ok);
        return new Stats(List.copyOf(ok), failed);
    }

    boolean empty() {
        return samples.isEmpty();
    }

    double median() {
        int n = samples.size();
        return n % 2 == 1 ? samples.get(n / 2) : (samples.get(n / 2 - 1) + samples.get(n / 2)) / 2;
    }

    String cell(String fmt) {
        if (empty()) {
            return failed > 0 ? "failed ×" + failed : "—";
        }
        String m = String.format(Locale.ROOT, fmt, median());
        String s = samples.size() > 1
                ? " (" + String.format(Locale.ROOT, fmt, samples.get(0)) + "–" + String.format(Locale.ROOT, fmt, samples.get(samples.size() - 1)) + ")"
                : "";
        return m + s + (failed > 0 ? " +" + failed + " failed" : "");
    }
}
