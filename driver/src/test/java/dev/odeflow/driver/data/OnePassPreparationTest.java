package dev.odeflow.driver.data;

import dev.odeflow.driver.SparkTestSession;
import dev.odeflow.driver.conf.TrainConfig;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 8, item 5: the one pass over a table (parse into segments, split and block without a shuffle) finds bad
 * rows anywhere in a multi-partition file, honours {@code partitions}, and gives blocks that depend only on the
 * rows and the seed: not on how Spark cut the files, nor on the format.
 */
class OnePassPreparationTest {

    private static final int ROWS = 5000;

    private static PreparedData load(String... overrides) {
        TrainConfig c = TrainConfig.fromOverrides(overrides);
        return PreparedData.load(SparkTestSession.get(), c.data(), c.partitions(), c.seed(), null, c.batchSize());
    }

    /** Loads with Spark's file splits at most {@code splitBytes} long (many input partitions when small). */
    private static PreparedData loadSplit(long splitBytes, String... overrides) {
        SparkSession spark = SparkTestSession.get();
        spark.conf().set("spark.sql.files.maxPartitionBytes", Long.toString(splitBytes));
        try {
            return load(overrides);
        } finally {
            spark.conf().unset("spark.sql.files.maxPartitionBytes");
        }
    }

    /** Rows (a, b, c) with at most 8 significant digits, so that CSV text and Parquet doubles are the same values. */
    private static double[][] table() {
        SplittableRandom r = new SplittableRandom(11);
        double[][] x = new double[ROWS][];
        for (int i = 0; i < ROWS; i++) {
            x[i] = new double[] {round(r.nextGaussian()), round(3 + 2 * r.nextGaussian()), i};
        }
        return x;
    }

    private static double round(double v) {
        return Double.parseDouble(String.format(Locale.ROOT, "%.8g", v));
    }

    private static Path csv(Path dir, double[][] x, int badFrom, String badLine) throws Exception {
        StringBuilder b = new StringBuilder("a,b,c\n");
        for (int i = 0; i < x.length; i++) {
            if (badFrom > 0 && i + 1 >= badFrom && i + 1 < badFrom + 3) {
                b.append(badLine).append('\n');
            } else {
                b.append(x[i][0]).append(',').append(x[i][1]).append(',').append(x[i][2]).append('\n');
            }
        }
        Path f = dir.resolve("t.csv");
        Files.writeString(f, b.toString());
        return f;
    }

    private static List<double[]> blocks(JavaRDD<DataBlock> rdd) {
        return rdd.collect().stream().map(DataBlock::rows).toList();
    }

    private static void assertSameBlocks(PreparedData a, PreparedData b) {
        assertEquals(a.sizes(), b.sizes());
        assertArrayEquals(a.trainRows(), b.trainRows());
        assertEquals(a.standardization(), b.standardization());
        for (int s = 0; s < 3; s++) {
            List<double[]> x = blocks(List.of(a.train(), a.val(), a.test()).get(s));
            List<double[]> y = blocks(List.of(b.train(), b.val(), b.test()).get(s));
            assertEquals(x.size(), y.size());
            for (int k = 0; k < x.size(); k++) {
                assertArrayEquals(x.get(k), y.get(k), 0.0, "split " + s + ", block " + k);
            }
        }
    }

    @Test
    void badRowsMidFileAcrossSplitsFailWithFileAndCountOrAreDropped(@TempDir Path dir) throws Exception {
        Path f = csv(dir, table(), 2600, "0.5,oops,7");
        DataException e = assertThrows(DataException.class, () -> loadSplit(4096, "data=" + f));
        assertTrue(e.getMessage().contains(f + ": 3 of 5000 rows have a value that is not numeric in columns [a, b, c]"
                + " (first: " + f + ": row 2600 (line 2601), column 'b' is 'oops')"), e.getMessage());
        PreparedData d = loadSplit(4096, "data=" + f, "data.nan=drop", "partitions=3", "data.standardize=false");
        try {
            assertEquals(ROWS - 3, d.sizes().total());
            for (JavaRDD<DataBlock> split : List.of(d.train(), d.val(), d.test())) {
                for (double[] b : blocks(split)) {
                    assertTrue(Arrays.stream(b).allMatch(Double::isFinite));
                }
            }
        } finally {
            d.unpersist();
        }
        Path nan = csv(dir, table(), 4000, "NaN,1,2");
        DataException m = assertThrows(DataException.class, () -> loadSplit(4096, "data=" + nan));
        assertTrue(m.getMessage().contains(nan + ": 3 rows have NaN or missing values in columns [a, b, c] (first: "
                + nan + ": row 4000 (line 4001), column 'a')"), m.getMessage());
    }

    @Test
    void partitionsAreHonouredWithBalancedBlocksHoldingEveryRowOnce(@TempDir Path dir) throws Exception {
        double[][] x = table();
        Path f = csv(dir, x, 0, "");
        for (String[] c : new String[][] {{"4096", "3"}, {"1000000", "7"}}) { // many splits into 3; 1 split into 7
            PreparedData d = loadSplit(Long.parseLong(c[0]), "data=" + f, "partitions=" + c[1],
                    "data.standardize=false");
            try {
                int p = Integer.parseInt(c[1]);
                List<Double> ids = new ArrayList<>();
                for (JavaRDD<DataBlock> split : List.of(d.train(), d.val(), d.test())) {
                    List<DataBlock> bs = split.collect();
                    assertEquals(p, bs.size());
                    int min = bs.stream().mapToInt(DataBlock::n).min().orElseThrow();
                    int max = bs.stream().mapToInt(DataBlock::n).max().orElseThrow();
                    assertTrue(max - min <= 1, "blocks of " + min + " to " + max + " rows");
                    for (DataBlock b : bs) {
                        for (int i = 0; i < b.n(); i++) {
                            assertArrayEquals(x[(int) b.rows()[i * 3 + 2]], Arrays.copyOfRange(b.rows(), i * 3,
                                    i * 3 + 3), 0.0);
                            ids.add(b.rows()[i * 3 + 2]);
                        }
                    }
                }
                assertEquals(ROWS, ids.size());
                assertEquals(ROWS, ids.stream().distinct().count());
                assertEquals(0.8 * ROWS, d.sizes().train(), 0.03 * ROWS);
            } finally {
                d.unpersist();
            }
        }
    }

    @Test
    void blocksDependOnTheRowsAndSeedOnlyNotOnFileSplitsOrFormat(@TempDir Path dir) throws Exception {
        double[][] x = table();
        Path f = csv(dir, x, 0, "");
        List<Row> rows = new ArrayList<>();
        for (double[] r : x) {
            rows.add(RowFactory.create(r[0], r[1], r[2]));
        }
        StructType schema = new StructType().add("a", DataTypes.DoubleType).add("b", DataTypes.DoubleType)
                .add("c", DataTypes.DoubleType);
        String parquet = dir.resolve("t.parquet").toString();
        SparkTestSession.get().createDataFrame(rows, schema).coalesce(1).write().parquet(parquet);
        PreparedData one = loadSplit(1_000_000, "data=" + f, "partitions=3", "seed=5");
        PreparedData many = loadSplit(4096, "data=" + f, "partitions=3", "seed=5");
        PreparedData pq = loadSplit(4096, "data=" + parquet, "partitions=3", "seed=5");
        PreparedData other = loadSplit(4096, "data=" + f, "partitions=3", "seed=6");
        try {
            assertSameBlocks(one, many);
            assertSameBlocks(one, pq);
            assertFalse(Arrays.equals(one.train().first().rows(), other.train().first().rows()));
        } finally {
            one.unpersist();
            many.unpersist();
            pq.unpersist();
            other.unpersist();
        }
    }

    @Test
    void quotedCsvIsReadWithSparksParser(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("q.csv");
        StringBuilder b = new StringBuilder("\"a\",b\n");
        for (int i = 0; i < 100; i++) {
            b.append('"').append(i).append("\",").append(i % 7).append('\n');
        }
        Files.writeString(f, b.toString());
        PreparedData d = load("data=" + f, "data.splits=1,0,0", "partitions=2", "data.standardize=false");
        try {
            assertEquals(100, d.trainCount());
            double sumOfColumnA = 99 * 100 / 2.0; // the quoted values 0..99, each read once
            assertEquals(sumOfColumnA, d.train().collect().stream().mapToDouble(k -> colSum(k, 0)).sum(), 0.0);
        } finally {
            d.unpersist();
        }
    }

    private static double colSum(DataBlock b, int j) {
        double s = 0;
        for (int i = 0; i < b.n(); i++) {
            s += b.rows()[i * b.d() + j];
        }
        return s;
    }
}
