package dev.odeflow.jobs.examples;

import dev.odeflow.driver.conf.ModelKind;
import dev.odeflow.driver.conf.TrainConfig;
import dev.odeflow.driver.data.PendulumSeries;
import dev.odeflow.jobs.OdeflowCli;
import dev.odeflow.jobs.model.LatentModelJson;
import dev.odeflow.jobs.model.ModelDirectory;
import dev.odeflow.jobs.model.SavedFlow;
import dev.odeflow.jobs.model.SavedLatent;
import dev.odeflow.jobs.model.SavedTrajectory;
import dev.odeflow.jobs.model.TestModels;
import dev.odeflow.jobs.model.TinyFlows;
import dev.odeflow.jobs.model.TrajectoryModelJson;
import dev.odeflow.jobs.train.DriverTraining;
import dev.odeflow.kernels.backend.cuda.CudaBackend;
import dev.odeflow.kernels.backend.cuda.NetworkPlan;
import dev.odeflow.kernels.trace.Probe;
import dev.odeflow.kernels.trajectory.InputTransform;
import dev.odeflow.kernels.trajectory.TrajectoryModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every example job in conf/jobs runs, not only parses: each trains for two iterations on the CPU with its own
 * model, solver, gradient and optimizer settings; only the data source, the sizes, the output paths and the
 * backend are overridden (the spiral, a trajectory fit, runs three iterations and is checked for its own
 * outputs). The GPU example's network must also fit the CUDA kernels on an H100/H200.
 */
class ExampleJobsRunTest {

    /** cudaDevAttrMaxSharedMemoryPerBlockOptin of an H100 or H200 (227 KB). */
    private static final int H100_SHARED_OPT_IN = 232_448;
    /** Columns of the POWER table the GPU example names. */
    private static final int POWER_COLUMNS = 6;
    /** Columns of MINIBOONE, the shape of the large tabular example. */
    private static final int MINIBOONE_COLUMNS = 43;

    private static SparkSession spark;

    @BeforeAll
    static void startSpark() {
        spark = SparkSession.builder().master("local[2]").appName("example-jobs").getOrCreate();
    }

    @AfterAll
    static void stopSpark() {
        spark.stop();
    }

    @Test
    void everyExampleJobTrainsTwoIterationsOnTheCpu(@TempDir Path tmp) throws Exception {
        Path dir = Path.of("..", "conf", "jobs");
        List<Path> jobs;
        try (var s = Files.list(dir)) {
            jobs = s.filter(p -> p.toString().endsWith(".conf")).sorted().toList();
        }
        assertEquals(List.of("8gaussians.conf", "gpu-cluster.conf", "latent-ode-spirals.conf", "mlp-mnist.conf",
                "odenet-mnist.conf", "pendulum.conf", "resnet-mnist.conf", "rknet-mnist.conf", "spiral.conf",
                "tabular-large.conf", "tabular-parquet.conf"),
                jobs.stream().map(p -> p.getFileName().toString()).toList(),
                "a new example job needs a case here");
        for (Path job : jobs) {
            if (TrainConfig.from(DriverTraining.load(job, List.of())).kind() != ModelKind.CNF) {
                continue; // theSpiralExample..., thePendulumExample..., theLatentSpiralsExample..., theMnistExamples...
            }
            String name = job.getFileName().toString().replace(".conf", "");
            Path out = tmp.resolve(name);
            List<String> args = new ArrayList<>(List.of("train", job.toString(), "output.dir=" + out.toUri(),
                    "checkpoint.dir=" + out.resolve("checkpoints").toUri(), "iterations=2", "batch_size=64",
                    "partitions=2", "eval.every=0", "plots.grid=8", "plots.samples=100", TinyFlows.CPU));
            int columns = switch (name) {
                case "8gaussians" -> {
                    args.add("data.n=600");
                    yield 2;
                }
                case "tabular-parquet" -> {
                    args.add("data=" + parquet(tmp.resolve("tabular.parquet"), 2, 600).toUri());
                    yield 2;
                }
                case "gpu-cluster" -> {
                    args.add("data=" + parquet(tmp.resolve("power.parquet"), POWER_COLUMNS, 600).toUri());
                    yield POWER_COLUMNS;
                }
                case "tabular-large" -> {
                    // few rows and a small batch: 860-unit layers at dopri5 1e-8, and the final NLL takes the exact
                    // trace over 43 directions
                    args.add("data=" + parquet(tmp.resolve("miniboone43.parquet"), MINIBOONE_COLUMNS, 80).toUri());
                    args.add("batch_size=16");
                    yield MINIBOONE_COLUMNS;
                }
                default -> throw new AssertionError("no case for " + job);
            };
            ByteArrayOutputStream stdout = new ByteArrayOutputStream();
            ByteArrayOutputStream stderr = new ByteArrayOutputStream();
            int code = OdeflowCli.run(args.toArray(String[]::new), new PrintStream(stdout, true, StandardCharsets.UTF_8),
                    new PrintStream(stderr, true, StandardCharsets.UTF_8));
            String printed = stdout.toString(StandardCharsets.UTF_8) + stderr.toString(StandardCharsets.UTF_8);
            assertEquals(0, code, job + ": " + printed);
            assertTrue(printed.contains("test NLL"), job + ": " + printed);
            SavedFlow flow = TestModels.read(out.resolve("model"));
            TrainConfig declared = TrainConfig.from(DriverTraining.load(job, List.of()));
            assertEquals(columns, flow.dim(), job.toString());
            assertEquals(declared.architectureFor(columns), flow.model().architecture(), job.toString());
            assertEquals(declared.blocks(), flow.model().blocks(), job.toString());
            // metrics.jsonl: loss in the model's standardized space, train_nll in data space; they differ by the
            // standardization's log-determinant, the same on every line, and not at all without standardization
            java.util.Set<Long> offsets = new java.util.HashSet<>();
            for (String line : Files.readAllLines(out.resolve("metrics.jsonl"))) {
                var m = new com.fasterxml.jackson.databind.ObjectMapper().readTree(line);
                offsets.add(Math.round((m.get("train_nll").asDouble() - m.get("loss").asDouble()) * 1e6));
            }
            assertEquals(1, offsets.size(), job + ": one offset " + offsets);
            assertEquals(name.equals("8gaussians"), offsets.contains(0L), job + ": offset " + offsets);
        }
    }

    @Test
    void theSpiralExampleWritesATrajectoryModel(@TempDir Path tmp) throws Exception {
        Path job = Path.of("..", "conf", "jobs", "spiral.conf");
        Path out = tmp.resolve("spiral");
        trainTrajectory(job, out);
        Path model = out.resolve("model");
        var files = new ModelDirectory.EncodedModel(Files.readAllBytes(model.resolve("model.json")),
                Files.readAllBytes(model.resolve("weights.safetensors")));
        SavedTrajectory saved = TrajectoryModelJson.decode(files, model.toString());
        TrainConfig declared = TrainConfig.from(DriverTraining.load(job, List.of()));
        TrajectoryModel expected = declared.trajectoryModelFor(2);
        assertArrayEquals(new int[] {50}, saved.model().field().hidden());
        assertEquals(InputTransform.CUBE, saved.model().field().input());
        assertEquals(expected.loss(), saved.model().loss());
        assertEquals(expected.train(), saved.model().train());
        assertEquals(expected.eval(), saved.model().eval());
        assertEquals(expected.gradient(), saved.model().gradient());
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        assertEquals("trajectory", json.readTree(files.modelJson()).get("kind").asText());
        var summary = json.readTree(out.resolve("summary.json").toFile());
        assertEquals("trajectory", summary.get("result").get("kind").asText());
        assertEquals(1, summary.get("series").get("train").asInt());
        assertTrue(Double.isFinite(summary.get("result").get("train_rmse").asDouble()), summary.toString());
        assertEquals(3, Files.readAllLines(out.resolve("metrics.jsonl")).size());
        assertPictures(out);
    }

    /** The pendulum, observed through θ alone, is fitted in its delay embedding (θ(t − 15Δ), θ(t)). */
    @Test
    void thePendulumExampleFitsTheDelayEmbedding(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("pendulum");
        trainTrajectory(Path.of("..", "conf", "jobs", "pendulum.conf"), out, "data.n=30");
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        var modelJson = json.readTree(out.resolve("model").resolve("model.json").toFile());
        assertEquals("[\"theta(t-15)\",\"theta\"]", modelJson.get("columns").toString());
        assertEquals(15, modelJson.get("settings").get("data.delay").asInt(), "predict embeds as training did");
        var series = json.readTree(out.resolve("summary.json").toFile()).get("series");
        assertEquals(PendulumSeries.COUNT, series.get("train").asInt() + series.get("val").asInt()
                + series.get("test").asInt(), series.toString());
        assertPictures(out);
        predictsATableOfThetaAsTheSavedModelDoes(out.resolve("model"), tmp);
    }

    /**
     * The trained model through {@code predict}: a table holding θ alone (the columns training stored) is
     * embedded as in training, (θ(t − 15Δ), θ(t)), and predicted from its first embedded observation.
     */
    private static void predictsATableOfThetaAsTheSavedModelDoes(Path model, Path tmp) throws Exception {
        List<String> lines = new ArrayList<>(List.of("series,t,theta"));
        double[] t = new double[20];
        double[] theta = new double[20];
        for (int i = 0; i < 20; i++) {
            t[i] = 0.1 * i;
            theta[i] = 0.5 * Math.cos(t[i]);
            lines.add("swing," + t[i] + "," + theta[i]);
        }
        Path in = tmp.resolve("theta.csv");
        Files.write(in, lines);
        Path out = tmp.resolve("predicted.csv");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = OdeflowCli.run(new String[] {"predict", "--model", model.toString(), "--input", in.toString(),
                "--output", out.toString(), "--single-file"}, new PrintStream(new ByteArrayOutputStream(), true,
                StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
        List<String> rows = Files.readAllLines(out);
        assertEquals("series,t,pred_theta(t-15),pred_theta", rows.get(0));
        assertEquals(1 + 20 - 15, rows.size());
        var files = new ModelDirectory.EncodedModel(Files.readAllBytes(model.resolve("model.json")),
                Files.readAllBytes(model.resolve("weights.safetensors")));
        double[][] expected = TrajectoryModelJson.decode(files, model.toString()).predict(
                new double[] {theta[0], theta[15]}, java.util.Arrays.copyOfRange(t, 15, 20));
        for (int i = 0; i < 5; i++) {
            String[] c = rows.get(1 + i).split(",");
            assertEquals(t[15 + i], Double.parseDouble(c[1]), 0.0);
            assertArrayEquals(expected[i], new double[] {Double.parseDouble(c[2]), Double.parseDouble(c[3])}, 1e-12);
        }
    }

    /** The latent ODE writes its model directory (PyTorch names) and the reconstructions of its shown spirals. */
    @Test
    void theLatentSpiralsExampleWritesALatentModel(@TempDir Path tmp) throws Exception {
        Path job = Path.of("..", "conf", "jobs", "latent-ode-spirals.conf");
        Path out = tmp.resolve("latent");
        String printed = trainTrajectory(job, out, "data.n=40", "batch_size=8", "eval.every=0");
        assertTrue(printed.contains("interp RMSE train ") && printed.contains("; extrap RMSE train "), printed);
        Path model = out.resolve("model");
        var files = new ModelDirectory.EncodedModel(Files.readAllBytes(model.resolve("model.json")),
                Files.readAllBytes(model.resolve("weights.safetensors")));
        SavedLatent saved = LatentModelJson.decode(files, model.toString());
        assertEquals(TrainConfig.from(DriverTraining.load(job, List.of())).latentModelFor(2), saved.model());
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        var result = json.readTree(out.resolve("summary.json").toFile()).get("result");
        assertEquals("latent_ode", result.get("kind").asText());
        for (String key : List.of("train_interp_rmse", "test_interp_rmse", "train_extrap_rmse", "test_extrap_rmse")) {
            assertTrue(Double.isFinite(result.get(key).asDouble()), key + " in " + result);
        }
        java.awt.image.BufferedImage img = javax.imageio.ImageIO.read(out.resolve("reconstructions.png").toFile());
        assertTrue(img != null && img.getWidth() == 800, "reconstructions.png");
        predictsASpiralsPosteriorMeanAndDraws(model, saved, tmp);
    }

    /**
     * The trained latent ODE through {@code predict}: one series of the table (x0, x1 as training stored them),
     * its posterior mean's path (sample 0) as the saved model reconstructs it, and two draws; a trajectory
     * model's --samples is a usage error.
     */
    private static void predictsASpiralsPosteriorMeanAndDraws(Path model, SavedLatent saved, Path tmp)
            throws Exception {
        List<String> lines = new ArrayList<>(List.of("series,t,x0,x1"));
        double[] t = new double[12];
        double[] xy = new double[24];
        for (int i = 0; i < 12; i++) {
            t[i] = 0.3 * i;
            xy[2 * i] = 2 * Math.cos(t[i]);
            xy[2 * i + 1] = 2 * Math.sin(t[i]);
            lines.add("arc," + t[i] + "," + xy[2 * i] + "," + xy[2 * i + 1]);
        }
        Path in = tmp.resolve("arc.csv");
        Files.write(in, lines);
        Path out = tmp.resolve("arc-predicted.csv");
        var r = dev.odeflow.jobs.OdeflowCliTest.run("predict", "--model", model.toString(), "--input", in.toString(),
                "--output", out.toString(), "--times", "0,4,5", "--samples", "2", "--seed", "3", "--single-file");
        assertEquals(0, r.code(), r.err());
        List<String> rows = Files.readAllLines(out);
        assertEquals("series,t,sample,pred_x0,pred_x1", rows.get(0));
        assertEquals(1 + 3 * 3, rows.size());
        double[] mean = saved.model().reconstruct(saved.weights(), new dev.odeflow.kernels.trajectory.Windows(2,
                new int[] {0, 12}, t, xy), new double[] {0, 4, 5}, false, 0)[0];
        for (int k = 0; k < 3; k++) {
            String[] c = rows.get(1 + k).split(",");
            assertEquals("0", c[2]);
            assertArrayEquals(new double[] {mean[2 * k], mean[2 * k + 1]},
                    new double[] {Double.parseDouble(c[3]), Double.parseDouble(c[4])}, 1e-12);
        }
    }

    /**
     * The four MNIST jobs (the seeds' ODE-Net, RK-Net, ResNet and MLP) run two iterations each with their own
     * network, solver, gradient and optimizer on a small IDX sample the test writes (CI has no Fashion-MNIST):
     * only the data directory, the batch, the output and the backend are overridden. Each saves the network its job
     * declares, reports the test error and logs each iteration's NFE (the ODE block's solves: 8 evaluations of 2
     * rk4 steps per image batch forward).
     */
    @Test
    void theMnistExamplesTrainOnASmallIdxSample(@TempDir Path tmp) throws Exception {
        Path mnist = dev.odeflow.jobs.SyntheticMnist.directory(tmp.resolve("mnist"), 120, 30, 28, 5);
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        for (String name : List.of("odenet-mnist", "rknet-mnist", "resnet-mnist", "mlp-mnist")) {
            Path job = Path.of("..", "conf", "jobs", name + ".conf");
            Path out = tmp.resolve(name);
            var r = dev.odeflow.jobs.OdeflowCliTest.run("train", job.toString(), "data=" + mnist,
                    "output.dir=" + out.toUri(), "iterations=2", "batch_size=16", "eval.every=0", TinyFlows.CPU);
            assertEquals(0, r.code(), name + ": " + r.out() + r.err());
            assertTrue(r.out().contains("test accuracy"), name + ": " + r.out());
            Path model = out.resolve("model");
            var saved = dev.odeflow.jobs.model.ClassifierModelJson.decode(new ModelDirectory.EncodedModel(
                    Files.readAllBytes(model.resolve("model.json")),
                    Files.readAllBytes(model.resolve("weights.safetensors"))), model.toString());
            TrainConfig declared = TrainConfig.from(DriverTraining.load(job, List.of()));
            var expected = declared.classifierModelFor(10, new dev.odeflow.kernels.nn.MapShape(28, 28, 1));
            assertEquals(expected.arch(), saved.model().arch(), name);
            assertEquals(expected.train(), saved.model().train(), name);
            assertEquals(expected.gradient(), saved.model().gradient(), name);
            List<String> lines = Files.readAllLines(out.resolve("metrics.jsonl"));
            assertEquals(2, lines.size(), name);
            long nfe = json.readTree(lines.get(1)).get("nfe_forward").asLong();
            boolean ode = declared.classifier().block() == dev.odeflow.kernels.classifier.ClassifierBlock.ODE;
            assertEquals(ode, nfe > 0, name + ": nfe_forward " + nfe);
            var result = json.readTree(out.resolve("summary.json").toFile()).get("result");
            assertEquals("classifier", result.get("kind").asText());
            assertEquals(ode ? expected.gradient().label() : null, ode ? result.get("gradient").asText()
                    : result.get("gradient"), name + ": the gradient names ODE-Net or RK-Net");
            assertTrue(Double.isFinite(result.get("test_error").asDouble()), name + ": " + result);
            assertEquals(30, json.readTree(out.resolve("summary.json").toFile()).get("images").get("test").asInt());
        }
    }

    /** Trains a time-series example for 3 iterations on the CPU; returns what it printed. */
    private static String trainTrajectory(Path job, Path out, String... more) {
        List<String> args = new ArrayList<>(List.of("train", job.toString(), "output.dir=" + out.toUri(),
                "iterations=3", "plots.grid=20", TinyFlows.CPU));
        args.addAll(List.of(more));
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        int code = OdeflowCli.run(args.toArray(String[]::new), new PrintStream(stdout, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        String printed = stdout.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, printed);
        assertTrue(printed.contains("RMSE train "), printed);
        return printed;
    }

    private static void assertPictures(Path out) throws IOException {
        for (String png : List.of("phase.png", "trajectories.png")) {
            java.awt.image.BufferedImage img = javax.imageio.ImageIO.read(out.resolve(png).toFile());
            assertTrue(img != null && img.getWidth() > 100, png);
        }
    }

    @Test
    void theGpuExampleFitsTheCudaKernelsOfAnH100() throws Exception {
        TrainConfig gpu = TrainConfig.from(DriverTraining.load(Path.of("..", "conf", "jobs", "gpu-cluster.conf"),
                List.of()));
        assertEquals(dev.odeflow.kernels.backend.BackendKind.CUDA, gpu.settings().backend());
        NetworkPlan plan = NetworkPlan.of(gpu.architectureFor(POWER_COLUMNS),
                Probe.noise(gpu.settings().divergence(), 1, POWER_COLUMNS, 0).count());
        assertEquals(java.util.Optional.empty(), CudaBackend.unsupportedReason(plan, H100_SHARED_OPT_IN));
        NetworkPlan wide = new NetworkPlan(new int[] {POWER_COLUMNS, 256, 256, 256, POWER_COLUMNS},
                plan.kind(), plan.directions());
        assertTrue(CudaBackend.unsupportedReason(wide, H100_SHARED_OPT_IN).isPresent(),
                "the check refuses the old 256,256,256 network, so it can fail");
    }

    /** A parquet table of `rows` rows of `columns` Gaussian columns x0, x1, .... */
    private static Path parquet(Path path, int columns, int rows) {
        Random rng = new Random(7);
        List<StructField> fields = new ArrayList<>();
        for (int c = 0; c < columns; c++) {
            fields.add(DataTypes.createStructField("x" + c, DataTypes.DoubleType, false));
        }
        List<Row> table = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            Object[] v = new Object[columns];
            for (int c = 0; c < columns; c++) {
                v[c] = rng.nextGaussian() * (c + 1) + c;
            }
            table.add(RowFactory.create(v));
        }
        Dataset<Row> df = spark.createDataFrame(table, DataTypes.createStructType(fields));
        df.write().parquet(path.toString());
        return path;
    }
}
