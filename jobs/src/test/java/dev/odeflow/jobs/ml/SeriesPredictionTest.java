package dev.odeflow.jobs.ml;

import dev.odeflow.jobs.model.SavedLatent;
import dev.odeflow.jobs.model.SavedTrajectory;
import dev.odeflow.jobs.model.SeriesLayout;
import dev.odeflow.kernels.dynamics.Activation;
import dev.odeflow.kernels.gradient.AdjointOptions;
import dev.odeflow.kernels.gradient.GradientMethod;
import dev.odeflow.kernels.latent.LatentArchitecture;
import dev.odeflow.kernels.latent.LatentDynamics;
import dev.odeflow.kernels.latent.LatentOdeModel;
import dev.odeflow.kernels.solver.Method;
import dev.odeflow.kernels.solver.SolverConfig;
import dev.odeflow.kernels.trajectory.InputTransform;
import dev.odeflow.kernels.trajectory.MlpField;
import dev.odeflow.kernels.trajectory.TrajectoryLoss;
import dev.odeflow.kernels.trajectory.TrajectoryModel;
import dev.odeflow.kernels.trajectory.Windows;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Predictions on Spark: series whole in one partition each, several partitions, the model's own trajectories, a
 * latent ODE's posterior mean and draws.
 */
class SeriesPredictionTest {

    static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = SparkSession.builder().master("local[3]").appName("SeriesPredictionTest")
                .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "3").getOrCreate();
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    /** A nonlinear field (tanh on y³) with seeded weights. */
    private static SavedTrajectory model() {
        MlpField field = new MlpField(2, new int[] {8}, Activation.TANH, InputTransform.CUBE);
        TrajectoryModel m = new TrajectoryModel(field, TrajectoryLoss.L1, SolverConfig.fixedSteps(Method.RK4, 1),
                SolverConfig.adaptive(Method.DOPRI5, 1e-8, 1e-10), GradientMethod.BACKSOLVE_ADJOINT,
                new AdjointOptions(1e-6, 1e-7, false));
        return new SavedTrajectory(m, field.initialParameters(3), List.of("u", "v"), new SeriesLayout("name", "at", 0));
    }

    /** 12 series of 2 to 6 observations at irregular times, in shuffled row order. */
    private static Dataset<Row> table(Map<String, double[][]> series) {
        Random rng = new Random(7);
        List<Row> rows = new ArrayList<>();
        for (int s = 0; s < 12; s++) {
            int n = 2 + rng.nextInt(5);
            double[][] obs = new double[n][];
            double t = rng.nextDouble();
            for (int i = 0; i < n; i++) {
                obs[i] = new double[] {t, rng.nextGaussian(), rng.nextGaussian()};
                rows.add(RowFactory.create("s" + s, t, obs[i][1], obs[i][2]));
                t += 0.1 + rng.nextDouble();
            }
            series.put("s" + s, obs);
        }
        Collections.shuffle(rows, rng);
        StructType schema = new StructType().add("name", DataTypes.StringType).add("at", DataTypes.DoubleType)
                .add("u", DataTypes.DoubleType).add("v", DataTypes.DoubleType);
        return spark.createDataFrame(rows, schema).repartition(2);
    }

    @Test
    void everyPartitionPredictsWholeSeriesAsTheModelDoes() {
        SavedTrajectory model = model();
        Map<String, double[][]> series = new HashMap<>();
        Dataset<Row> df = table(series);
        try (SeriesPrediction.Predictions p = SeriesPrediction.predict(df, "memory", false, model,
                new PredictionTimes.Observed(), 0, 0)) {
            assertEquals(List.of("name", "at", "pred_u", "pred_v"), List.of(p.table().columns()));
            assertEquals(3, p.table().rdd().getNumPartitions());
            Dataset<Row> placed = p.table().withColumn("part", functions.spark_partition_id());
            assertEquals(12, placed.groupBy("name").agg(functions.countDistinct("part").as("parts"))
                    .filter("parts = 1").count(), "each series in one partition");
            assertTrue(placed.select("part").distinct().count() > 1, "the series are spread over partitions");
            List<Row> rows = p.table().collectAsList();
            assertEquals(p.rows(), rows.size());
            assertEquals(series.values().stream().mapToInt(o -> o.length).sum(), rows.size());
            for (Map.Entry<String, double[][]> e : series.entrySet()) {
                double[][] obs = e.getValue();
                double[] times = java.util.Arrays.stream(obs).mapToDouble(o -> o[0]).toArray();
                double[][] expected = model.predict(new double[] {obs[0][1], obs[0][2]}, times);
                List<Row> mine = rows.stream().filter(r -> r.getString(0).equals(e.getKey())).toList();
                assertEquals(times.length, mine.size(), e.getKey());
                for (int i = 0; i < times.length; i++) {
                    assertEquals(times[i], mine.get(i).getDouble(1), 0.0, e.getKey());
                    assertArrayEquals(expected[i], new double[] {mine.get(i).getDouble(2), mine.get(i).getDouble(3)},
                            1e-12, e.getKey() + " at " + times[i]);
                }
            }
        }
    }

    /** A latent ODE with seeded weights, its series named as in {@link #table}. */
    private static SavedLatent latent() {
        LatentArchitecture arch = new LatentArchitecture(2, 3, 6, new int[] {8}, new int[] {5}, Activation.ELU,
                LatentDynamics.ODE);
        LatentOdeModel m = new LatentOdeModel(arch, 0.3, 0.5, SolverConfig.fixedSteps(Method.RK4, 1),
                SolverConfig.adaptive(Method.DOPRI5, 1e-8, 1e-10), GradientMethod.BACKSOLVE_ADJOINT,
                new AdjointOptions(1e-6, 1e-7, false));
        return new SavedLatent(m, arch.initialParameters(4), List.of("u", "v"), new SeriesLayout("name", "at", 0));
    }

    @Test
    void aLatentOdeGivesThePosteriorMeanAndSeededDrawsWhateverThePartitioning() {
        SavedLatent model = latent();
        Map<String, double[][]> series = new HashMap<>();
        Dataset<Row> df = table(series);
        PredictionTimes at = new PredictionTimes.Given(new double[] {2, 3, 4.5});
        List<Row> spread;
        List<Row> together;
        try (SeriesPrediction.Predictions p = SeriesPrediction.predict(df, "memory", false, model, at, 2, 9)) {
            assertEquals(List.of("name", "at", "sample", "pred_u", "pred_v"), List.of(p.table().columns()));
            spread = p.table().collectAsList();
            assertEquals(p.rows(), spread.size());
            assertEquals(12 * 3 * 3, spread.size());
        }
        try (SeriesPrediction.Predictions p = SeriesPrediction.predict(df.repartition(1), "memory", false, model, at,
                2, 9)) {
            together = p.table().collectAsList();
        }
        assertEquals(new java.util.HashSet<>(spread), new java.util.HashSet<>(together),
                "the draws do not depend on the partitioning");
        for (Map.Entry<String, double[][]> e : series.entrySet()) {
            double[][] obs = e.getValue();
            if (obs[0][0] > 2) {
                continue;
            }
            double t0 = obs[0][0];
            double[] rel = new double[obs.length];
            double[] values = new double[2 * obs.length];
            for (int i = 0; i < obs.length; i++) {
                rel[i] = obs[i][0] - t0;
                values[2 * i] = obs[i][1];
                values[2 * i + 1] = obs[i][2];
            }
            Windows one = new Windows(2, new int[] {0, obs.length}, rel, values);
            double[] mean = model.model().reconstruct(model.weights(), one, new double[] {0, 2 - t0, 3 - t0,
                4.5 - t0}, false, 0)[0];
            List<Row> mine = spread.stream().filter(r -> r.getString(0).equals(e.getKey())).toList();
            List<Row> meanRows = mine.stream().filter(r -> r.getInt(2) == 0).toList();
            assertEquals(3, meanRows.size(), e.getKey());
            for (int k = 0; k < 3; k++) {
                assertArrayEquals(new double[] {mean[2 * (k + 1)], mean[2 * (k + 1) + 1]},
                        new double[] {meanRows.get(k).getDouble(3), meanRows.get(k).getDouble(4)}, 1e-12,
                        e.getKey() + " at " + meanRows.get(k).getDouble(1));
            }
            Row draw = mine.stream().filter(r -> r.getInt(2) == 1).findFirst().orElseThrow();
            assertTrue(draw.getDouble(3) != meanRows.get(0).getDouble(3), "a draw is not the mean");
        }
    }

    @Test
    void timesAreAListOrAnEvenGrid() {
        assertArrayEquals(new double[] {0, 0.25, 0.5, 0.75, 1},
                ((PredictionTimes.Given) PredictionTimes.parse("0:1:5")).times(), 1e-15);
        assertEquals(0.3, ((PredictionTimes.Given) PredictionTimes.parse("0.1:0.3:3")).times()[2], 0.0,
                "the grid ends at stop exactly");
        assertArrayEquals(new double[] {1, 2.5}, ((PredictionTimes.Given) PredictionTimes.parse(" 1, 2.5 "))
                .times(), 0.0);
        assertThrows(IllegalArgumentException.class, () -> PredictionTimes.parse("1,NaN"));
        assertThrows(IllegalArgumentException.class, () -> PredictionTimes.parse("2:1:4"));
    }
}
