package dev.odeflow.jobs.cli;

import dev.odeflow.jobs.OdeflowCliTest.Result;
import dev.odeflow.jobs.model.TestModels;
import dev.odeflow.jobs.model.TinyFlows;
import dev.odeflow.jobs.model.SavedFlow;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static dev.odeflow.jobs.OdeflowCliTest.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 8, item 1: every input and output goes through Hadoop's FileSystem, so a run whose output.dir, model, inputs
 * and outputs are all URIs of a non-local scheme ({@link ForeignFileSystem}, standing in for hdfs: or s3a:) trains,
 * scores, samples and computes gradients, and leaves every file at those URIs: the model directory, metrics.jsonl,
 * summary.json, the pictures and the checkpoints.
 */
class ForeignOutputsTest {

    @AfterAll
    static void stopSpark() {
        SparkSession.getActiveSession().foreach(s -> {
            s.sparkContext().hadoopConfiguration().unset("fs." + ForeignFileSystem.SCHEME + ".impl");
            s.stop();
            return null;
        });
    }

    @Test
    void trainScoreSampleAndGradOnANonLocalScheme(@TempDir Path tmp) throws Exception {
        SparkSession spark = SparkSessions.getOrCreate("foreign outputs");
        Configuration hc = spark.sparkContext().hadoopConfiguration();
        hc.set("fs." + ForeignFileSystem.SCHEME + ".impl", ForeignFileSystem.class.getName());
        String root = ForeignFileSystem.SCHEME + "://" + tmp.toAbsolutePath();

        Path job = Files.writeString(tmp.resolve("tiny.conf"), String.join("\n", "data = toy:8gaussians",
                "data.n = 600", "model.hidden = 8", "solver.method = rk4", "solver.steps = 2", "eval.method = rk4",
                "eval.steps = 2", "gradient = direct", "iterations = 4", "batch_size = 64", "partitions = 2",
                "checkpoint.every = 2", "plots.grid = 8", "plots.samples = 100", TinyFlows.CPU, ""));
        Result train = run("train", job.toString(), "output.dir=" + root + "/run");
        assertEquals(0, train.code(), train.err() + train.out());
        assertTrue(train.out().contains("wrote " + ForeignFileSystem.SCHEME + ":" + tmp.toAbsolutePath() + "/run/model"),
                train.out());
        Path run = tmp.resolve("run");
        for (String f : List.of("model/model.json", "model/weights.safetensors", "metrics.jsonl", "summary.json",
                "density.png", "samples.png")) {
            assertTrue(Files.isRegularFile(run.resolve(f)), f + " at the URI: " + train.out());
        }
        assertEquals(4, Files.readAllLines(run.resolve("metrics.jsonl")).size(), "every iteration, rewritten whole");
        assertTrue(Files.readString(run.resolve("summary.json")).contains("\"status\" : \"succeeded\""));
        try (var s = Files.list(run.resolve("checkpoints"))) {
            assertEquals(2, s.filter(p -> p.getFileName().toString().endsWith(".ckpt")).count());
        }
        try (var s = Files.list(run)) {
            assertFalse(s.anyMatch(p -> p.getFileName().toString().contains(".tmp-")), "no temporary left");
        }
        SavedFlow flow = TestModels.read(run.resolve("model"));

        int n = 50;
        double[] x = TinyFlows.data(n, 3);
        StringBuilder csv = new StringBuilder("x0,x1\n");
        for (int i = 0; i < n; i++) {
            csv.append(x[2 * i]).append(',').append(x[2 * i + 1]).append('\n');
        }
        Files.writeString(tmp.resolve("in.csv"), csv);
        Result score = run("score", "--model", root + "/run/model", "--input", root + "/in.csv", "--output",
                root + "/scored.parquet");
        assertEquals(0, score.code(), score.err());
        List<Row> scored = spark.read().parquet(root + "/scored.parquet").collectAsList();
        assertEquals(n, scored.size());
        double[] ll = flow.logLikelihood(x, n);
        java.util.Arrays.sort(ll);
        double[] got = scored.stream().mapToDouble(r -> r.getDouble(r.fieldIndex("log_likelihood"))).sorted().toArray();
        assertArrayEquals(ll, got, 1e-12 * Math.abs(ll[0]));

        Result sample = run("sample", "--model", root + "/run/model", "--n", "30", "--output",
                root + "/samples.csv", "--single-file");
        assertEquals(0, sample.code(), sample.err());
        assertEquals(31, Files.readAllLines(tmp.resolve("samples.csv")).size());

        Result grad = run("grad", "--model", root + "/run/model", "--input", root + "/in.csv");
        assertEquals(0, grad.code(), grad.err());
        assertTrue(grad.out().contains("\"loss\""), grad.out());
    }
}
