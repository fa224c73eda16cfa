package dev.odeflow.jobs.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.odeflow.driver.conf.TrainKey;
import dev.odeflow.jobs.OdeflowCli;
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
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RunSummaryTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @AfterAll
    static void stopSpark() {
        SparkSession.getActiveSession().foreach(s -> {
            s.stop();
            return null;
        });
    }

    private static String run(Path job, Path out, String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("train", job.toString(), "output.dir=" + out,
                TinyFlows.CPU));
        args.addAll(List.of(more));
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        int code = OdeflowCli.run(args.toArray(String[]::new), new PrintStream(stdout, true, StandardCharsets.UTF_8),
                new PrintStream(stdout, true, StandardCharsets.UTF_8));
        return code + "\n" + stdout.toString(StandardCharsets.UTF_8);
    }

    @Test
    void summaryHoldsTheResolvedConfigurationFiguresTimesAndWork(@TempDir Path tmp) throws Exception {
        Path job = tmp.resolve("tiny.conf");
        Files.writeString(job, String.join("\n", "data = toy:8gaussians", "data.n = 600", "model.hidden = 8",
                "solver.method = rk4", "solver.steps = 3", "eval.method = rk4", "eval.steps = 2",
                "gradient = direct", "iterations = 4", "batch_size = 64", "partitions = 2", "plots = false", ""));
        Path out = tmp.resolve("run");
        String printed = run(job, out);
        assertTrue(printed.startsWith("0\n"), printed);
        assertTrue(printed.contains("wrote file:" + out.resolve("summary.json")), printed);
        JsonNode s = JSON.readTree(out.resolve("summary.json").toFile());
        assertEquals("succeeded", s.get("status").asText());
        assertEquals(0, s.get("exit_code").asInt());
        JsonNode config = s.get("config");
        for (TrainKey k : TrainKey.values()) {
            assertTrue(config.has(k.key()), "resolved config lacks " + k.key());
        }
        assertEquals("3", config.get("solver.steps").asText(), "the job file's value");
        assertEquals(TrainKey.valueOf("OPTIM_LR").defaultValue(), config.get("optim.lr").asText(), "a default");
        assertEquals("cpu", config.get("backend").asText(), "an override");

        JsonNode r = s.get("result");
        assertEquals(4, r.get("iterations").asLong());
        double test = r.get("test_nll_nats").asDouble();
        assertTrue(printed.contains(String.format(java.util.Locale.ROOT, "test NLL %.4f", test)), printed);
        assertEquals(test / (2 * Math.log(2)), r.get("test_bits_per_dim").asDouble(), 1e-12);
        assertEquals(480, s.get("rows").get("train").asLong());
        assertEquals(60, s.get("rows").get("test").asLong());
        assertTrue(s.get("seconds").get("training").asDouble() > 0);
        assertTrue(s.get("seconds").get("data_preparation").asDouble() > 0);
        assertTrue(s.get("seconds").get("evaluation").asDouble() > 0);

        long nfeInMetrics = 0;
        for (String line : Files.readAllLines(out.resolve("metrics.jsonl"))) {
            nfeInMetrics += JSON.readTree(line).get("nfe_forward").asLong();
        }
        assertEquals(nfeInMetrics, s.get("nfe").get("forward_total").asLong());
        assertEquals(4L * 2 * 3 * 4, nfeInMetrics, "4 iterations x 2 partitions x 3 rk4 steps x 4 stages");
        assertTrue(s.get("spark").get("master").asText().startsWith("local"));
        assertEquals(System.getProperty("java.version"), s.get("versions").get("java").asText());
    }

    @Test
    void aFailedRunLeavesAFailedSummaryWithTheError(@TempDir Path tmp) throws Exception {
        Path job = tmp.resolve("diverges.conf");
        Files.writeString(job, String.join("\n", "data = toy:8gaussians", "data.n = 600", "model.hidden = 8",
                "solver.method = rk4", "solver.steps = 2", "gradient = direct", "iterations = 5", "batch_size = 64",
                "optim.lr = 1e300", "plots = false", ""));
        Path out = tmp.resolve("run");
        String printed = run(job, out);
        assertTrue(printed.startsWith("1\n"), printed);
        assertTrue(Files.isRegularFile(out.resolve("summary.json")), printed);
        JsonNode s = JSON.readTree(out.resolve("summary.json").toFile());
        assertEquals("failed", s.get("status").asText());
        assertEquals(1, s.get("exit_code").asInt());
        assertTrue(printed.contains(s.get("error").asText()), "the error printed: " + s);
        assertEquals("1e300", s.get("config").get("optim.lr").asText());
    }
}
