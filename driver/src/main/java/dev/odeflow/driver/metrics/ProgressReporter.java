package dev.odeflow.driver.metrics;

import java.util.Locale;
import java.util.function.Consumer;

/** Formats the console progress line: iteration, loss, NFE, T (when the objective has one), throughput and ETA. */
public final class ProgressReporter {

    private final Consumer<String> sink;
    private final int every;
    private final long total;

    /** Prints through {@code sink} every {@code every} iterations and at the last one. */
    public ProgressReporter(Consumer<String> sink, int every, long total) {
        this.sink = sink;
        this.every = Math.max(1, every);
        this.total = total;
    }

    /** Reports {@code m} if it is due; {@code done} iterations of this run took {@code elapsed} seconds. */
    public void report(IterationMetrics m, long done, double elapsed) {
        if (m.iteration() % every != 0 && m.iteration() != total) {
            return;
        }
        sink.accept(line(m, done, elapsed, total));
    }

    /** The progress line. */
    public static String line(IterationMetrics m, long done, double elapsed, long total) {
        double eta = done == 0 ? Double.NaN : elapsed / done * (total - m.iteration());
        String val = Double.isNaN(m.valNll()) ? "" : String.format(Locale.ROOT, "  val %.4f", m.valNll());
        String time = Double.isNaN(m.endTime()) ? "" : String.format(Locale.ROOT, "  T %.4f", m.endTime());
        return String.format(Locale.ROOT, "odeflow iter %d/%d  loss %.4f  nfe %d/%d%s  lr %.2e  %.0f samples/s"
                        + "  eta %s%s", m.iteration(), total, m.loss(), m.nfeForward(), m.nfeBackward(), time,
                m.lr(), m.samplesPerSecond(), duration(eta), val);
    }

    /** 75 → "1m15s"; NaN → "?". */
    public static String duration(double seconds) {
        if (!Double.isFinite(seconds)) {
            return "?";
        }
        long s = Math.round(seconds);
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return s / 60 + "m" + String.format(Locale.ROOT, "%02d", s % 60) + "s";
        }
        return s / 3600 + "h" + String.format(Locale.ROOT, "%02d", s % 3600 / 60) + "m";
    }
}
