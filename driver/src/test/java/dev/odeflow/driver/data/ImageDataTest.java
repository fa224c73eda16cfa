package dev.odeflow.driver.data;

import dev.odeflow.driver.SparkTestSession;
import dev.odeflow.driver.conf.TrainConfig;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The classifier's images: IDX directories (train and validation from the training files, test from t10k,
 * data.limit) and Parquet tables (label and pixel-array columns, every split by data.splits), with the errors of
 * unusable tables named by column and row count.
 */
class ImageDataTest {

    private static ImageData load(String... overrides) {
        String[] all = new String[overrides.length + 2];
        all[0] = "model.kind=classifier";
        all[1] = "model.block=mlp";
        System.arraycopy(overrides, 0, all, 2, overrides.length);
        TrainConfig c = TrainConfig.fromOverrides(all);
        return ImageData.load(SparkTestSession.get(), c.data(), c.classifier(), c.partitions(), c.batchSize(),
                c.seed());
    }

    @Test
    void anIdxDirectoryGivesTrainAndValidationFromItsTrainingFilesAndTestFromT10k(@TempDir Path tmp)
            throws Exception {
        Path dir = SyntheticImages.mnistDirectory(tmp.resolve("mnist"), 400, 90, 1);
        ImageData d = load("data=" + dir, "data.format=idx", "data.splits=0.75,0.25,0", "partitions=3",
                "batch_size=10");
        try {
            assertEquals(400, d.images()[0] + d.images()[1]);
            assertEquals(100, d.images()[1], 25, "a quarter held out for validation: " + d.images()[1]);
            assertEquals(90, d.images()[2], "the test split is t10k whole");
            assertEquals(3, d.train().getNumPartitions());
            assertEquals(d.images()[0], Arrays.stream(d.trainImages()).sum());
            assertEquals(10, d.classes(), "the largest label + 1");
            assertEquals("12×12×1", d.shape().toString());
            List<ImageBlock> test = d.test().collect();
            IdxImages t10k = SyntheticImages.draw(90, 2);
            assertArrayEquals(t10k.labels(), test.stream().flatMapToInt(b -> Arrays.stream(b.labels())).toArray(),
                    "in file order");
            assertArrayEquals(Arrays.copyOf(t10k.pixels(), 144), Arrays.copyOf(test.get(0).pixels(), 144));
        } finally {
            d.unpersist();
        }
        ImageData limited = load("data=" + dir, "data.format=idx", "data.limit=50", "model.classes=12",
                "batch_size=10");
        try {
            assertEquals(50, limited.images()[0] + limited.images()[1]);
            assertEquals(12, limited.classes());
            assertTrue(limited.source().contains("the first 50 of 400 training images"), limited.source());
        } finally {
            limited.unpersist();
        }
    }

    @Test
    void idxLabelsAndShapesAreChecked(@TempDir Path tmp) throws Exception {
        Path dir = SyntheticImages.mnistDirectory(tmp.resolve("mnist"), 40, 20, 1);
        DataException classes = assertThrows(DataException.class,
                () -> load("data=" + dir, "data.format=idx", "model.classes=5", "batch_size=4"));
        assertTrue(classes.getMessage().contains("train-images-idx3-ubyte.gz")
                && classes.getMessage().contains("are >= model.classes = 5 (the largest is 9)"), classes.getMessage());
        DataException shape = assertThrows(DataException.class,
                () -> load("data=" + dir, "data.format=idx", "data.image=28x28x1", "batch_size=4"));
        assertTrue(shape.getMessage().contains("images of 12×12×1, but data.image = 28x28x1"), shape.getMessage());
        DataException batch = assertThrows(DataException.class,
                () -> load("data=" + dir, "data.format=idx", "batch_size=100"));
        assertTrue(batch.getMessage().contains("batch_size=100 is larger than the training split"),
                batch.getMessage());
    }

    @Test
    void aParquetTableIsSplitByItsContentsAndTheSeed(@TempDir Path tmp) {
        IdxImages drawn = SyntheticImages.draw(300, 4);
        Path table = parquet(tmp.resolve("images.parquet"), drawn, DataTypes.IntegerType, null);
        ImageData d = load("data=" + table, "data.image=12x12x1", "partitions=2", "batch_size=10");
        long[] first;
        try {
            assertEquals(300, d.images()[0] + d.images()[1] + d.images()[2]);
            assertEquals(240, d.images()[0], 30);
            assertEquals(10, d.classes());
            first = d.images().clone();
            int[] histogram = new int[10];
            for (ImageBlock b : d.train().collect()) {
                for (int l : b.labels()) {
                    histogram[l]++;
                }
            }
            assertEquals(d.images()[0], Arrays.stream(histogram).sum());
        } finally {
            d.unpersist();
        }
        ImageData again = load("data=" + table, "data.image=12x12x1", "partitions=3", "batch_size=10");
        try {
            assertArrayEquals(first, again.images(), "the splits do not depend on the partitioning");
        } finally {
            again.unpersist();
        }
    }

    @Test
    void unusableTablesAreNamedByColumnAndRowCount(@TempDir Path tmp) {
        IdxImages drawn = SyntheticImages.draw(20, 4);
        Path table = parquet(tmp.resolve("images.parquet"), drawn, DataTypes.IntegerType, null);
        DataException length = assertThrows(DataException.class,
                () -> load("data=" + table, "batch_size=4")); // data.image = 28x28x1 by default
        assertTrue(length.getMessage().contains("20 of 20 rows have a 'pixels' array of another length than 784"
                + " (data.image = 28×28×1), e.g. 144"), length.getMessage());
        Path shortRows = parquet(tmp.resolve("short.parquet"), drawn, DataTypes.IntegerType, 3);
        DataException some = assertThrows(DataException.class,
                () -> load("data=" + shortRows, "data.image=12x12x1", "batch_size=4"));
        assertTrue(some.getMessage().contains("short.parquet: 3 of 20 rows have a 'pixels' array of another length"
                + " than 144"), some.getMessage());
        Path doubles = parquet(tmp.resolve("doubles.parquet"), drawn, DataTypes.DoubleType, null);
        DataException type = assertThrows(DataException.class,
                () -> load("data=" + doubles, "data.image=12x12x1", "batch_size=4"));
        assertTrue(type.getMessage().contains("column 'pixels' is array<double>"), type.getMessage());
        DataException label = assertThrows(DataException.class,
                () -> load("data=" + table, "data.image=12x12x1", "data.label=digit", "batch_size=4"));
        assertTrue(label.getMessage().contains("no column 'digit' (data.label)"), label.getMessage());
        DataException classes = assertThrows(DataException.class,
                () -> load("data=" + table, "data.image=12x12x1", "model.classes=3", "batch_size=4"));
        assertTrue(classes.getMessage().matches(".*\\d+ of 20 rows have a 'label' >= model.classes = 3 \\(the"
                + " largest is 9\\).*"), classes.getMessage());
    }

    /**
     * The images as a Parquet table (label, pixels) with pixels of {@code type}; with {@code shortRows}, that many
     * rows lose their last pixel.
     */
    static Path parquet(Path path, IdxImages images, DataType type, Integer shortRows) {
        SparkSession spark = SparkTestSession.get();
        int size = images.shape().size();
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < images.n(); i++) {
            int len = shortRows != null && i < shortRows ? size - 1 : size;
            Object[] px = new Object[len];
            for (int j = 0; j < len; j++) {
                int v = images.pixels()[i * size + j] & 0xff;
                px[j] = type.equals(DataTypes.DoubleType) ? (Object) (v / 255.0) : (Object) v;
            }
            rows.add(RowFactory.create(images.labels()[i], Arrays.asList(px)));
        }
        StructType schema = new StructType().add("label", DataTypes.IntegerType, false)
                .add("pixels", DataTypes.createArrayType(type, false), false);
        Dataset<Row> df = spark.createDataFrame(rows, schema);
        df.coalesce(1).write().parquet(path.toString());
        return path;
    }
}
