package dev.odeflow.driver.output;

import dev.odeflow.driver.checkpoint.Checkpoint;
import dev.odeflow.driver.checkpoint.CheckpointStore;
import dev.odeflow.driver.checkpoint.CorruptCheckpointException;
import dev.odeflow.driver.metrics.IterationMetrics;
import dev.odeflow.driver.metrics.MetricsWriter;
import dev.odeflow.driver.optim.OptimizerState;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Finding: the metrics and checkpoint writers used fixed temporary names and followed planted symlinks, so
 * training overwrote a file outside the output directory. Temporary names are now fresh and created
 * exclusively, and final names are replaced by rename, never written through.
 */
class PlantedLinksTest {

    @Test
    void metricsNeverWriteThroughALink(@TempDir Path dir) throws Exception {
        Path victim = Files.writeString(dir.resolve("victim.txt"), "precious");
        Path out = Files.createDirectories(dir.resolve("out"));
        Files.createSymbolicLink(out.resolve(".metrics.jsonl.tmp"), victim);
        Files.createSymbolicLink(out.resolve(MetricsWriter.FILE_NAME), victim);
        try (MetricsWriter w = MetricsWriter.open(OutputStore.local(out), -1)) {
            w.write(new IterationMetrics(1, 0.5, 1.5, 10, 12, 3, 0, 0.1, 0.1, 100, 0.5, 1e-3, 1.0, Double.NaN, "nll",
                    Double.NaN, Double.NaN));
        }
        assertEquals("precious", Files.readString(victim));
        Path metrics = out.resolve(MetricsWriter.FILE_NAME);
        assertTrue(Files.isRegularFile(metrics, LinkOption.NOFOLLOW_LINKS), "the link was replaced by a file");
        assertTrue(Files.readString(metrics).startsWith("{\"iteration\":1,"));
    }

    @Test
    void checkpointsNeverWriteThroughALink(@TempDir Path dir) throws Exception {
        Path victim = Files.writeString(dir.resolve("victim.txt"), "precious");
        Path ck = Files.createDirectories(dir.resolve("ck"));
        Files.createSymbolicLink(ck.resolve(".checkpoint-0000000002.ckpt.tmp"), victim);
        CheckpointStore store = new CheckpointStore(ck.toString(), new Configuration(), 2);
        store.write(new Checkpoint(2, new double[] {1, 2}, new OptimizerState("adam", 2, new double[0][]), 1, 1, 8,
                "run", new TreeMap<>()));
        assertEquals("precious", Files.readString(victim));
        assertEquals(2, store.latest().orElseThrow().iteration());
    }

    @Test
    void aStrayCheckpointNameIsAClearError(@TempDir Path dir) throws Exception {
        Path ck = Files.createDirectories(dir.resolve("ck"));
        Files.writeString(ck.resolve("checkpoint-99999999999999999999.ckpt"), "x");
        CheckpointStore store = new CheckpointStore(ck.toString(), new Configuration(), 2);
        CorruptCheckpointException e = assertThrows(CorruptCheckpointException.class, store::list);
        assertTrue(e.getMessage().contains("checkpoint-99999999999999999999.ckpt")
                && e.getMessage().contains("out of range"), e.getMessage());
    }
}
