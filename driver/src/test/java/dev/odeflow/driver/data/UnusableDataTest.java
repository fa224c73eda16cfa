package dev.odeflow.driver.data;

import dev.odeflow.driver.SparkTestSession;
import dev.odeflow.driver.conf.TrainConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue 13, findings 4 and 8: data that cannot be trained on is refused before training, naming file, row, column. */
class UnusableDataTest {

    private static PreparedData load(String... overrides) {
        TrainConfig c = TrainConfig.fromOverrides(overrides);
        return PreparedData.load(SparkTestSession.get(), c.data(), c.partitions(), c.seed(), null, c.batchSize());
    }

    private static String message(Path f, String... more) {
        String[] args = new String[more.length + 1];
        args[0] = "data=" + f;
        System.arraycopy(more, 0, args, 1, more.length);
        return assertThrows(DataException.class, () -> load(args)).getMessage();
    }

    private static Path rows(Path dir, String name, int n, int badRow, String badLine) throws Exception {
        StringBuilder b = new StringBuilder("a,b\n");
        for (int i = 1; i <= n; i++) {
            b.append(i == badRow ? badLine : (i % 17) * 0.25 + "," + (i % 5 - 2.0)).append('\n');
        }
        Path f = dir.resolve(name);
        Files.writeString(f, b.toString());
        return f;
    }

    private static void assertHas(String m, String... parts) {
        for (String p : parts) {
            assertTrue(m.contains(p), "expected '" + p + "' in: " + m);
        }
    }

    @Test
    void oneRowCsvNamesTheSplitsAndTheirRowCounts(@TempDir Path dir) throws Exception {
        Path f = rows(dir, "one.csv", 1, 0, "");
        String m = message(f, "batch_size=1");
        assertHas(m, f.toString(), "split is empty", "1 rows", "data.splits=0.8,0.1,0.1");
    }

    @Test
    void batchLargerThanTheTrainingSplitIsRefused(@TempDir Path dir) throws Exception {
        Path f = rows(dir, "small.csv", 40, 0, "");
        String m = message(f, "batch_size=100", "data.splits=1,0,0");
        assertHas(m, f.toString(), "batch_size=100 is larger than the training split", "40 train",
                "at most 40");
    }

    @Test
    void infinityIsRejectedWithFileRowAndColumn(@TempDir Path dir) throws Exception {
        Path f = rows(dir, "inf.csv", 2000, 1500, "0.5,Infinity");
        assertHas(message(f), f.toString() + ": row 1500 (line 1501), column 'b' is Infinity");
        assertHas(message(f, "data.standardize=false"), "row 1500", "column 'b'");
        // data.nan=drop drops NaN and missing values, never infinities
        assertHas(message(f, "data.nan=drop"), "row 1500", "Infinity");
        Path big = rows(dir, "overflow.csv", 100, 7, "0.5,1e400");
        assertHas(message(big), big + ": row 7 (line 8), column 'b' is Infinity");
    }

    @Test
    void nanRowsNameTheFirstOne(@TempDir Path dir) throws Exception {
        Path f = rows(dir, "nan.csv", 300, 123, "NaN,1");
        assertHas(message(f), f.toString(), "1 rows have NaN", "first: " + f + ": row 123 (line 124), column 'a'");
    }

    @Test
    void overflowingAndConstantColumnsAreRefused(@TempDir Path dir) throws Exception {
        StringBuilder b = new StringBuilder("a,b\n");
        for (int i = 0; i < 100; i++) {
            b.append(i % 2 == 0 ? "1e300" : "-1e300").append(',').append(i).append('\n');
        }
        Path huge = dir.resolve("huge.csv");
        Files.writeString(huge, b.toString());
        assertHas(message(huge, "batch_size=10"), huge + ": row 1 (line 2), column 'a' is 1.0E300, beyond ±1.0E154", "rescale");
        Path wide = dir.resolve("wide.csv");
        Files.writeString(wide, b.toString().replace("-1e300", "-1e154").replace("1e300", "1e154"));
        assertHas(message(wide, "batch_size=10"), wide + ": column 'a' cannot be standardized", "overflows", "1.0E154");
        Path constant = dir.resolve("constant.csv");
        Files.writeString(constant, b.toString().replace("-1e300", "3").replace("1e300", "3"));
        assertHas(message(constant, "batch_size=10"), constant + ": column 'a' has std 0.0", "every value 3.0", "data.columns");
    }

    @Test
    void rowsAreNumberedWithinTheirFileAcrossSplits(@TempDir Path dir) throws Exception {
        // small splits: Spark reads the file in many pieces, and the row must still be file-relative
        SparkTestSession.get().conf().set("spark.sql.files.maxPartitionBytes", "2048");
        try {
            Path f = rows(dir, "split.csv", 3000, 2718, "-Infinity,1");
            assertHas(message(f), f + ": row 2718 (line 2719), column 'a' is -Infinity");
        } finally {
            SparkTestSession.get().conf().unset("spark.sql.files.maxPartitionBytes");
        }
    }

    @Test
    void usableDataStillLoads(@TempDir Path dir) throws Exception {
        Path f = rows(dir, "ok.csv", 200, 0, "");
        PreparedData d = load("data=" + f, "batch_size=50", "partitions=2");
        try {
            assertEquals(200, d.sizes().total());
        } finally {
            d.unpersist();
        }
    }
}
