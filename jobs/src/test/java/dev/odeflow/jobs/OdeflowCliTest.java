package dev.odeflow.jobs;

import dev.odeflow.jobs.model.TestModels;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.odeflow.jobs.cli.GradCommand;
import dev.odeflow.jobs.cli.SampleCommand;
import dev.odeflow.jobs.model.ModelDirectory;
import dev.odeflow.jobs.model.SavedFlow;
import dev.odeflow.jobs.model.TensorDtype;
import dev.odeflow.jobs.model.TinyFlows;
import dev.odeflow.kernels.dynamics.NamedTensor;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

public class OdeflowCliTest {

    @TempDir
    static Path tmp;
    static Path modelDir;
    static final SavedFlow FLOW = TinyFlows.twoD(3);

    /** A CLI run's exit code and its standard output and error. */
    public record Result(int code, String out, String err) {
    }

    @BeforeAll
    static void saveModel() throws Exception {
        modelDir = tmp.resolve("model");
        // score, sample and grad run on the saved model's backend: the CPU (TinyFlows pins it)
        assertEquals(dev.odeflow.kernels.backend.BackendKind.CPU, FLOW.model().settings().backend());
        TestModels.write(modelDir, FLOW, TensorDtype.F64);
    }

    @AfterAll
    static void stopSpark() {
        SparkSession.getActiveSession().foreach(s -> {
            s.stop();
            return null;
        });
    }

    /** Runs the CLI in this JVM. */
    public static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = OdeflowCli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static void assertUsage(Result r, String fragment) {
        assertEquals(OdeflowCli.USAGE, r.code(), r.err());
        assertTrue(r.err().contains(fragment), "expected '" + fragment + "' in: " + r.err());
    }

    static Path csv(String name, String text) throws Exception {
        Path p = tmp.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    static String rows(double[] x, int n) {
        StringBuilder sb = new StringBuilder("a,b,label\n");
        for (int i = 0; i < n; i++) {
            sb.append(x[2 * i]).append(',').append(x[2 * i + 1]).append(",r").append(i).append('\n');
        }
        return sb.toString();
    }

    @Test
    void everyCommandHasHelpOnStandardOutput() {
        for (String command : java.util.List.of("train", "score", "sample", "predict", "classify", "grad", "bench")) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int code = OdeflowCli.run(new String[] {command, "--help"}, new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8));
            String help = out.toString(StandardCharsets.UTF_8);
            assertEquals(0, code, command + ": " + err);
            assertTrue(help.startsWith("usage: odeflow " + command), help);
            assertTrue(help.contains("exit codes:"), help);
            assertEquals("", err.toString(StandardCharsets.UTF_8), command);
            for (String other : java.util.List.of("train <", "score --", "sample --", "predict --", "classify --",
                    "grad --", "bench [")) {
                if (!other.startsWith(command)) {
                    assertFalse(help.contains("odeflow " + other), command + " help shows only its own usage: " + help);
                }
            }
        }
    }

    @Test
    void usageErrors() {
        assertUsage(run(), "usage: odeflow");
        assertUsage(run("frobnicate"), "unknown command 'frobnicate'");
        assertUsage(run("score", "--model", modelDir.toString(), "--output", "x.csv"), "missing required option --input");
        assertUsage(run("score", "--modle", "x"), "unknown option --modle");
        assertUsage(run("score", "--model"), "option --model needs a value");
        assertUsage(run("sample", "--model", modelDir.toString(), "--n", "-3", "--output", "s.csv"),
                "--n must be a positive integer");
        assertUsage(run("sample", "--model", modelDir.toString(), "--n", "3", "--output", "s.txt"),
                "cannot tell the format");
        assertUsage(run("train"), "expected one job file");
        assertUsage(run("train", "no/such/job.conf"), "job file no/such/job.conf does not exist");
        assertUsage(run("grad", "--model", modelDir.toString(), "--input", "x.csv", "tolerance=3"),
                "unknown setting 'tolerance'");
        assertUsage(run("grad", "--model", modelDir.toString(), "--input", "x.csv", "method=rk7"),
                "unknown solver method 'rk7'");
        Result help = run("help");
        assertEquals(0, help.code());
        assertTrue(help.out().contains("score --model DIR"));
    }

    @Test
    void missingModelAndInputAreNamed() throws Exception {
        Result noModel = run("sample", "--model", tmp.resolve("nope").toString(), "--n", "3", "--output",
                tmp.resolve("s.csv").toString());
        assertEquals(OdeflowCli.FAILED, noModel.code());
        assertTrue(noModel.err().contains(tmp.resolve("nope").toString()), noModel.err());
        Result noInput = run("score", "--model", modelDir.toString(), "--input", tmp.resolve("in.csv").toString(),
                "--output", tmp.resolve("o.csv").toString());
        assertUsage(noInput, "in.csv does not exist");
    }

    @Test
    void sampleWritesTheModelsSamples() throws Exception {
        Path out = tmp.resolve("samples.csv");
        Result r = run("sample", "--model", modelDir.toString(), "--n", "40", "--seed", "5", "--output", out.toString(),
                "--single-file");
        assertEquals(0, r.code(), r.err());
        List<String> lines = Files.readAllLines(out);
        assertEquals("a,b", lines.get(0));
        assertEquals(41, lines.size());
        double[] expected = dev.odeflow.jobs.ml.FlowSampling.block(TestModels.read(modelDir), 0, 40, 5);
        String[] row7 = lines.get(8).split(",");
        assertEquals(expected[14], Double.parseDouble(row7[0]));
        assertEquals(expected[15], Double.parseDouble(row7[1]));
    }

    /**
     * Without --single-file, sample draws and writes in parallel: one part file per task, and the samples are those
     * of their blocks whatever the partitioning.
     */
    @Test
    void sampleWritesPartFilesInParallel() throws Exception {
        int n = 2500; // blocks of 1024, 1024 and 452 samples
        Path out = tmp.resolve("samples.parquet");
        Result r = run("sample", "--model", modelDir.toString(), "--n", Integer.toString(n), "--seed", "9",
                "--output", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("(3 part files)"), r.out());
        long parts;
        try (java.util.stream.Stream<Path> s = Files.list(out)) {
            parts = s.filter(p -> p.getFileName().toString().startsWith("part-")).count();
        }
        assertEquals(3, parts);
        List<Row> back = SparkSession.active().read().parquet(out.toString()).collectAsList();
        assertEquals(n, back.size());
        SavedFlow flow = TestModels.read(modelDir);
        java.util.List<Double> expected = new java.util.ArrayList<>();
        for (int b = 0; b < 3; b++) {
            double[] x = dev.odeflow.jobs.ml.FlowSampling.block(flow, b, b < 2 ? 1024 : 452, 9);
            for (int i = 0; i < x.length; i += 2) {
                expected.add(x[i]);
            }
        }
        java.util.List<Double> got = new java.util.ArrayList<>(back.stream().map(row -> row.getDouble(0)).toList());
        java.util.Collections.sort(expected);
        java.util.Collections.sort(got);
        assertEquals(expected, got);
    }

    @Test
    void scoreAddsLogLikelihoodInDataSpace() throws Exception {
        int n = 30;
        double[] x = TinyFlows.data(n, 11);
        Path in = csv("in.csv", rows(x, n));
        Path out = tmp.resolve("scored.csv");
        Result r = run("score", "--model", modelDir.toString(), "--input", in.toString(), "--output", out.toString(),
                "--single-file");
        assertEquals(0, r.code(), r.err());
        List<String> lines = Files.readAllLines(out);
        assertEquals("a,b,label,log_likelihood", lines.get(0));
        assertEquals(n + 1, lines.size());
        double[] ll = FLOW.logLikelihood(x, n);
        for (int i = 0; i < n; i++) {
            String[] f = lines.get(i + 1).split(",");
            int row = Integer.parseInt(f[2].substring(1));
            assertEquals(ll[row], Double.parseDouble(f[3]), 1e-12 * Math.abs(ll[row]));
        }
        // a Parquet input read in several partitions is scored and written by as many tasks: one part file each
        Path inPq = tmp.resolve("in.parquet");
        SparkSession.active().read().option("header", "true").option("inferSchema", "true").csv(in.toString())
                .repartition(3).write().parquet(inPq.toString());
        int partitions = SparkSession.active().read().parquet(inPq.toString()).rdd().getNumPartitions();
        assertTrue(partitions >= 2, "input partitions: " + partitions);
        Path pq = tmp.resolve("scored.parquet");
        Result scored = run("score", "--model", modelDir.toString(), "--input", inPq.toString(), "--output",
                pq.toString());
        assertEquals(0, scored.code(), scored.err());
        assertTrue(scored.out().contains("wrote " + n + " rows to file:" + pq + " (" + partitions + " part files)"), scored.out());
        List<Row> back = SparkSession.active().read().parquet(pq.toString()).orderBy("label").collectAsList();
        assertEquals(n, back.size());
        assertEquals(ll[0], back.get(0).getDouble(back.get(0).fieldIndex("log_likelihood")), 1e-12 * Math.abs(ll[0]));
    }

    @Test
    void scoreRejectsBadColumnsAndNaNs() throws Exception {
        Path three = csv("three.csv", "p,q,r\n1,2,3\n4,5,6\n");
        Result dim = run("score", "--model", modelDir.toString(), "--input", three.toString(), "--output",
                tmp.resolve("o1.csv").toString());
        assertEquals(OdeflowCli.FAILED, dim.code());
        assertTrue(dim.err().contains("dimension 2") && dim.err().contains("3 feature column(s)"), dim.err());

        Path text = csv("text.csv", "a,b\n1,x\n2,y\n");
        Result type = run("score", "--model", modelDir.toString(), "--input", text.toString(), "--output",
                tmp.resolve("o2.csv").toString());
        assertTrue(type.err().contains("column 'b' has type string"), type.err());

        Path nan = csv("nan.csv", "a,b\n1,2\n3,\n5,6\n7,NaN\n");
        Result fail = run("score", "--model", modelDir.toString(), "--input", nan.toString(), "--output",
                tmp.resolve("o3.csv").toString());
        assertEquals(OdeflowCli.FAILED, fail.code());
        assertTrue(fail.err().contains("2 of 4 rows"), fail.err());
        assertTrue(!Files.exists(tmp.resolve("o3.csv")), "nothing written on failure");

        Path dropped = tmp.resolve("o4.csv");
        Result drop = run("score", "--model", modelDir.toString(), "--input", nan.toString(), "--output",
                dropped.toString(), "--nan", "drop", "--single-file");
        assertEquals(0, drop.code(), drop.err());
        assertEquals(3, Files.readAllLines(dropped).size());
    }

    @Test
    void gradMatchesFiniteDifferencesOfItsOwnLoss() throws Exception {
        int n = 12;
        double[] x = TinyFlows.data(n, 21);
        Path in = csv("grad.csv", rows(x, n));
        Result r = run("grad", "--model", modelDir.toString(), "--input", in.toString(), "gradient=direct",
                "method=rk4", "steps=5", TinyFlows.CPU);
        assertEquals(0, r.code(), r.err());
        JsonNode json = new ObjectMapper().readTree(r.out());
        SavedFlow flow = FLOW.withSettings(FLOW.model().settings().withTrain(
                dev.odeflow.kernels.solver.SolverConfig.fixedSteps(dev.odeflow.kernels.solver.Method.RK4, 5)));
        GradCommand.Report report = GradCommand.compute(flow, x, n, 0);
        assertEquals(report.loss(), json.get("loss").asDouble(), 1e-12 * Math.abs(report.loss()));
        assertEquals(n, json.get("rows").asInt());
        assertTrue(json.get("nfe").get("forward").asLong() > 0);
        assertEquals(flow.model().layout().names(), iterable(json.get("gradients")));

        NamedTensor weight = flow.model().layout().get("layers.0._layer.weight");
        JsonNode g = json.get("gradients").get(weight.name());
        assertEquals(weight.shape()[0], g.size());
        assertEquals(weight.shape()[1], g.get(0).size());
        double printed = g.get(3).get(1).asDouble();
        double fd = centralDifference(flow, x, n, weight.offset() + 3 * weight.shape()[1] + 1);
        assertEquals(fd, printed, 1e-6 * Math.max(1, Math.abs(fd)));

        NamedTensor s = flow.model().layout().get("sqrt_end_time");
        JsonNode gs = json.get("gradients").get("sqrt_end_time");
        assertTrue(gs.isNumber());
        assertEquals(centralDifference(flow, x, n, s.offset()), gs.asDouble(), 1e-6 * Math.max(1, Math.abs(gs.asDouble())));

        // issue 8, item 8: the overrides are spelled as in job files; the short names mean the same
        Result keys = run("grad", "--model", modelDir.toString(), "--input", in.toString(), "gradient=direct",
                "solver.method=rk4", "solver.steps=5", TinyFlows.CPU);
        assertEquals(0, keys.code(), keys.err());
        assertEquals(r.out(), keys.out(), "job-file keys and short names give the same result");
        assertUsage(run("grad", "--model", modelDir.toString(), "--input", in.toString(), "steps=5",
                "solver.steps=6"), "setting solver.steps given twice");
    }

    private static double centralDifference(SavedFlow flow, double[] x, int n, int k) {
        double h = 1e-5;
        double[] w = flow.weights();
        double[] up = w.clone();
        double[] down = w.clone();
        up[k] += h;
        down[k] -= h;
        return (GradCommand.compute(flow.withWeights(up), x, n, 0).loss()
                - GradCommand.compute(flow.withWeights(down), x, n, 0).loss()) / (2 * h);
    }

    private static List<String> iterable(JsonNode o) {
        List<String> names = new java.util.ArrayList<>();
        o.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void benchPrintsOneJsonLinePerBatchAndRejectsUnknownKeys() throws Exception {
        Result r = run("bench", "what=eval_forward", "batch=3,5");
        assertEquals(0, r.code(), r.err());
        String[] lines = r.out().trim().split("\n");
        assertEquals(2, lines.length, r.out());
        JsonNode first = new ObjectMapper().readTree(lines[0]);
        assertEquals(3, first.get("batch").asInt());
        assertEquals("eval_forward", first.get("what").asText());
        assertTrue(first.get("median_s").asDouble() > 0, lines[0]);
        Result bad = run("bench", "help=1");
        assertEquals(OdeflowCli.USAGE, bad.code());
        assertTrue(bad.err().contains("unknown bench key 'help'"), bad.err());
    }

    /** Issue 13, finding 8: score reports an infinite value by file-relative row, in one line. */
    @Test
    void scoreNamesTheFileRowOfAnInfiniteValue() throws Exception {
        StringBuilder b = new StringBuilder("a,b\n");
        for (int i = 1; i <= 2000; i++) {
            b.append(i == 1500 ? "Infinity" : Double.toString(0.001 * i)).append(',').append(0.5).append('\n');
        }
        Path in = csv("inf-score.csv", b.toString());
        Result r = run("score", "--model", modelDir.toString(), "--input", in.toString(), "--output",
                tmp.resolve("inf-out.csv").toString());
        assertEquals(OdeflowCli.FAILED, r.code(), r.err());
        assertTrue(r.err().contains(in + ": row 1500 (line 1501), column 'a' is Infinity"), r.err());
        assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
    }

    /** Issue 13, finding 9: a full disk under score is one line naming the output path. */
    @Test
    void scoreOntoAFullDiskNamesTheOutput() throws Exception {
        Path in = csv("disk.csv", rows(new java.util.SplittableRandom(4).doubles(60).toArray(), 30));
        Path target = java.nio.file.Files.createDirectories(tmp.resolve(dev.odeflow.jobs.cli.FullDiskFileSystem.MARKER))
                .resolve("scored.csv");
        org.apache.hadoop.conf.Configuration hc = dev.odeflow.jobs.cli.SparkSessions.getOrCreate("odeflow score")
                .sparkContext().hadoopConfiguration();
        hc.set("fs.file.impl", dev.odeflow.jobs.cli.FullDiskFileSystem.class.getName());
        hc.setBoolean("fs.file.impl.disable.cache", true);
        try {
            Result r = run("score", "--model", modelDir.toString(), "--input", in.toString(), "--output",
                    target.toString());
            assertEquals(OdeflowCli.FAILED, r.code(), r.err());
            assertTrue(r.err().startsWith("odeflow score: cannot write file:" + target + ": "), r.err());
            assertTrue(r.err().contains("No space left on device"), r.err());
            assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
        } finally {
            hc.unset("fs.file.impl");
            hc.unset("fs.file.impl.disable.cache");
            org.apache.hadoop.fs.FileSystem.closeAll();
        }
    }

    /** Issue 13: an unexpected failure is one line with its class and how to get the stack trace. */
    @Test
    void unexpectedFailuresAreOneLineWithTheDebugHint() {
        assertEquals("java.lang.NullPointerException: boom", OdeflowCli.describe(new NullPointerException("boom")));
        assertEquals("x.csv: bad", OdeflowCli.describe(new org.apache.spark.SparkException("job aborted",
                new IllegalArgumentException("x.csv: bad"))));
        Result usage = run("--debug", "train", "date=2026-01-01/nope.conf");
        assertUsage(usage, "job file date=2026-01-01/nope.conf does not exist");
        Result r = run("sample", "--model", tmp.resolve("nope").toString(), "--n", "3", "--output",
                tmp.resolve("s.csv").toString());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        Result debug = run("--debug", "sample", "--model", tmp.resolve("nope").toString(), "--n", "3", "--output",
                tmp.resolve("s.csv").toString());
        assertTrue(debug.err().lines().count() > 3 && debug.err().contains("\tat "), "stack trace: " + debug.err());
    }
}
