package dev.odeflow.jobs.ml;

import dev.odeflow.driver.data.SeriesBlock;

import java.io.Serializable;
import java.util.Arrays;

/**
 * When {@code predict} evaluates each series' trajectory: at its own observation times, or at the same absolute
 * times for every series. A series is predicted from its first (with a delay embedding, its first embedded)
 * observation, so no time may come before that one.
 */
public sealed interface PredictionTimes extends Serializable {

    /** The times at which series s of block b is predicted (increasing; the first no earlier than its start). */
    double[] of(SeriesBlock b, int s);

    /** The first series of b that starts after a time it is to be predicted at, as a message; null if none. */
    String problem(SeriesBlock b);

    /** The rows the predictions of block b make. */
    long rows(SeriesBlock b);

    /** Each series at its own observation times. */
    record Observed() implements PredictionTimes {

        @Override
        public double[] of(SeriesBlock b, int s) {
            return Arrays.copyOfRange(b.times(), b.offsets()[s], b.offsets()[s + 1]);
        }

        @Override
        public String problem(SeriesBlock b) {
            return null;
        }

        @Override
        public long rows(SeriesBlock b) {
            return b.times().length;
        }
    }

    /**
     * Every series at the same absolute times.
     *
     * @param times finite and strictly increasing, at least one
     */
    record Given(double[] times) implements PredictionTimes {

        public Given {
            if (times.length == 0) {
                throw new IllegalArgumentException("no times given");
            }
            for (int i = 0; i < times.length; i++) {
                if (!Double.isFinite(times[i]) || i > 0 && !(times[i] > times[i - 1])) {
                    throw new IllegalArgumentException("the times must be finite and strictly increasing, got "
                            + (Double.isFinite(times[i]) ? times[i - 1] + " then " + times[i] : times[i]));
                }
            }
            times = times.clone();
        }

        @Override
        public double[] times() {
            return times.clone();
        }

        @Override
        public double[] of(SeriesBlock b, int s) {
            return times.clone();
        }

        @Override
        public String problem(SeriesBlock b) {
            for (int s = 0; s < b.series(); s++) {
                double start = b.times()[b.offsets()[s]];
                if (times[0] < start) {
                    return "series '" + b.ids().get(s) + "' starts at t = " + start + ", after the first time to"
                            + " predict it at, " + times[0] + " (a series is predicted from its first observation"
                            + " on; give times from the latest start on)";
                }
            }
            return null;
        }

        @Override
        public long rows(SeriesBlock b) {
            return (long) b.series() * times.length;
        }
    }

    /**
     * The times a command line gives: a comma list ({@code 0,0.5,1}) or {@code start:stop:count}, count evenly
     * spaced times from start to stop inclusive (count >= 2, stop > start).
     */
    static PredictionTimes parse(String text) {
        String t = text.strip();
        if (t.contains(":")) {
            String[] p = t.split(":", -1);
            if (p.length != 3) {
                throw new IllegalArgumentException("expected start:stop:count, got '" + text + "'");
            }
            double start = number(p[0]);
            double stop = number(p[1]);
            int count;
            try {
                count = Integer.parseInt(p[2].strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("the count of start:stop:count must be an integer, got '"
                        + p[2].strip() + "'");
            }
            if (count < 2 || !(stop > start)) {
                throw new IllegalArgumentException("start:stop:count needs stop > start and count >= 2, got '"
                        + text + "'");
            }
            double[] times = new double[count];
            for (int i = 0; i < count; i++) {
                times[i] = i == count - 1 ? stop : start + (stop - start) * i / (count - 1);
            }
            return new Given(times);
        }
        return new Given(Arrays.stream(t.split(",", -1)).mapToDouble(PredictionTimes::number).toArray());
    }

    private static double number(String s) {
        try {
            return Double.parseDouble(s.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + s.strip() + "' is not a number");
        }
    }
}
