package dev.odeflow.jobs.cli;

import dev.odeflow.jobs.OdeflowCli;
import dev.odeflow.jobs.OdeflowCliTest;
import dev.odeflow.jobs.model.DecayModels;
import dev.odeflow.jobs.model.SeriesLayout;
import dev.odeflow.jobs.model.TensorDtype;
import dev.odeflow.jobs.model.TestModels;
import dev.odeflow.jobs.model.TinyFlows;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code odeflow predict} end to end on small tables, with models whose trajectories are known exactly
 * ({@link DecayModels}: y(t) = y(t0)·exp(−a (t − t0))).
 */
class PredictCommandTest {

    private static final double RATE = 0.7;
    private static final double TOLERANCE = 1e-7;

    @TempDir
    static Path tmp;
    static Path decay;

    @BeforeAll
    static void writeModel() throws Exception {
        decay = tmp.resolve("decay");
        DecayModels.write(decay, DecayModels.decay(RATE, List.of("x", "y"), SeriesLayout.DEFAULT));
    }

    @AfterAll
    static void stopSpark() {
        SparkSession.getActiveSession().foreach(s -> {
            s.stop();
            return null;
        });
    }

    private static Path csv(String name, String... lines) throws Exception {
        Path p = tmp.resolve(name);
        Files.write(p, List.of(lines));
        return p;
    }

    private static OdeflowCliTest.Result predict(Path model, Path input, Path output, String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("predict", "--model", model.toString(), "--input",
                input.toString(), "--output", output.toString()));
        args.addAll(List.of(more));
        return OdeflowCliTest.run(args.toArray(String[]::new));
    }

    /** The rows of a single CSV file, without its header. */
    private static List<String[]> rows(Path file) throws Exception {
        return Files.readAllLines(file).stream().skip(1).map(l -> l.split(",")).toList();
    }

    /** Series a from (1, −2) at t = 0 and b from (0.5, 3) at t = 2; later values never matter. */
    private static Path twoSeries() throws Exception {
        return csv("two.csv", "series,t,x,y", "b,3.0,9,9", "a,0.5,7,7", "a,0,1,-2", "b,2,0.5,3", "a,1.25,8,8",
                "b,2.25,6,6");
    }

    private static double[] start(String series) {
        return series.equals("a") ? new double[] {0, 1, -2} : new double[] {2, 0.5, 3};
    }

    @Test
    void eachSeriesIsPredictedFromItsFirstObservationAtItsOwnTimes() throws Exception {
        Path out = tmp.resolve("own.csv");
        OdeflowCliTest.Result r = predict(decay, twoSeries(), out, "--single-file");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("wrote 6 rows") && r.out().contains("[series, t, pred_x, pred_y]"), r.out());
        assertEquals("series,t,pred_x,pred_y", Files.readAllLines(out).get(0));
        List<String[]> rows = rows(out);
        assertEquals(List.of("a:0.0", "a:0.5", "a:1.25", "b:2.0", "b:2.25", "b:3.0"),
                rows.stream().map(c -> c[0] + ":" + Double.parseDouble(c[1])).sorted().toList());
        for (String[] c : rows) {
            double[] s = start(c[0]);
            double t = Double.parseDouble(c[1]);
            assertEquals(DecayModels.exact(RATE, s[1], s[0], t), Double.parseDouble(c[2]), TOLERANCE, c[0] + " " + t);
            assertEquals(DecayModels.exact(RATE, s[2], s[0], t), Double.parseDouble(c[3]), TOLERANCE, c[0] + " " + t);
        }
    }

    @Test
    void givenTimesApplyToEverySeriesAndAOneObservationSeriesIsAStartingPoint() throws Exception {
        Path in = csv("grid.csv", "series,t,x,y", "a,0,1,-2", "a,0.5,7,7", "b,2,0.5,3", "b,2.25,6,6",
                "lonely,1,-4,0.25");
        Path out = tmp.resolve("grid.csv.out");
        OdeflowCliTest.Result r = predict(decay, in, out, "--times", "2:4:5", "--output-format", "csv",
                "--single-file");
        assertEquals(0, r.code(), r.err());
        List<String[]> rows = rows(out);
        assertEquals(15, rows.size());
        double[] grid = {2, 2.5, 3, 3.5, 4};
        for (String id : List.of("a", "b", "lonely")) {
            double[] s = id.equals("lonely") ? new double[] {1, -4, 0.25} : start(id);
            List<String[]> mine = rows.stream().filter(c -> c[0].equals(id)).toList();
            assertEquals(grid.length, mine.size(), id);
            for (int i = 0; i < grid.length; i++) {
                String[] c = mine.get(i);
                assertEquals(grid[i], Double.parseDouble(c[1]), 0.0, id);
                assertEquals(DecayModels.exact(RATE, s[1], s[0], grid[i]), Double.parseDouble(c[2]), TOLERANCE, id);
                assertEquals(DecayModels.exact(RATE, s[2], s[0], grid[i]), Double.parseDouble(c[3]), TOLERANCE, id);
            }
        }
    }

    @Test
    void aListOfTimesWritesParquetPartFilesInParallel() throws Exception {
        Path out = tmp.resolve("list.parquet");
        OdeflowCliTest.Result r = predict(decay, twoSeries(), out, "--times", "2.5, 3,4.75");
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.isDirectory(out) && Files.exists(out.resolve("_SUCCESS")), r.out());
        List<Row> rows = SparkSession.active().read().parquet(out.toString()).collectAsList();
        assertEquals(6, rows.size());
        for (Row row : rows) {
            double[] s = start(row.getString(0));
            double t = row.getDouble(1);
            assertTrue(t == 2.5 || t == 3 || t == 4.75, "t = " + t);
            assertEquals(DecayModels.exact(RATE, s[1], s[0], t), row.getDouble(row.fieldIndex("pred_x")), TOLERANCE);
            assertEquals(DecayModels.exact(RATE, s[2], s[0], t), row.getDouble(row.fieldIndex("pred_y")), TOLERANCE);
        }
    }

    @Test
    void aTimeBeforeASeriesStartsIsAnErrorNamingTheSeries() throws Exception {
        OdeflowCliTest.Result r = predict(decay, twoSeries(), tmp.resolve("early.csv"), "--times", "1,2,3");
        assertEquals(OdeflowCli.FAILED, r.code(), r.err());
        assertTrue(r.err().contains("two.csv: series 'b' starts at t = 2.0, after the first time to predict it at,"
                + " 1.0"), r.err());
        assertTrue(!Files.exists(tmp.resolve("early.csv")), "nothing is written");
    }

    @Test
    void aDelayModelPredictsItsEmbeddingFromTheFirstEmbeddedObservation() throws Exception {
        Path model = tmp.resolve("delayed");
        DecayModels.write(model, DecayModels.decay(RATE, List.of("v(t-2)", "v"), new SeriesLayout("id", "time", 2)));
        Path in = csv("delayed.csv", "id,time,v", "s,0,1", "s,0.5,5", "s,1,2", "s,1.5,6", "s,2.5,7");
        Path out = tmp.resolve("delayed.parquet");
        OdeflowCliTest.Result r = predict(model, in, out);
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("[id, time, pred_v(t-2), pred_v]"), r.out());
        List<Row> rows = SparkSession.active().read().parquet(out.toString()).orderBy("time").collectAsList();
        // the first embedded observation is (v(0), v(1)) = (1, 2) at t = 1, then t = 1.5 and 2.5
        assertEquals(List.of(1.0, 1.5, 2.5), rows.stream().map(row -> row.getDouble(1)).toList());
        for (Row row : rows) {
            double t = row.getDouble(1);
            assertEquals(DecayModels.exact(RATE, 1, 1, t), row.getDouble(2), TOLERANCE, "v(t-2) at " + t);
            assertEquals(DecayModels.exact(RATE, 2, 1, t), row.getDouble(3), TOLERANCE, "v at " + t);
        }
        Path tooShort = csv("short.csv", "id,time,v", "s,0,1", "s,1,2", "s,2,3", "q,0,1", "q,1,2");
        OdeflowCliTest.Result e = predict(model, tooShort, tmp.resolve("short.out.csv"));
        assertEquals(OdeflowCli.FAILED, e.code(), e.err());
        assertTrue(e.err().contains("short.csv: series 'q' has 2 observations; the delay embedding (data.delay = 2)"
                + " leaves 0, and a series needs at least 1"), e.err());
    }

    @Test
    void badInputIsNamedWithTheFileTheSeriesTheTimeAndTheColumn() throws Exception {
        OdeflowCliTest.Result noColumn = predict(decay, csv("nocol.csv", "series,t,x", "a,0,1", "a,1,2"),
                tmp.resolve("o1.csv"));
        assertEquals(OdeflowCli.FAILED, noColumn.code());
        assertTrue(noColumn.err().contains("nocol.csv: no column 'y'") && noColumn.err().contains(
                "the table has columns [series, t, x]"), noColumn.err());
        OdeflowCliTest.Result noSeries = predict(decay, csv("noseries.csv", "id,t,x,y", "a,0,1,1"),
                tmp.resolve("o2.csv"));
        assertTrue(noSeries.err().contains("noseries.csv: no column 'series'"), noSeries.err());
        OdeflowCliTest.Result repeated = predict(decay, csv("repeat.csv", "series,t,x,y", "a,0,1,1", "s7,0,1,1",
                "s7,1.5,2,2", "s7,1.5,3,3"), tmp.resolve("o3.csv"));
        assertEquals(OdeflowCli.FAILED, repeated.code());
        assertTrue(repeated.err().contains("repeat.csv: series 's7': the times do not increase: two observations at"
                + " t = 1.5 (column 't')"), repeated.err());
        OdeflowCliTest.Result nan = predict(decay, csv("nan.csv", "series,t,x,y", "q,0,1,1", "q,1,1,NaN"),
                tmp.resolve("o4.csv"));
        assertTrue(nan.err().contains("nan.csv: series 'q' at t = 1.0: column 'y' is NaN"), nan.err());
        OdeflowCliTest.Result text = predict(decay, csv("text.csv", "series,t,x,y", "q,0,1,1", "q,1,oops,1"),
                tmp.resolve("o5.csv"));
        assertTrue(text.err().contains("text.csv: series 'q' at t = 1.0: column 'x' is not a number"), text.err());
        OdeflowCliTest.Result start = predict(decay, csv("start.csv", "series,t,x,y", "q,0,,1", "q,1,1,1"),
                tmp.resolve("o6.csv"));
        assertEquals(OdeflowCli.FAILED, start.code());
        assertTrue(start.err().contains("start.csv: series 'q' at t = 0.0: its first observation misses [x]"),
                start.err());
    }

    @Test
    void aCnfModelIsRefusedAndScoreRefusesATrajectoryModel() throws Exception {
        Path cnf = tmp.resolve("cnf");
        TestModels.write(cnf, TinyFlows.twoD(3), TensorDtype.F64);
        OdeflowCliTest.Result r = predict(cnf, twoSeries(), tmp.resolve("cnf.csv"));
        assertEquals(OdeflowCli.FAILED, r.code());
        assertTrue(r.err().contains("not a trajectory model but a CNF (format 'odeflow-cnf')")
                && r.err().contains("model.kind = trajectory"), r.err());
        OdeflowCliTest.Result score = OdeflowCliTest.run("score", "--model", decay.toString(), "--input",
                twoSeries().toString(), "--output", tmp.resolve("scored.csv").toString());
        assertEquals(OdeflowCli.FAILED, score.code());
        assertTrue(score.err().contains("format is 'odeflow-trajectory', expected 'odeflow-cnf'; this is a"
                + " trajectory model"), score.err());
    }

    @Test
    void badTimesAreUsageErrors() throws Exception {
        Path in = twoSeries();
        for (String[] bad : new String[][] {{"0,1,1", "strictly increasing"}, {"0:1:1", "count >= 2"},
                {"0,x", "'x' is not a number"}, {"0:1", "start:stop:count"}}) {
            OdeflowCliTest.Result r = predict(decay, in, tmp.resolve("never.csv"), "--times", bad[0]);
            assertEquals(OdeflowCli.USAGE, r.code(), bad[0] + ": " + r.err());
            assertTrue(r.err().contains("predict: --times: ") && r.err().contains(bad[1]), r.err());
        }
        OdeflowCliTest.Result negative = predict(decay, in, tmp.resolve("never.csv"), "--samples", "-1");
        assertEquals(OdeflowCli.USAGE, negative.code(), negative.err());
        assertTrue(negative.err().contains("--samples must be an integer >= 0"), negative.err());
        OdeflowCliTest.Result draws = predict(decay, in, tmp.resolve("never.csv"), "--samples", "2");
        assertEquals(OdeflowCli.USAGE, draws.code(), draws.err());
        assertTrue(draws.err().contains("latent ODE") && draws.err().contains("is a trajectory model"), draws.err());
    }
}
