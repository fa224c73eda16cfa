package dev.odeflow.driver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.odeflow.driver.conf.TrainConfig;
import dev.odeflow.driver.data.SyntheticImages;
import dev.odeflow.driver.metrics.MetricsWriter;
import dev.odeflow.driver.train.ImageScores;
import dev.odeflow.kernels.classifier.ClassifierBlock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The image classifier end to end on local Spark: the MLP block on ten classes of bright squares in noise (IDX
 * files the test writes) learns them, its final scores are consistent, and metrics.jsonl carries the loss, the
 * solver work (NFE) and the periodic validation error of every iteration.
 */
class ClassifierTrainerTest {

    @Test
    void theMlpLearnsTenClassesOfSquaresInNoise(@TempDir Path tmp) throws Exception {
        Path mnist = SyntheticImages.mnistDirectory(tmp.resolve("mnist"), 1500, 400, 7);
        Path out = tmp.resolve("out");
        TrainConfig cfg = CpuConfigs.fromOverrides("model.kind=classifier", "model.block=mlp", "model.hidden=32",
                "data=" + mnist, "data.format=idx", "data.splits=0.9,0.1,0", "optim=sgd", "optim.lr=0.1",
                "optim.momentum=0.9", "optim.weight_decay=0", "batch_size=64", "iterations=60", "eval.every=20",
                "eval.rows=100", "partitions=2", "seed=3", "log.every=20", "output.dir=" + out);
        List<String> console = new ArrayList<>();
        ClassifierResult r = ClassifierTrainer.train(SparkTestSession.get(), cfg, console::add);

        assertEquals(ClassifierBlock.MLP, r.model().arch().block());
        assertEquals(10, r.model().arch().classes());
        assertEquals(60, r.iterations());
        ImageScores test = r.test();
        assertEquals(400, test.images());
        assertTrue(test.error() < 0.1, "test error " + test.error());
        assertTrue(r.train().error() < 0.1, "train error " + r.train().error());
        assertEquals(1500, r.train().images() + r.val().images());
        assertEquals(test.images(), Arrays.stream(test.confusion()).sum());
        long right = 0;
        for (int k = 0; k < 10; k++) {
            right += test.confusion()[k * 10 + k];
        }
        assertEquals(test.images() - test.errors(), right, "the confusion table's diagonal");
        assertTrue(test.meanCrossEntropy() < Math.log(10) / 2, "test cross-entropy " + test.meanCrossEntropy());
        assertTrue(console.stream().anyMatch(l -> l.startsWith("odeflow done: 60 iterations")
                && l.contains("error train ") && l.contains("test cross-entropy")), console.toString());

        List<String> lines = Files.readAllLines(out.resolve(MetricsWriter.FILE_NAME));
        assertEquals(60, lines.size());
        ObjectMapper json = new ObjectMapper();
        JsonNode first = json.readTree(lines.get(0));
        JsonNode last = json.readTree(lines.get(59));
        assertTrue(first.has("nfe_forward") && first.has("nfe_backward"), lines.get(0));
        assertEquals(0, last.get("nfe_forward").asLong(), "the MLP solves nothing");
        assertTrue(last.get("loss").asDouble() < first.get("loss").asDouble() / 3, lines.get(0) + " " + lines.get(59));
        assertTrue(json.readTree(lines.get(19)).has("val_error"), lines.get(19));
        assertTrue(!first.has("train_error"), "a batch's cross-entropy gives no error: " + lines.get(0));
    }
}
