package dev.odeflow.driver;

import dev.odeflow.driver.conf.TrainConfig;
import dev.odeflow.driver.metrics.MetricsWriter;
import dev.odeflow.kernels.backend.BackendKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CnfTrainerTest {

    @Test
    void shortTrainOnEightGaussiansLowersTheLoss(@TempDir Path dir) throws Exception {
        TrainConfig cfg = CpuConfigs.fromOverrides("data=toy:8gaussians", "data.n=3000", "partitions=2", "seed=1",
                "model.hidden=16,16", "solver.method=rk4", "solver.steps=4", "eval.method=rk4", "eval.steps=8",
                "iterations=60", "batch_size=200", "optim.lr=0.02", "eval.every=30", "eval.rows=200",
                "log.every=20", "output.dir=" + dir);
        List<String> console = new ArrayList<>();
        TrainResult r = CnfTrainer.train(SparkTestSession.get(), cfg, console::add);
        assertEquals(60, r.iterations());
        assertEquals(BackendKind.CPU, r.model().settings().backend());
        assertEquals(List.of("x0", "x1"), r.columns());
        assertEquals(r.model().parameterCount(), r.parameters().length);
        assertTrue(Double.isFinite(r.valNll()) && Double.isFinite(r.testNll()), r.toString());
        assertTrue(r.endTime() != 0.5, "T is trained");

        List<String> lines = Files.readAllLines(dir.resolve(MetricsWriter.FILE_NAME));
        assertEquals(60, lines.size());
        Pattern loss = Pattern.compile("\"loss\":([-0-9.eE+]+)");
        double[] l = new double[60];
        for (int i = 0; i < 60; i++) {
            Matcher m = loss.matcher(lines.get(i));
            assertTrue(m.find(), lines.get(i));
            l[i] = Double.parseDouble(m.group(1));
        }
        double first = (l[0] + l[1] + l[2] + l[3] + l[4]) / 5;
        double last = (l[55] + l[56] + l[57] + l[58] + l[59]) / 5;
        assertTrue(last < first - 0.3, "loss went from " + first + " to " + last);
        assertTrue(r.testNll() < first, "test NLL " + r.testNll() + " vs initial loss " + first);
        assertTrue(console.stream().anyMatch(s -> s.startsWith("odeflow iter 20/60")), console.toString());
        assertTrue(console.get(console.size() - 1).contains("test NLL"), console.toString());
        assertEquals(dir.resolve(MetricsWriter.FILE_NAME), Path.of(java.net.URI.create(r.metricsFile().orElseThrow())));
    }

    @Test
    void unwritableOutputPathIsNamed(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        TrainConfig cfg = CpuConfigs.fromOverrides("output.dir=" + file.resolve("sub"), "iterations=1");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CnfTrainer.train(SparkTestSession.get(), cfg));
        assertTrue(e.getMessage().contains("output.dir " + file.resolve("sub")), e.getMessage());
        TrainConfig ck = CpuConfigs.fromOverrides("checkpoint.dir=" + file.resolve("ck"), "checkpoint.every=1",
                "iterations=1");
        IllegalArgumentException c = assertThrows(IllegalArgumentException.class,
                () -> CnfTrainer.train(SparkTestSession.get(), ck));
        assertTrue(c.getMessage().contains("checkpoint.dir " + file.resolve("ck")), c.getMessage());
    }
}
