package dev.odeflow.driver.data;

import dev.odeflow.driver.SparkTestSession;
import dev.odeflow.driver.conf.TrainConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Long time-series tables read into whole-series blocks, and the errors bad ones get. */
class SeriesDataTest {

    private static SeriesData load(Path file, String... more) {
        List<String> o = new ArrayList<>(List.of("model.kind=trajectory", "data=" + file, "data.splits=1,0,0",
                "model.window=3", "partitions=2", "seed=4"));
        o.addAll(List.of(more));
        TrainConfig cfg = TrainConfig.fromOverrides(o.toArray(String[]::new));
        return SeriesData.load(SparkTestSession.get(), cfg.data(), cfg.trajectory(), cfg.partitions(), cfg.seed());
    }

    private static Path csv(Path dir, String... lines) throws Exception {
        Path f = dir.resolve("series.csv");
        Files.write(f, List.of(lines));
        return f;
    }

    @Test
    void irregularSeriesInAnyRowOrderAreKeptWholeAndSortedByTime(@TempDir Path dir) throws Exception {
        Path f = csv(dir, "series,t,x,y", "b,0.5,5,50", "a,0.0,1,10", "b,0.0,4,40", "a,0.3,2,20", "b,2.0,6,60",
                "a,1.1,3,30", "b,2.5,7,70", "c,1,8,80", "c,4,9,90");
        SeriesData d = load(f);
        try {
            assertEquals(List.of("x", "y"), d.columns());
            assertArrayEquals(new long[] {3, 0, 0}, d.series());
            List<SeriesBlock> blocks = d.train().collect();
            int windows = 0;
            for (SeriesBlock b : blocks) {
                for (int s = 0; s < b.series(); s++) {
                    String id = b.ids().get(s);
                    double[] t = java.util.Arrays.copyOfRange(b.times(), b.offsets()[s], b.offsets()[s + 1]);
                    double[] expected = switch (id) {
                        case "a" -> new double[] {0, 0.3, 1.1};
                        case "b" -> new double[] {0, 0.5, 2.0, 2.5};
                        default -> new double[] {1, 4};
                    };
                    assertArrayEquals(expected, t, id);
                    assertEquals(10 * b.values()[2 * b.offsets()[s]], b.values()[2 * b.offsets()[s] + 1], id);
                }
                windows += b.units();
            }
            assertEquals(1 + 2 + 1, windows, "a: 1 window of 3, b: 2 of 3, c (2 observations): 1 of its own length");
            assertEquals(windows, java.util.Arrays.stream(d.trainWindows()).sum());
        } finally {
            d.unpersist();
        }
    }

    @Test
    void parquetTablesAreReadThroughSparkSql(@TempDir Path dir) {
        Path p = dir.resolve("s.parquet");
        SparkTestSession.get().sql("SELECT * FROM VALUES ('u', 0.0D, 1.0D), ('u', 1.0D, 2.0D), ('v', 0.0D, 3.0D),"
                + " ('v', 0.5D, 4.0D) AS tab(id, time, value)").write().parquet(p.toString());
        SeriesData d = load(p, "data.series=id", "data.time=time");
        try {
            assertEquals(List.of("value"), d.columns());
            assertArrayEquals(new long[] {2, 0, 0}, d.series());
        } finally {
            d.unpersist();
        }
    }

    @Test
    void nonIncreasingTimesNameTheFileTheSeriesAndTheTime(@TempDir Path dir) throws Exception {
        Path f = csv(dir, "series,t,x", "a,0,1", "a,1.5,2", "s7,0,1", "s7,1.5,2", "s7,1.5,3");
        DataException e = assertThrows(DataException.class, () -> load(f));
        assertTrue(e.getMessage().startsWith(f.toString()) && e.getMessage().contains("series 's7'")
                && e.getMessage().contains("t = 1.5") && e.getMessage().contains("do not increase"), e.getMessage());
    }

    @Test
    void aSeriesWithOneObservationIsNamed(@TempDir Path dir) throws Exception {
        Path f = csv(dir, "series,t,x", "a,0,1", "a,1,2", "lonely,3.25,1");
        DataException e = assertThrows(DataException.class, () -> load(f));
        assertTrue(e.getMessage().startsWith(f.toString()) && e.getMessage().contains("series 'lonely' has 1"
                + " observation (at t = 3.25)"), e.getMessage());
    }

    @Test
    void missingValuesAreMaskedAndWindowsStartAtCompleteObservations(@TempDir Path dir) throws Exception {
        Path f = csv(dir, "series,t,x,y", "c,0,1,1", "c,1,,2", "c,2,3,3", "c,3,4,", "c,4,5,5");
        SeriesData data = load(f);
        try {
            SeriesBlock b = data.train().filter(x -> x.series() > 0).first();
            assertTrue(Double.isNaN(b.values()[2]) && Double.isNaN(b.values()[7]), "kept as NaN");
            assertEquals(2, b.units(), "windows of 3 start at the complete observations 0 and 2, not at 1");
            assertArrayEquals(new double[] {3, 3, 4, Double.NaN, 5, 5}, b.windows(new int[] {1}).values(), 0.0);
        } finally {
            data.unpersist();
        }
    }

    @Test
    void badValuesAndIncompleteStartsNameTheSeriesTimeAndColumn(@TempDir Path dir) throws Exception {
        Path text = csv(dir, "series,t,x,y", "a,0,1,1", "a,2.5,abc,1", "a,3,1,1");
        DataException e = assertThrows(DataException.class, () -> load(text));
        assertTrue(e.getMessage().startsWith(text.toString()) && e.getMessage().contains("series 'a' at t = 2.5:"
                + " column 'x' is not a number"), e.getMessage());
        Path nan = csv(dir, "series,t,x,y", "q,0,1,1", "q,1,1,NaN");
        DataException n = assertThrows(DataException.class, () -> load(nan));
        assertTrue(n.getMessage().contains("series 'q' at t = 1.0: column 'y' is NaN"), n.getMessage());
        Path empty = csv(dir, "series,t,x,y", "e,0,1,1", "e,1,,");
        DataException none = assertThrows(DataException.class, () -> load(empty));
        assertTrue(none.getMessage().contains("series 'e' at t = 1.0: every value ([x, y]) is missing"),
                none.getMessage());
        Path late = csv(dir, "series,t,x,y", "b,0,,1", "b,1,1,1", "b,2,1,1");
        DataException start = assertThrows(DataException.class, () -> load(late));
        assertTrue(start.getMessage().contains("series 'b' at t = 0.0: its first observation misses [x]"),
                start.getMessage());
    }

    @Test
    void missingOrMismatchedColumnsAreNamed(@TempDir Path dir) throws Exception {
        Path f = csv(dir, "id,t,x", "a,0,1", "a,1,2");
        DataException noSeries = assertThrows(DataException.class, () -> load(f));
        assertTrue(noSeries.getMessage().startsWith(f.toString()) && noSeries.getMessage().contains(
                "no column 'series' (data.series); the table has columns [id, t, x]"), noSeries.getMessage());
        DataException noValue = assertThrows(DataException.class, () -> load(f, "data.series=id",
                "data.columns=x,z"));
        assertTrue(noValue.getMessage().contains("no column 'z' (data.columns)"), noValue.getMessage());
    }

    @Test
    void aSplitWithoutSeriesIsAnError(@TempDir Path dir) throws Exception {
        Path f = csv(dir, "series,t,x", "a,0,1", "a,1,2");
        DataException e = assertThrows(DataException.class, () -> load(f, "data.splits=0.5,0.5,0"));
        assertTrue(e.getMessage().contains("has none of the 1 series"), e.getMessage());
    }

    @Test
    void theSpiralIsOdeDemosData() {
        SeriesBlock b = SpiralSeries.block(1000, 10);
        assertEquals(991, b.units());
        assertEquals(25.0, b.times()[999], 0.0);
        assertArrayEquals(new double[] {2, 0}, java.util.Arrays.copyOf(b.values(), 2), 0.0);
        // dy/dt = (y^3)A with y a row vector: at (2, 0), 8 times A's first row
        assertArrayEquals(new double[] {-0.8, 16}, SpiralSeries.velocity(new double[] {2, 0}), 1e-15);
        // and along the data, central differences of the observations follow the field
        for (int k : new int[] {100, 500, 900}) {
            double h = b.times()[k + 1] - b.times()[k];
            double[] v = SpiralSeries.velocity(new double[] {b.values()[2 * k], b.values()[2 * k + 1]});
            for (int c = 0; c < 2; c++) {
                double fd = (b.values()[2 * (k + 1) + c] - b.values()[2 * (k - 1) + c]) / (2 * h);
                assertEquals(v[c], fd, 0.03 * Math.max(1, Math.abs(v[c])));
            }
        }
    }

    @Test
    void theDelayEmbeddingPairsEachObservationWithTheOneKBefore(@TempDir Path dir) throws Exception {
        Path f = csv(dir, "series,t,x", "a,0,1", "a,1,2", "a,2.5,3", "a,3,4", "b,0,10", "b,2,20", "b,3,30");
        SeriesData d = load(f, "data.delay=1");
        try {
            assertEquals(List.of("x(t-1)", "x"), d.columns());
            for (SeriesBlock b : d.train().collect()) {
                assertEquals(2, b.d());
                for (int s = 0; s < b.series(); s++) {
                    int from = b.offsets()[s];
                    int to = b.offsets()[s + 1];
                    double[] t = java.util.Arrays.copyOfRange(b.times(), from, to);
                    double[] v = java.util.Arrays.copyOfRange(b.values(), 2 * from, 2 * to);
                    if (b.ids().get(s).equals("a")) {
                        assertArrayEquals(new double[] {1, 2.5, 3}, t, "a keeps its own times, less the first");
                        assertArrayEquals(new double[] {1, 2, 2, 3, 3, 4}, v, "a: (x_{j-1}, x_j)");
                    } else {
                        assertArrayEquals(new double[] {2, 3}, t);
                        assertArrayEquals(new double[] {10, 20, 20, 30}, v);
                    }
                }
            }
        } finally {
            d.unpersist();
        }
        DataException e = assertThrows(DataException.class, () -> load(f, "data.delay=2"));
        assertTrue(e.getMessage().contains(f.toString()) && e.getMessage().contains("series 'b' has 3 observations")
                && e.getMessage().contains("data.delay = 2") && e.getMessage().contains("leaves 1"), e.getMessage());
    }

    @Test
    void thePendulumIsObservedThroughItsAngleAlone() {
        SeriesBlock b = PendulumSeries.block(200, 10, 3);
        assertEquals(PendulumSeries.COUNT, b.series());
        assertEquals(1, b.d());
        assertEquals(PendulumSeries.END_TIME, b.times()[199], 0.0);
        // theta'' = -sin(theta): second differences of every series' observations follow it
        double h = b.times()[1] - b.times()[0];
        for (int s = 0; s < b.series(); s++) {
            int o = b.offsets()[s];
            for (int k = 1; k < 199; k += 37) {
                double th = b.values()[o + k];
                double second = (b.values()[o + k + 1] - 2 * th + b.values()[o + k - 1]) / (h * h);
                assertEquals(-Math.sin(th), second, 2e-3, b.ids().get(s) + " at t = " + b.times()[o + k]);
            }
        }
        assertArrayEquals(b.values(), PendulumSeries.block(200, 10, 3).values(), "the same seed, the same series");
    }

    @Test
    void theBiSpiralsAreLatentOdePysNoisyIrregularSpirals() {
        SeriesBlock b = BiSpiralSeries.block(60, 10, 5);
        assertEquals(60, b.series());
        assertEquals(2, b.d());
        double dt = 6 * Math.PI / 499;
        double residual = 0;
        long values = 0;
        int cc = 0;
        for (int s = 0; s < b.series(); s++) {
            int o = b.offsets()[s];
            assertEquals(80, b.length(s), b.ids().get(s));
            assertEquals(0, b.times()[o], 0.0, "every series starts at its first sample");
            int early = 0;
            for (int k = 0; k < 80; k++) {
                early += b.times()[o + k] < 49.5 * dt ? 1 : 0;
                if (k >= 30) {
                    assertEquals((50 + k - 30) * dt, b.times()[o + k], 1e-12, "the second half is kept whole");
                }
            }
            assertEquals(30, early, "30 points of the first half");
            boolean counter = b.ids().get(s).endsWith("-cc");
            cc += counter ? 1 : 0;
            // The clean spiral through the best start index (latent_ode.py's formulas, written out here): what is
            // left is the N(0, 0.3²) noise.
            double best = Double.POSITIVE_INFINITY;
            for (int start = 100; start < 400; start++) {
                double sum = 0;
                for (int k = 0; k < 80; k++) {
                    double t = (start + Math.round(b.times()[o + k] / dt)) * dt;
                    double z = counter ? t : 6 * Math.PI + 1 - t;
                    double r = counter ? 0.3 * z : 0.3 * 50 / z;
                    double ex = b.values()[2 * (o + k)] - (r * Math.cos(z) + (counter ? 5 : -5));
                    double ey = b.values()[2 * (o + k) + 1] - r * Math.sin(z);
                    sum += ex * ex + ey * ey;
                }
                best = Math.min(best, sum);
            }
            residual += best;
            values += 160;
        }
        assertEquals(0.3, Math.sqrt(residual / values), 0.02, "the noise level");
        assertTrue(cc > 15 && cc < 45, cc + " of 60 counter-clockwise");
        assertArrayEquals(b.values(), BiSpiralSeries.block(60, 10, 5).values(), "the same seed, the same series");
    }
}
