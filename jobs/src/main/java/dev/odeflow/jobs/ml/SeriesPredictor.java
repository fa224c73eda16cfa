package dev.odeflow.jobs.ml;

import dev.odeflow.driver.data.SeriesBlock;
import dev.odeflow.driver.data.Seeds;
import dev.odeflow.jobs.model.ModelDirectory;
import dev.odeflow.jobs.model.ModelFormatException;
import dev.odeflow.jobs.model.SavedLatent;
import dev.odeflow.jobs.model.SavedSeries;
import dev.odeflow.jobs.model.SavedTrajectory;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * One partition's predictions, one row per series and time {@link PredictionTimes} gives. A trajectory model solves
 * each series from its first observation with its evaluation solver (rows: series, time, the d values); a latent
 * ODE encodes each series' context and decodes the posterior mean's path (sample 0) and {@code samples} paths of
 * z0 drawn from q(z0 | x) (samples 1..n; rows: series, time, sample, the d values), the draws seeded by the run's
 * seed, the series' name and the sample's number, so they do not depend on the partitioning. The model travels in
 * its exact (F64) model-directory encoding.
 *
 * @param encoded the model's two files
 * @param times   when each series is predicted
 * @param samples draws from q(z0 | x) beside the posterior mean (latent ODE only)
 * @param seed    the draws' seed
 */
record SeriesPredictor(ModelDirectory.EncodedModel encoded, PredictionTimes times, int samples, long seed)
        implements FlatMapFunction<SeriesBlock, Row> {

    /** The block's rows, series by series (each solved when its rows are wanted), each in time order. */
    @Override
    public Iterator<Row> call(SeriesBlock block) throws ModelFormatException {
        SavedSeries model = ModelDirectory.decodeSeries(encoded, "prediction task");
        return IntStream.range(0, block.series()).boxed()
                .flatMap(s -> rows(model, block, s, times, samples, seed).stream()).iterator();
    }

    /** The rows of series s of {@code block}: by sample (a latent ODE), then in time order. */
    static List<Row> rows(SavedSeries model, SeriesBlock block, int s, PredictionTimes times, int samples,
                          long seed) {
        double[] at = times.of(block, s);
        double t0 = block.times()[block.offsets()[s]];
        List<Row> rows = new ArrayList<>();
        if (model instanceof SavedTrajectory t) {
            int d = block.d();
            int first = block.offsets()[s];
            double[] y0 = Arrays.copyOfRange(block.values(), first * d, first * d + d);
            addRows(rows, block.ids().get(s), at, null, flatten(trajectory(t, y0, t0, at)), d);
            return rows;
        }
        SavedLatent latent = (SavedLatent) model;
        double[] rel = fromStart(at, t0);
        boolean shifted = rel.length > at.length;
        for (int k = 0; k <= samples; k++) {
            long drawSeed = Seeds.derive(seed, Seeds.NOISE, block.ids().get(s).hashCode(), k);
            double[] x = latent.model().reconstruct(latent.weights(), block.whole(s, s + 1), rel, k > 0, drawSeed)[0];
            int d = latent.columns().size();
            addRows(rows, block.ids().get(s), at, k, shifted ? Arrays.copyOfRange(x, d, x.length) : x, d);
        }
        return rows;
    }

    /** One row per time: series, time, the sample's number (when not null), then d values. */
    private static void addRows(List<Row> rows, String id, double[] at, Integer sample, double[] values, int d) {
        int lead = sample == null ? 2 : 3;
        for (int i = 0; i < at.length; i++) {
            Object[] row = new Object[lead + d];
            row[0] = id;
            row[1] = at[i];
            if (sample != null) {
                row[2] = sample;
            }
            for (int c = 0; c < d; c++) {
                row[lead + c] = values[i * d + c];
            }
            rows.add(RowFactory.create(row));
        }
    }

    /** The times relative to t0, with 0 first (prepended when {@code at} starts later). */
    private static double[] fromStart(double[] at, double t0) {
        boolean fromStart = at[0] == t0;
        double[] rel = new double[fromStart ? at.length : at.length + 1];
        for (int i = 0; i < at.length; i++) {
            rel[fromStart ? i : i + 1] = at[i] - t0;
        }
        return rel;
    }

    private static double[] flatten(double[][] states) {
        int d = states[0].length;
        double[] out = new double[states.length * d];
        for (int i = 0; i < states.length; i++) {
            System.arraycopy(states[i], 0, out, i * d, d);
        }
        return out;
    }

    /** The states at {@code at} (increasing, none before t0) of the trajectory through y0 at t0. */
    private static double[][] trajectory(SavedTrajectory model, double[] y0, double t0, double[] at) {
        boolean fromStart = at[0] == t0;
        double[] solveAt = fromStart ? at : new double[at.length + 1];
        if (!fromStart) {
            solveAt[0] = t0;
            System.arraycopy(at, 0, solveAt, 1, at.length);
        }
        double[][] states = solveAt.length == 1 ? new double[][] {y0} : model.predict(y0, solveAt);
        return fromStart ? states : Arrays.copyOfRange(states, 1, states.length);
    }
}
