package dev.odeflow.jobs.ml;

import dev.odeflow.driver.data.SeriesBlock;
import dev.odeflow.jobs.model.ModelDirectory;
import dev.odeflow.jobs.model.ModelFormatException;
import dev.odeflow.jobs.model.SavedTrajectory;
import dev.odeflow.jobs.model.TrajectoryModelJson;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * One partition's predictions: every series of its block solved from its first observation with the model's
 * evaluation solver, one row (series, time, the d predicted values) per time {@link PredictionTimes} gives. The
 * model travels in its exact (F64) model-directory encoding.
 *
 * @param encoded the model's two files
 * @param times   when each series is predicted
 */
record SeriesPredictor(ModelDirectory.EncodedModel encoded, PredictionTimes times)
        implements FlatMapFunction<SeriesBlock, Row> {

    /** The block's rows, series by series (each solved when its rows are wanted), each in time order. */
    @Override
    public Iterator<Row> call(SeriesBlock block) throws ModelFormatException {
        SavedTrajectory model = TrajectoryModelJson.decode(encoded, "prediction task");
        return IntStream.range(0, block.series()).boxed()
                .flatMap(s -> rows(model, block, s, times).stream()).iterator();
    }

    /** The rows of series s of {@code block}, in time order. */
    static List<Row> rows(SavedTrajectory model, SeriesBlock block, int s, PredictionTimes times) {
        int d = block.d();
        int first = block.offsets()[s];
        double[] y0 = Arrays.copyOfRange(block.values(), first * d, first * d + d);
        double[] at = times.of(block, s);
        double[][] states = trajectory(model, y0, block.times()[first], at);
        List<Row> rows = new ArrayList<>(at.length);
        for (int i = 0; i < at.length; i++) {
            Object[] row = new Object[2 + d];
            row[0] = block.ids().get(s);
            row[1] = at[i];
            for (int c = 0; c < d; c++) {
                row[2 + c] = states[i][c];
            }
            rows.add(RowFactory.create(row));
        }
        return rows;
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
