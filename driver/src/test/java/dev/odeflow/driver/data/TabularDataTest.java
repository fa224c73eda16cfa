package dev.odeflow.driver.data;

import dev.odeflow.driver.SparkTestSession;
import dev.odeflow.driver.conf.TrainConfig;
import org.apache.spark.sql.Dataset;
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
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TabularDataTest {

    private static PreparedData load(String... overrides) {
        TrainConfig c = TrainConfig.fromOverrides(overrides);
        return PreparedData.load(SparkTestSession.get(), c.data(), c.partitions(), c.seed());
    }

    private static Path csv(Path dir, String name, String text) throws Exception {
        Path f = dir.resolve(name);
        Files.writeString(f, text);
        return f;
    }

    private static String numbers(int n) {
        StringBuilder b = new StringBuilder("a,b,label\n");
        for (int i = 0; i < n; i++) {
            b.append(i).append(',').append(2.5 * i - 1).append(",x").append(i % 3).append('\n');
        }
        return b.toString();
    }

    @Test
    void parquetIsSplitBlockedAndStandardized(@TempDir Path dir) {
        SparkSession spark = SparkTestSession.get();
        StructType schema = new StructType().add("u", DataTypes.DoubleType).add("v", DataTypes.IntegerType)
                .add("w", DataTypes.DoubleType);
        List<Row> rows = new ArrayList<>();
        SplittableRandom r = new SplittableRandom(1);
        for (int i = 0; i < 1000; i++) {
            rows.add(RowFactory.create(10 + 2 * r.nextGaussian(), i % 7, r.nextDouble()));
        }
        String path = dir.resolve("t.parquet").toString();
        spark.createDataFrame(rows, schema).repartition(3).write().parquet(path);
        PreparedData d = load("data=" + path, "data.columns=u,v", "partitions=4", "seed=3",
                "data.splits=0.7,0.2,0.1");
        try {
            assertEquals(List.of("u", "v"), d.columns());
            assertEquals(4, d.train().getNumPartitions());
            assertEquals(4, d.trainRows().length);
            long train = d.trainCount();
            long val = d.val().map(DataBlock::n).reduce(Integer::sum);
            long test = d.test().map(DataBlock::n).reduce(Integer::sum);
            assertEquals(1000, train + val + test);
            assertEquals(700, train, 60);
            assertEquals(10, d.standardization().mean()[0], 0.3);
            assertEquals(2, d.standardization().std()[0], 0.2);
            assertEquals(3, d.standardization().mean()[1], 0.3);
            // the training blocks are standardized: mean 0, variance 1
            ColumnMoments m = d.train().treeAggregate(new ColumnMoments(2), ColumnMoments::add, ColumnMoments::merge);
            assertArrayEquals(new double[] {0, 0}, m.mean(), 1e-9);
            assertArrayEquals(new double[] {1, 1}, m.variance(), 1e-9);
            // deterministic: loading again gives the same blocks
            PreparedData again = load("data=" + path, "data.columns=u,v", "partitions=4", "seed=3",
                    "data.splits=0.7,0.2,0.1");
            assertArrayEquals(d.trainRows(), again.trainRows());
            assertArrayEquals(d.train().collect().get(1).rows(), again.train().collect().get(1).rows(), 0.0);
            again.unpersist();
        } finally {
            d.unpersist();
        }
    }

    @Test
    void missingColumnNamesFileAndColumn(@TempDir Path dir) throws Exception {
        Path f = csv(dir, "m.csv", numbers(20));
        DataException e = assertThrows(DataException.class, () -> load("data=" + f, "data.columns=a,zz"));
        assertTrue(e.getMessage().contains(f.toString()) && e.getMessage().contains("'zz'"), e.getMessage());
    }

    @Test
    void nonNumericColumnNamesFileAndColumn(@TempDir Path dir) throws Exception {
        Path f = csv(dir, "s.csv", numbers(20));
        DataException e = assertThrows(DataException.class, () -> load("data=" + f));
        assertTrue(e.getMessage().contains(f.toString()) && e.getMessage().contains("'label'")
                && e.getMessage().contains("not numeric"), e.getMessage());
    }

    /**
     * Issue 8 ("bad input at this scale", item 5): a CSV is read without schema inference, so a malformed value in
     * the middle of the file is found by the one scan: the job fails with the file, the count of bad rows and the
     * first one's row, line, column and text, or drops them with data.nan=drop.
     */
    @Test
    void aMalformedValueMidFileFailsWithItsRowOrIsDropped(@TempDir Path dir) throws Exception {
        String text = numbers(300).replace("\n150,374.0,", "\n150,3x4.0,").replace("\n200,", "\nabc,");
        Path f = csv(dir, "bad.csv", text);
        DataException e = assertThrows(DataException.class, () -> load("data=" + f, "data.columns=a,b"));
        assertTrue(e.getMessage().contains(f + ": 2 of 300 rows have a value that is not numeric in columns [a, b]"
                + " (first: " + f + ": row 151 (line 152), column 'b' is '3x4.0'); set data.nan=drop"), e.getMessage());
        PreparedData d = load("data=" + f, "data.columns=a,b", "data.nan=drop", "partitions=2",
                "data.splits=1,0,0");
        try {
            assertEquals(298, d.trainCount());
        } finally {
            d.unpersist();
        }
    }

    @Test
    void nanRowsFailWithTheirCountOrAreDropped(@TempDir Path dir) throws Exception {
        String text = numbers(30).replace("\n4,", "\n,").replace("\n7,16.5", "\nNaN,16.5")
                .replace("\n9,21.5", "\n9,NaN");
        Path f = csv(dir, "n.csv", text);
        DataException e = assertThrows(DataException.class, () -> load("data=" + f, "data.columns=a,b"));
        assertTrue(e.getMessage().contains(f.toString()) && e.getMessage().contains("3 rows")
                && e.getMessage().contains("data.nan=drop"), e.getMessage());
        PreparedData d = load("data=" + f, "data.columns=a,b", "data.nan=drop", "partitions=2",
                "data.splits=1,0,0");
        try {
            assertEquals(27, d.trainCount());
        } finally {
            d.unpersist();
        }
    }

    @Test
    void emptyDataSetNamesTheFile(@TempDir Path dir) throws Exception {
        Path f = csv(dir, "e.csv", "a,b\n");
        DataException e = assertThrows(DataException.class, () -> load("data=" + f));
        assertTrue(e.getMessage().contains(f.toString()) && e.getMessage().contains("empty"), e.getMessage());
        Path all = csv(dir, "allnan.csv", "a,b\nNaN,1\n2,NaN\n");
        DataException d = assertThrows(DataException.class, () -> load("data=" + all, "data.nan=drop"));
        assertTrue(d.getMessage().contains(all.toString()) && d.getMessage().contains("empty")
                && d.getMessage().contains("2"), d.getMessage());
        DataException missing = assertThrows(DataException.class,
                () -> load("data=" + dir.resolve("nope.parquet")));
        assertTrue(missing.getMessage().contains("nope.parquet"), missing.getMessage());
    }
}
