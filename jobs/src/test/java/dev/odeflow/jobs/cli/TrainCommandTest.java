package dev.odeflow.jobs.cli;

import dev.odeflow.jobs.model.TestModels;
import dev.odeflow.jobs.train.DriverTraining;
import dev.odeflow.jobs.train.TrainOutputs;

import dev.odeflow.jobs.OdeflowCli;
import dev.odeflow.jobs.model.ModelDirectory;
import dev.odeflow.jobs.model.SavedFlow;
import dev.odeflow.jobs.model.TinyFlows;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainCommandTest {

    @AfterAll
    static void stopSpark() {
        SparkSession.getActiveSession().foreach(s -> {
            s.stop();
            return null;
        });
    }

    @Test
    void trainsWritesModelPicturesAndAppliesSparkKeys(@TempDir Path tmp) throws Exception {
        Path job = tmp.resolve("tiny.conf");
        Files.writeString(job, String.join("\n",
                "# a tiny job",
                "data = toy:8gaussians",
                "data.n = 600",
                "model.hidden = 8",
                "solver.method = rk4",
                "solver.steps = 2",
                "eval.method = rk4",
                "eval.steps = 2",
                "gradient = direct",
                "iterations = 2",
                "batch_size = 64",
                "partitions = 2",
                "spark.sql.shuffle.partitions = 3",
                "plots.grid = 16",
                "plots.samples = 300",
                "weights.dtype = F32",
                ""));
        Path out = tmp.resolve("run");
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        int code = OdeflowCli.run(new String[] {"train", job.toString(), "output.dir=" + out.toUri(), "seed=3",
                TinyFlows.CPU},
                new PrintStream(stdout, true, StandardCharsets.UTF_8), new PrintStream(stderr, true, StandardCharsets.UTF_8));
        String printed = stdout.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, stderr.toString(StandardCharsets.UTF_8) + printed);
        assertTrue(printed.contains("wrote file:" + out.resolve("model")), printed);
        assertTrue(Files.isRegularFile(out.resolve("metrics.jsonl")), "driver metrics beside the model");
        assertTrue(printed.contains("test NLL"), printed);
        assertEquals("3", SparkSession.active().conf().get("spark.sql.shuffle.partitions"));

        SavedFlow flow = TestModels.read(out.resolve("model"));
        assertEquals(2, flow.dim());
        assertEquals(dev.odeflow.kernels.backend.BackendKind.CPU, flow.model().settings().backend());
        assertEquals(List.of("x0", "x1"), flow.columns());
        assertTrue(Files.readString(out.resolve("model/model.json")).contains("\"F32\""));

        for (String name : List.of("density.png", "samples.png")) {
            BufferedImage img = ImageIO.read(out.resolve(name).toFile());
            assertEquals(16 * 18, img.getWidth(), name);
            assertEquals(16 * 18, img.getHeight(), name);
            Set<Integer> colors = new HashSet<>();
            for (int y = 0; y < img.getHeight(); y += 18) {
                for (int x = 0; x < img.getWidth(); x += 18) {
                    colors.add(img.getRGB(x, y));
                }
            }
            assertTrue(colors.size() > 5, name + " is not blank: " + colors.size() + " colors");
        }
    }

    @Test
    void everyExampleJobFileIsValid() throws Exception {
        Path dir = Path.of("..", "conf", "jobs");
        List<Path> jobs;
        try (var s = Files.list(dir)) {
            jobs = s.filter(p -> p.toString().endsWith(".conf")).sorted().toList();
        }
        assertTrue(jobs.size() >= 7, "the example jobs (ExampleJobsRunTest lists and runs each): " + jobs);
        for (Path job : jobs) {
            var conf = DriverTraining.load(job, List.of());
            var config = dev.odeflow.driver.conf.TrainConfig.from(conf);
            TrainOutputs outputs = TrainOutputs.from(conf.asMap());
            assertTrue(config.iterations() > 0 && outputs.pictureGrid() > 1, job.toString());
        }
        var gpu = DriverTraining.load(dir.resolve("gpu-cluster.conf"), List.of());
        assertEquals("1", DriverTraining.sparkSettings(gpu).get("spark.task.resource.gpu.amount"));
        assertEquals(dev.odeflow.kernels.backend.BackendKind.CUDA,
                dev.odeflow.driver.conf.TrainConfig.from(gpu).settings().backend());
    }

    @Test
    void jobFileErrorsNameTheKey(@TempDir Path tmp) throws Exception {
        Path job = tmp.resolve("bad.conf");
        Files.writeString(job, "data = toy:8gaussians\nweights.dtype = F16\n");
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        int code = OdeflowCli.run(new String[] {"train", job.toString()}, new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(stderr, true, StandardCharsets.UTF_8));
        assertEquals(OdeflowCli.USAGE, code);
        assertTrue(stderr.toString(StandardCharsets.UTF_8).contains("F16"), stderr.toString(StandardCharsets.UTF_8));

        Files.writeString(job, "data = toy:8gaussians\nlearning_rate = 3\n");
        stderr.reset();
        code = OdeflowCli.run(new String[] {"train", job.toString()}, new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(stderr, true, StandardCharsets.UTF_8));
        assertEquals(OdeflowCli.FAILED, code);
        String err = stderr.toString(StandardCharsets.UTF_8);
        assertTrue(err.contains("bad.conf:2") && err.contains("learning_rate"), err);
    }

    /**
     * Issue 13, finding 9: when the final write fails, the message names the path and the trained parameters are
     * kept in a checkpoint from which resume=true writes the model without training again.
     */
    @Test
    void aFailedFinalWriteKeepsTheParametersInACheckpoint(@TempDir Path tmp) throws Exception {
        Path job = tmp.resolve("tiny.conf");
        Files.writeString(job, String.join("\n", "data.n = 600", "model.hidden = 8", "solver.method = rk4",
                "solver.steps = 2", "eval.method = rk4", "eval.steps = 2", "gradient = direct", "iterations = 2",
                "batch_size = 64", "partitions = 2", "plots.grid = 8", "plots.samples = 200", ""));
        Path out = tmp.resolve("run");
        Files.createDirectories(out.resolve("density.png").resolve("in-the-way")); // the picture cannot be written
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        int code = OdeflowCli.run(new String[] {"train", job.toString(), "output.dir=" + out, TinyFlows.CPU},
                new PrintStream(stdout, true, StandardCharsets.UTF_8), new PrintStream(stderr, true, StandardCharsets.UTF_8));
        String err = stderr.toString(StandardCharsets.UTF_8);
        assertEquals(OdeflowCli.FAILED, code, err);
        Path ckpt = out.resolve("checkpoints").resolve("checkpoint-0000000002.ckpt");
        assertTrue(err.contains("odeflow train: cannot write the results in file:" + out + ": moving ")
                && err.contains(" to " + out.resolve("density.png") + ": Is a directory"), err);
        // the error is one line after the progress lines (also on standard error), with no stack trace
        assertEquals(1, err.strip().lines().filter(l -> !l.startsWith("odeflow iter ")
                && !l.startsWith("odeflow done:")).count(), "one line: " + err);
        assertTrue(err.strip().lines().reduce((a, b) -> b).orElse("").startsWith("odeflow train: cannot write"), err);
        assertTrue(err.contains("are kept in file:" + ckpt) && err.contains("rerun with resume=true"), err);
        assertTrue(Files.isRegularFile(ckpt), "rescue checkpoint written");

        stdout.reset();
        stderr.reset();
        code = OdeflowCli.run(new String[] {"train", job.toString(), "output.dir=" + out, "resume=true", "plots=false",
                TinyFlows.CPU},
                new PrintStream(stdout, true, StandardCharsets.UTF_8), new PrintStream(stderr, true, StandardCharsets.UTF_8));
        String printed = stdout.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, stderr.toString(StandardCharsets.UTF_8) + printed);
        assertTrue(printed.contains("wrote file:" + out.resolve("model")), printed);
        assertEquals(2, Files.readAllLines(out.resolve("metrics.jsonl")).size(), "no iteration ran again");
    }
}
