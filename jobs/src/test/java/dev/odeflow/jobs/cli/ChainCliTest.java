package dev.odeflow.jobs.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.odeflow.jobs.OdeflowCli;
import dev.odeflow.jobs.model.SavedFlow;
import dev.odeflow.jobs.model.TestModels;
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

/** A job with model.blocks = 2 through the CLI: train, the model directory and summary, then grad by FFJORD name. */
class ChainCliTest {

    @AfterAll
    static void stopSpark() {
        SparkSession.getActiveSession().foreach(s -> {
            s.stop();
            return null;
        });
    }

    @Test
    void aTwoBlockJobTrainsAndItsGradientsCarryChainNames(@TempDir Path tmp) throws Exception {
        Path job = tmp.resolve("chain.conf");
        Files.writeString(job, String.join("\n", "data.n = 600", "model.blocks = 2", "model.hidden = 4d",
                "solver.method = rk4", "solver.steps = 2", "eval.method = rk4", "eval.steps = 2", "gradient = direct",
                "iterations = 3", "batch_size = 64", "partitions = 2", "eval.every = 0", "plots = false", ""));
        Path out = tmp.resolve("run");
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        int code = OdeflowCli.run(new String[] {"train", job.toString(), "output.dir=" + out, TinyFlows.CPU},
                new PrintStream(stdout, true, StandardCharsets.UTF_8),
                new PrintStream(stderr, true, StandardCharsets.UTF_8));
        assertEquals(0, code, stderr.toString(StandardCharsets.UTF_8) + stdout.toString(StandardCharsets.UTF_8));

        SavedFlow flow = TestModels.read(out.resolve("model"));
        assertEquals(2, flow.model().blocks());
        ObjectMapper json = new ObjectMapper();
        JsonNode result = json.readTree(out.resolve("summary.json").toFile()).get("result");
        assertEquals(2, result.get("blocks").asInt());
        assertEquals(2, result.get("T_blocks").size());
        assertEquals(result.get("T_blocks").get(0).asDouble() + result.get("T_blocks").get(1).asDouble(),
                result.get("T").asDouble(), 1e-12);
        for (String line : Files.readAllLines(out.resolve("metrics.jsonl"))) {
            assertTrue(Double.isFinite(json.readTree(line).get("loss").asDouble()), line);
        }

        double[] x = TinyFlows.data(20, 3);
        StringBuilder csv = new StringBuilder("x0,x1\n");
        for (int i = 0; i < 20; i++) {
            csv.append(x[2 * i]).append(',').append(x[2 * i + 1]).append('\n');
        }
        Files.writeString(tmp.resolve("in.csv"), csv);
        stdout.reset();
        stderr.reset();
        code = OdeflowCli.run(new String[] {"grad", "--model", out.resolve("model").toString(), "--input",
                tmp.resolve("in.csv").toString()}, new PrintStream(stdout, true, StandardCharsets.UTF_8),
                new PrintStream(stderr, true, StandardCharsets.UTF_8));
        assertEquals(0, code, stderr.toString(StandardCharsets.UTF_8));
        JsonNode grad = json.readTree(stdout.toString(StandardCharsets.UTF_8));
        JsonNode g = grad.get("gradients");
        assertTrue(g.has("chain.0.odefunc.odefunc.diffeq.layers.0._layer.weight") && g.has("chain.1.sqrt_end_time")
                && !g.has("sqrt_end_time"), g.toString().substring(0, Math.min(400, g.toString().length())));
        assertEquals(2, grad.get("end_times").size());
        assertTrue(g.get("chain.1.sqrt_end_time").isNumber() && g.get("chain.1.sqrt_end_time").asDouble() != 0,
                g.get("chain.1.sqrt_end_time").toString());
    }
}
