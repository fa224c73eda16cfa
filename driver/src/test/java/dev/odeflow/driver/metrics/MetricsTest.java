package dev.odeflow.driver.metrics;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.odeflow.driver.output.OutputStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MetricsTest {

    private static IterationMetrics m(long it, double loss, double val) {
        return new IterationMetrics(it, loss, loss + 1, 100, 150, 20, 2, 1.5, 0.5, 200, 0.25, 1e-3, 3.0, val, "nll",
                Double.NaN, Double.NaN);
    }

    @Test
    void jsonLineHasTheFieldsAndNullsForNonFinite() {
        String j = m(12, 2.5, Double.NaN).toJson();
        assertTrue(j.startsWith("{\"iteration\":12,\"loss\":2.500000000,\"train_nll\":3.500000000"), j);
        assertTrue(j.contains("\"nfe_forward\":100,\"nfe_backward\":150,\"accepted\":20,\"rejected\":2"), j);
        assertTrue(j.contains("\"T\":0.2500000000") && j.contains("\"samples_per_s\":200.0000000"), j);
        assertFalse(j.contains("val_nll"), j);
        String inf = m(1, Double.POSITIVE_INFINITY, 3.0).toJson();
        assertTrue(inf.contains("\"loss\":null") && inf.contains("\"val_nll\":3.000000000"), inf);
        assertFalse(j.contains("l2int") || j.contains("JFrobint"), "no regularizer fields when they are off: " + j);
    }

    @Test
    void regularizedIterationsLogTheMeanIntegrals() {
        String j = new IterationMetrics(3, 2.5, 3.4, 100, 150, 20, 2, 1.5, 0.5, 200, 0.25, 1e-3, 3.0, Double.NaN,
                "nll", 1.25, 7.5).toJson();
        assertTrue(j.endsWith(",\"l2int\":1.250000000,\"JFrobint\":7.500000000}"), j);
        String kineticOnly = new IterationMetrics(3, 2.5, 3.4, 100, 150, 20, 2, 1.5, 0.5, 200, 0.25, 1e-3, 3.0,
                Double.NaN, "nll", 1.25, Double.NaN).toJson();
        assertTrue(kineticOnly.contains("l2int") && !kineticOnly.contains("JFrobint"), kineticOnly);
    }

    @Test
    void resumedWriterKeepsLinesUpToTheCheckpoint(@TempDir Path dir) throws Exception {
        try (MetricsWriter w = MetricsWriter.open(OutputStore.local(dir), -1)) {
            for (int i = 1; i <= 5; i++) {
                w.write(m(i, i, Double.NaN));
            }
        }
        try (MetricsWriter w = MetricsWriter.open(OutputStore.local(dir), 3)) {
            w.write(m(4, 40, Double.NaN));
        }
        List<String> lines = Files.readAllLines(dir.resolve(MetricsWriter.FILE_NAME));
        assertEquals(4, lines.size());
        assertTrue(lines.get(3).startsWith("{\"iteration\":4,\"loss\":40.0"), lines.get(3));
        try (MetricsWriter w = MetricsWriter.open(OutputStore.local(dir), -1)) {
            w.write(m(1, 1, Double.NaN));
        }
        assertEquals(1, Files.readAllLines(dir.resolve(MetricsWriter.FILE_NAME)).size(), "a fresh run starts over");
    }

    /**
     * On a file system without appends (here Hadoop's checksummed local file system, which the store treats like
     * HDFS or S3) the lines are held and the file rewritten atomically: after close it holds every line, and a
     * resume keeps the lines up to the checkpoint.
     */
    @Test
    void withoutAppendsTheFileIsRewrittenWhole(@TempDir Path dir) throws Exception {
        org.apache.hadoop.conf.Configuration conf = new org.apache.hadoop.conf.Configuration();
        OutputStore store = OutputStore.on(org.apache.hadoop.fs.FileSystem.getLocal(conf),
                new org.apache.hadoop.fs.Path(dir.toUri()), conf);
        assertTrue(store.localPath().isEmpty(), "the generic path, not the local append");
        try (MetricsWriter w = MetricsWriter.open(store, -1)) {
            for (int i = 1; i <= 5; i++) {
                w.write(m(i, i, Double.NaN));
            }
            assertEquals("", Files.readString(dir.resolve(MetricsWriter.FILE_NAME)), "held until due or closed");
        }
        assertEquals(5, Files.readAllLines(dir.resolve(MetricsWriter.FILE_NAME)).size());
        try (MetricsWriter w = MetricsWriter.open(store, 2)) {
            w.write(m(3, 30, Double.NaN));
        }
        List<String> lines = Files.readAllLines(dir.resolve(MetricsWriter.FILE_NAME));
        assertEquals(3, lines.size(), lines.toString());
        assertTrue(lines.get(2).startsWith("{\"iteration\":3,\"loss\":30.0"), lines.get(2));
    }

    /** Issue 13, finding 9: a torn last line (a run died mid-write) is dropped when the run resumes. */
    @Test
    void resumeDropsATornLastLine(@TempDir Path dir) throws Exception {
        try (MetricsWriter w = MetricsWriter.open(OutputStore.local(dir), -1)) {
            for (int i = 1; i <= 3; i++) {
                w.write(m(i, i, Double.NaN));
            }
        }
        Path f = dir.resolve(MetricsWriter.FILE_NAME);
        Files.writeString(f, "{\"iteration\":4,\"loss\":4.0", java.nio.file.StandardOpenOption.APPEND);
        assertEquals(3, MetricsWriter.wholeLines(Files.readString(f), f.toString()).size());
        try (MetricsWriter w = MetricsWriter.open(OutputStore.local(dir), 10)) {
            w.write(m(4, 40, Double.NaN));
        }
        List<String> lines = Files.readAllLines(f);
        assertEquals(4, lines.size(), lines.toString());
        assertTrue(lines.get(3).startsWith("{\"iteration\":4,\"loss\":40.0"), lines.get(3));
        assertTrue(Files.readString(f).endsWith("}\n"));
    }

    @Test
    void progressLineAndDurations() {
        String line = ProgressReporter.line(m(20, 2.91, Double.NaN), 10, 5.0, 100);
        assertTrue(line.startsWith("odeflow iter 20/100  loss 2.9100  nfe 100/150"), line);
        assertTrue(line.endsWith("eta 40s"), line);
        assertEquals("1m15s", ProgressReporter.duration(75));
        assertEquals("2h05m", ProgressReporter.duration(7500));
        assertEquals("?", ProgressReporter.duration(Double.NaN));
    }
}
