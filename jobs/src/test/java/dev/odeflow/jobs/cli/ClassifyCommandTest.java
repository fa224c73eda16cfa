package dev.odeflow.jobs.cli;

import dev.odeflow.driver.data.IdxImages;
import dev.odeflow.driver.output.OutputStore;
import dev.odeflow.jobs.OdeflowCliTest;
import dev.odeflow.jobs.SyntheticMnist;
import dev.odeflow.jobs.model.ModelDirectory;
import dev.odeflow.jobs.model.SavedClassifier;
import dev.odeflow.kernels.classifier.Classification;
import dev.odeflow.kernels.classifier.ImageBatch;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code odeflow classify} end to end: a small MLP classifier trained by {@code train} on IDX files the test writes
 * classifies a Parquet table (its columns kept, prediction and probabilities added) and IDX files (rows of index,
 * label, prediction) exactly as the saved model's own {@code classify} does; bad input is named and never replaces
 * an earlier result.
 */
class ClassifyCommandTest {

    private static final int SIDE = 12;

    @TempDir
    static Path tmp;
    static Path mnist;
    static Path model;
    static SavedClassifier saved;

    @BeforeAll
    static void trainModel() throws Exception {
        mnist = SyntheticMnist.directory(tmp.resolve("mnist"), 600, 60, SIDE, 11);
        Path job = tmp.resolve("mlp.conf");
        Files.write(job, List.of("model.kind = classifier", "model.block = mlp", "model.hidden = 16",
                "data = " + mnist, "data.format = idx", "data.splits = 0.9,0.1,0", "optim = sgd", "optim.lr = 0.1",
                "optim.weight_decay = 0", "batch_size = 50", "iterations = 40", "partitions = 2", "eval.every = 0",
                "backend = cpu", "output.dir = " + tmp.resolve("run")));
        OdeflowCliTest.Result r = OdeflowCliTest.run("train", job.toString());
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("test accuracy"), r.out());
        model = tmp.resolve("run").resolve("model");
        saved = ModelDirectory.readClassifier(OutputStore.local(model));
    }

    @AfterAll
    static void stopSpark() {
        SparkSession.getActiveSession().foreach(s -> {
            s.stop();
            return null;
        });
    }

    private static int[] expected(IdxImages images) {
        int[] rows = new int[images.n()];
        Arrays.setAll(rows, i -> i);
        Classification c = saved.model().classify(saved.weights(), ImageBatch.ofBytes(images.shape(), images.pixels(),
                null, rows));
        return c.predicted();
    }

    @Test
    void aParquetTableKeepsItsColumnsAndGainsThePredictions() throws Exception {
        IdxImages images = SyntheticMnist.draw(70, SIDE, 5);
        Path in = parquet(tmp.resolve("images.parquet"), images, SIDE * SIDE);
        Path out = tmp.resolve("classified.parquet");
        OdeflowCliTest.Result r = OdeflowCliTest.run("classify", "--model", model.toString(), "--input",
                in.toString(), "--output", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("wrote 70 rows") && r.out().contains("[id, label, pixels, prediction,"
                + " probabilities]"), r.out());
        int[] expected = expected(images);
        List<Row> rows = SparkSession.active().read().parquet(out.toString()).collectAsList();
        assertEquals(70, rows.size());
        int right = 0;
        for (Row row : rows) {
            int id = row.getInt(row.fieldIndex("id"));
            int predicted = row.getInt(row.fieldIndex("prediction"));
            assertEquals(expected[id], predicted, "image " + id);
            List<Double> p = row.getList(row.fieldIndex("probabilities"));
            assertEquals(10, p.size());
            assertEquals(1.0, p.stream().mapToDouble(Double::doubleValue).sum(), 1e-12);
            assertEquals(predicted, p.indexOf(p.stream().max(Double::compare).orElseThrow()));
            right += predicted == images.labels()[id] ? 1 : 0;
        }
        assertTrue(right >= 60, "the trained MLP gets " + right + " of 70 right");
    }

    @Test
    void idxInputGivesIndexLabelAndPrediction() throws Exception {
        Path out = tmp.resolve("t10k.parquet");
        OdeflowCliTest.Result r = OdeflowCliTest.run("classify", "--model", model.toString(), "--input",
                mnist.toString(), "--output", out.toString(), "--single-file");
        assertEquals(0, r.code(), r.err());
        IdxImages t10k = SyntheticMnist.draw(60, SIDE, 12);
        Dataset<Row> df = SparkSession.active().read().parquet(out.toString());
        assertEquals(List.of("index", "label", "prediction", "probabilities"), List.of(df.columns()));
        int[] predicted = new int[60];
        int[] labels = new int[60];
        for (Row row : df.collectAsList()) {
            int i = (int) row.getLong(0);
            labels[i] = row.getInt(1);
            predicted[i] = row.getInt(2);
        }
        assertArrayEquals(t10k.labels(), labels);
        assertArrayEquals(expected(t10k), predicted);
        assertTrue(Files.isRegularFile(out), "--single-file");

        Path unlabelled = Files.createDirectories(tmp.resolve("unlabelled"));
        Files.copy(mnist.resolve("t10k-images-idx3-ubyte"), unlabelled.resolve("t10k-images-idx3-ubyte"));
        Path out2 = tmp.resolve("unlabelled.parquet");
        OdeflowCliTest.Result u = OdeflowCliTest.run("classify", "--model", model.toString(), "--input",
                unlabelled.resolve("t10k-images-idx3-ubyte").toString(), "--output", out2.toString());
        assertEquals(0, u.code(), u.err());
        assertEquals(List.of("index", "prediction", "probabilities"),
                List.of(SparkSession.active().read().parquet(out2.toString()).columns()));
    }

    @Test
    void badInputIsNamedAndLeavesAnEarlierResultWhole() throws Exception {
        IdxImages images = SyntheticMnist.draw(20, SIDE, 6);
        Path out = tmp.resolve("kept.parquet");
        OdeflowCliTest.Result first = OdeflowCliTest.run("classify", "--model", model.toString(), "--input",
                parquet(tmp.resolve("good.parquet"), images, SIDE * SIDE).toString(), "--output", out.toString());
        assertEquals(0, first.code(), first.err());
        Path bad = parquet(tmp.resolve("bad.parquet"), images, SIDE * SIDE - 1);
        OdeflowCliTest.Result r = OdeflowCliTest.run("classify", "--model", model.toString(), "--input",
                bad.toString(), "--output", out.toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("bad.parquet: 20 of 20 rows have a 'pixels' array of another length than 144"),
                r.err());
        assertEquals(20, SparkSession.active().read().parquet(out.toString()).count(), "the earlier result stays");

        Path csv = Files.write(tmp.resolve("images.csv"), List.of("label,pixels", "1,0"));
        OdeflowCliTest.Result usage = OdeflowCliTest.run("classify", "--model", model.toString(), "--input",
                csv.toString(), "--output", tmp.resolve("x.parquet").toString());
        assertEquals(2, usage.code());
        assertTrue(usage.err().contains("classify reads a Parquet table"), usage.err());
        OdeflowCliTest.Result notClassifier = OdeflowCliTest.run("classify", "--model", mnist.toString(), "--input",
                mnist.toString(), "--output", tmp.resolve("y.parquet").toString());
        assertEquals(1, notClassifier.code());
        assertTrue(notClassifier.err().contains("model directory has no model.json"), notClassifier.err());
    }

    /** The images as a table of id, label and pixels (the first {@code length} of each image's). */
    private static Path parquet(Path path, IdxImages images, int length) {
        int size = images.shape().size();
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < images.n(); i++) {
            List<Integer> px = new ArrayList<>();
            for (int j = 0; j < length; j++) {
                px.add(images.pixels()[i * size + j] & 0xff);
            }
            rows.add(RowFactory.create(i, images.labels()[i], px));
        }
        StructType schema = new StructType().add("id", DataTypes.IntegerType).add("label", DataTypes.IntegerType)
                .add("pixels", DataTypes.createArrayType(DataTypes.IntegerType));
        SparkSession.active().createDataFrame(rows, schema).write().parquet(path.toString());
        return path;
    }
}
