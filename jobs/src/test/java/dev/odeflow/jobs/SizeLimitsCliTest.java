package dev.odeflow.jobs;

import dev.odeflow.jobs.model.TestModels;
import dev.odeflow.jobs.model.ModelDirectory;
import dev.odeflow.jobs.model.TensorDtype;
import dev.odeflow.jobs.model.TinyFlows;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 13, findings 6 and 7 through the command line: each oversized input ends in one error line (no stack
 * trace) that names the value and the limit; a tiny solver budget ends a training job with the budget, t and h.
 */
class SizeLimitsCliTest {

    @TempDir
    static Path tmp;

    @AfterAll
    static void stopSpark() {
        SparkSession.getActiveSession().foreach(s -> {
            s.stop();
            return null;
        });
    }

    private record Result(int code, String err) {
    }

    private static Result run(String... args) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = OdeflowCli.run(args, new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, err.toString(StandardCharsets.UTF_8));
    }

    /** The first line of stderr holds the fragment, and no stack trace follows. */
    private static void assertOneLine(Result r, int code, String fragment) {
        assertEquals(code, r.code(), r.err());
        String first = r.err().lines().findFirst().orElse("");
        assertTrue(first.contains(fragment), "expected '" + fragment + "' in: " + r.err());
        assertTrue(!r.err().contains("\tat "), r.err());
        assertTrue(r.err().lines().skip(1).allMatch(l -> l.startsWith("run 'odeflow help'")), r.err());
    }

    @Test
    void aSingleFileBeyondTheLimitIsAUsageError() throws Exception {
        Path model = tmp.resolve("model");
        TestModels.write(model, TinyFlows.twoD(3), TensorDtype.F64);
        assertOneLine(run("sample", "--model", model.toString(), "--n", "16000000", "--single-file", "--output",
                tmp.resolve("s.csv").toString()), OdeflowCli.USAGE,
                "odeflow: sample: --single-file: 16000000 rows are more than the 10000000 one task may write; leave it"
                        + " out to write a directory of part files in parallel");
    }

    @Test
    void benchBatchBeyondTheMemoryEstimateIsAUsageError() {
        assertOneLine(run("bench", "batch=100000000"), OdeflowCli.USAGE,
                "odeflow: bench: batch=100000000: 100000000 samples need about 1629638 MiB for the network's buffers"
                        + " (17088 bytes per sample), more than the ");
    }

    @Test
    void hiddenWidthsInAJobFileAreCheckedBeforeTraining() throws Exception {
        Path job = Files.writeString(tmp.resolve("wide.conf"), "data = toy:8gaussians\nmodel.hidden = 100000000\n");
        assertOneLine(run("train", job.toString()), OdeflowCli.FAILED, "model.hidden = '100000000': hidden width"
                + " 100000000 exceeds the limit of 65536 units per layer");
        assertOneLine(run("train", job.toString(), "model.hidden=65536,65536"), OdeflowCli.FAILED,
                "model.hidden = '65536,65536': hidden widths [65536, 65536] give 4295622661 parameters at data"
                        + " dimension 1, more than the limit of 33554432");
    }

    @Test
    void aTinyStepBudgetEndsTrainingWithTheBudgetTimeAndStep() throws Exception {
        Path job = Files.writeString(tmp.resolve("budget.conf"), String.join("\n",
                "data = toy:8gaussians", "data.n = 400", "model.hidden = 8", "solver.method = dopri5",
                "solver.rtol = 1e-10", "solver.atol = 1e-10", "solver.max_steps = 2",
                "eval.method = rk4", "eval.steps = 2", "iterations = 2", "batch_size = 32",
                "partitions = 1", TinyFlows.CPU, ""));
        Result r = run("train", job.toString(), "output.dir=" + tmp.resolve("budget-run"));
        assertOneLine(r, OdeflowCli.FAILED, "odeflow train: maximum number of steps (2) reached at t=");
        assertTrue(r.err().contains(", h=") && r.err().contains("function evaluations"), r.err());
    }
}
