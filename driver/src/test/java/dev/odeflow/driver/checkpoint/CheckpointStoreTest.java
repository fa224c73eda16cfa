package dev.odeflow.driver.checkpoint;

import dev.odeflow.driver.optim.OptimizerState;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.FilterFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.util.Progressable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CheckpointStoreTest {

    private static Checkpoint sample(long iteration) {
        double[] w = {1.5, -0.25, Double.MIN_VALUE, Math.PI, Math.sqrt(0.5)};
        OptimizerState s = new OptimizerState("adam", iteration, new double[][] {{0.1, 0.2, 0.3, 0.4, 0.5},
            {1e-300, 2, 3, 4, 5}});
        return new Checkpoint(iteration, w, s, 42, 3, 100, "run-1",
                new java.util.TreeMap<>(java.util.Map.of("model.activation", "tanh", "seed", "42")));
    }

    @Test
    void roundTripIsExactAndKeepsTheNewest(@TempDir java.nio.file.Path dir) {
        CheckpointStore store = new CheckpointStore(dir.toString(), new Configuration(), 2);
        assertTrue(store.latest().isEmpty());
        store.write(sample(10));
        store.write(sample(20));
        Path last = store.write(sample(30));
        Checkpoint back = store.latest().orElseThrow();
        assertEquals(sample(30), back);
        assertArrayEquals(sample(30).parameters(), back.parameters(), 0.0);
        assertEquals(last, store.latestPath().orElseThrow());
        assertEquals(2, store.list().size(), "keeps only the newest two");
        assertEquals(sample(20), store.read(store.list().get(0)));
    }

    @Test
    void corruptedCheckpointNamesTheFile(@TempDir java.nio.file.Path dir) throws Exception {
        CheckpointStore store = new CheckpointStore(dir.toString(), new Configuration(), 3);
        Path p = store.write(sample(5));
        java.nio.file.Path file = java.nio.file.Path.of(p.toUri());
        java.nio.file.Path sidecar = file.resolveSibling("." + file.getFileName() + ".crc");
        byte[] bytes = Files.readAllBytes(file);
        bytes[40] ^= 0x10;
        Files.write(file, bytes);
        // Hadoop's local file system keeps its own .crc sidecar: it catches the damage first
        CorruptCheckpointException fsLevel = assertThrows(CorruptCheckpointException.class, store::latest);
        assertTrue(fsLevel.getMessage().contains(file.getFileName().toString()), fsLevel.getMessage());
        // without it (e.g. copied files), the checkpoint's own CRC32 does
        Files.deleteIfExists(sidecar);
        CorruptCheckpointException e = assertThrows(CorruptCheckpointException.class, store::latest);
        assertTrue(e.getMessage().contains(file.getFileName().toString()) && e.getMessage().contains("CRC32"),
                e.getMessage());

        Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length - 5));
        CorruptCheckpointException t = assertThrows(CorruptCheckpointException.class, () -> store.read(p));
        assertTrue(t.getMessage().contains(file.getFileName().toString()) && t.getMessage().contains("truncated"),
                t.getMessage());

        Files.writeString(file, "not a checkpoint at all, just text");
        CorruptCheckpointException h = assertThrows(CorruptCheckpointException.class, () -> store.read(p));
        assertTrue(h.getMessage().contains("not an odeflow checkpoint"), h.getMessage());
    }

    @Test
    void failedWriteLeavesNoPartialFile(@TempDir java.nio.file.Path dir) throws Exception {
        Configuration conf = new Configuration();
        FileSystem local = FileSystem.getLocal(conf);
        CheckpointStore good = new CheckpointStore(local, new Path(dir.toUri()), 3);
        good.write(sample(1));
        CheckpointStore failing = new CheckpointStore(new FailingFileSystem(local, 64), new Path(dir.toUri()), 3);
        assertThrows(UncheckedIOException.class, () -> failing.write(sample(2)));
        assertEquals(List.of(good.pathOf(1).getName()), good.list().stream().map(Path::getName).toList());
        assertEquals(sample(1), good.latest().orElseThrow());
        try (Stream<java.nio.file.Path> files = Files.list(dir)) {
            assertTrue(files.noneMatch(f -> f.getFileName().toString().contains("tmp")
                    || f.getFileName().toString().contains("0000000002")), "a partial file is left behind");
        }
    }

    /** A file system whose output streams fail after {@code limit} bytes. */
    static final class FailingFileSystem extends FilterFileSystem {
        private final int limit;

        FailingFileSystem(FileSystem fs, int limit) {
            super(fs);
            this.limit = limit;
        }

        @Override
        public FSDataOutputStream create(Path f, FsPermission permission, boolean overwrite, int bufferSize,
                                         short replication, long blockSize, Progressable progress) throws IOException {
            FSDataOutputStream real = fs.create(f, permission, overwrite, bufferSize, replication, blockSize, progress);
            OutputStream failing = new OutputStream() {
                private int written;

                @Override
                public void write(int b) throws IOException {
                    if (++written > limit) {
                        throw new IOException("disk full (simulated)");
                    }
                    real.write(b);
                }

                @Override
                public void close() throws IOException {
                    real.close();
                }
            };
            return new FSDataOutputStream(failing, null);
        }
    }
}
