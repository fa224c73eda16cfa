package dev.odeflow.driver.output;

import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OutputStoreTest {

    private static final Configuration CONF = new Configuration();

    private static List<String> names(Path dir) throws IOException {
        try (var s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aPathAndAFileUriNameTheSameStoreAndNoChecksumFilesAppear(@TempDir Path tmp) throws Exception {
        OutputStore byPath = OutputStore.at(tmp.resolve("run").toString(), CONF);
        OutputStore byUri = OutputStore.at(tmp.resolve("run").toUri().toString(), CONF);
        assertEquals(byPath.uri(), byUri.uri());
        byPath.writeFile("a.json", "{}".getBytes(StandardCharsets.UTF_8));
        byUri.writeFile("a.json", "{\"x\":1}".getBytes(StandardCharsets.UTF_8));
        assertEquals("{\"x\":1}", Files.readString(tmp.resolve("run/a.json")));
        assertEquals(List.of("a.json"), names(tmp.resolve("run")), "no .crc, no temporary file left");
        assertEquals(tmp.resolve("run"), byPath.localPath().orElseThrow());
    }

    @Test
    void aFailedWriteLeavesTheOldFileAndNoTemporary(@TempDir Path tmp) throws Exception {
        OutputStore store = OutputStore.at(tmp.toString(), CONF);
        store.writeFile("summary.json", "old".getBytes(StandardCharsets.UTF_8));
        IOException e = assertThrows(IOException.class, () -> store.writeFile("summary.json", out -> {
            out.write("half".getBytes(StandardCharsets.UTF_8));
            throw new IOException("No space left on device");
        }));
        assertTrue(e.getMessage().contains(tmp.resolve("summary.json").toString())
                && e.getMessage().contains("No space left"), "names the path and the cause: " + e.getMessage());
        assertEquals("old", Files.readString(tmp.resolve("summary.json")));
        assertEquals(List.of("summary.json"), names(tmp));
    }

    @Test
    void aDirectoryIsReplacedOnlyWhenTheNewOneIsComplete(@TempDir Path tmp) throws Exception {
        OutputStore store = OutputStore.at(tmp.toString(), CONF);
        store.writeDirectory("model", d -> {
            d.writeFile("model.json", "v1".getBytes(StandardCharsets.UTF_8));
            d.writeFile("weights.safetensors", new byte[] {1, 2, 3});
        });
        AtomicBoolean sawOld = new AtomicBoolean();
        assertThrows(IOException.class, () -> store.writeDirectory("model", d -> {
            d.writeFile("model.json", "v2".getBytes(StandardCharsets.UTF_8));
            sawOld.set(Files.readString(tmp.resolve("model/model.json")).equals("v1"));
            throw new IOException("disk full");
        }));
        assertTrue(sawOld.get(), "readers see the old model while the new one is written");
        assertEquals("v1", Files.readString(tmp.resolve("model/model.json")));
        assertEquals(List.of("model"), names(tmp));
        store.writeDirectory("model", d -> d.writeFile("model.json", "v3".getBytes(StandardCharsets.UTF_8)));
        assertEquals(List.of("model.json"), names(tmp.resolve("model")), "the new directory replaces the old whole");
        assertArrayEquals("v3".getBytes(StandardCharsets.UTF_8), store.child("model").readFile("model.json", 10));
    }

    @Test
    void theGenericHadoopPathReplacesFilesAndDirectoriesToo(@TempDir Path tmp) throws Exception {
        // Hadoop's checksummed local file system goes through FileContext's rename with OVERWRITE, as HDFS does.
        OutputStore store = OutputStore.on(org.apache.hadoop.fs.FileSystem.getLocal(CONF),
                new org.apache.hadoop.fs.Path(tmp.toUri()), CONF);
        store.writeFile("metrics.jsonl", "1\n".getBytes(StandardCharsets.UTF_8));
        store.writeFile("metrics.jsonl", "1\n2\n".getBytes(StandardCharsets.UTF_8));
        assertEquals("1\n2\n", new String(store.readFile("metrics.jsonl", 100), StandardCharsets.UTF_8));
        store.writeDirectory("model", d -> d.writeFile("model.json", "v1".getBytes(StandardCharsets.UTF_8)));
        store.writeDirectory("model", d -> d.writeFile("model.json", "v2".getBytes(StandardCharsets.UTF_8)));
        assertEquals("v2", Files.readString(tmp.resolve("model/model.json")));
        assertTrue(names(tmp).stream().noneMatch(n -> n.contains(".tmp-")), names(tmp).toString());
    }

    @Test
    void namesAreConfinedAndReadsAreBounded(@TempDir Path tmp) throws Exception {
        OutputStore store = OutputStore.at(tmp.resolve("out").toString(), CONF);
        for (String bad : List.of("../escape", "a/b", "..", "")) {
            assertThrows(IllegalArgumentException.class, () -> store.writeFile(bad, new byte[1]), bad);
        }
        assertFalse(Files.exists(tmp.resolve("escape")));
        store.writeFile("big", new byte[100]);
        IOException e = assertThrows(IOException.class, () -> store.readFile("big", 99));
        assertTrue(e.getMessage().contains("100 bytes"), e.getMessage());
        Files.writeString(tmp.resolve("file"), "x");
        IOException notDir = assertThrows(IOException.class,
                () -> OutputStore.at(tmp.resolve("file").toString(), CONF).checkWritable());
        assertTrue(notDir.getMessage().contains(tmp.resolve("file").toString()), notDir.getMessage());
    }

    /**
     * A writer that creates its own entry (as Spark's writers create a directory of part files) is published only
     * when it finishes: a failure leaves the old entry; a success replaces it whole.
     */
    @Test
    void publishSwapsInWhatTheWriterCreated(@TempDir Path tmp) throws Exception {
        OutputStore store = OutputStore.at(tmp.toString(), CONF);
        store.writeDirectory("scored.csv", d -> d.writeFile("part-00000.csv", "a\n1\n".getBytes(StandardCharsets.UTF_8)));
        IOException e = assertThrows(IOException.class, () -> store.publish("scored.csv", fresh -> {
            Files.createDirectories(Path.of(fresh.toUri()));
            Files.writeString(Path.of(fresh.toUri()).resolve("part-00000.csv"), "a\n");
            throw new IOException("task failed");
        }));
        assertTrue(e.getMessage().contains("task failed"), e.getMessage());
        assertEquals(List.of("scored.csv"), names(tmp), "the temporary directory is gone");
        assertEquals("a\n1\n", Files.readString(tmp.resolve("scored.csv/part-00000.csv")));
        store.publish("scored.csv", fresh -> {
            Path dir = Files.createDirectories(Path.of(fresh.toUri()));
            Files.writeString(dir.resolve("part-00000.csv"), "a\n2\n");
            Files.writeString(dir.resolve("part-00001.csv"), "a\n3\n");
        });
        assertEquals(List.of("part-00000.csv", "part-00001.csv"), store.child("scored.csv").list());
        assertEquals("a\n2\n", Files.readString(tmp.resolve("scored.csv/part-00000.csv")));
        assertTrue(store.child("scored.csv").isDirectory());
        assertThrows(IOException.class, () -> store.publish("scored.csv", fresh ->
                Files.writeString(Path.of(fresh.toUri()), "a file where a directory is")));
        assertTrue(Files.isDirectory(tmp.resolve("scored.csv")), "a directory is not replaced by a file");
    }

    /** A path without a scheme is on Hadoop's default file system, relative to its working directory. */
    @Test
    void aPathWithoutASchemeIsOnTheDefaultFileSystem(@TempDir Path tmp) throws Exception {
        Configuration conf = new Configuration();
        conf.set("fs.defaultFS", "file:///");
        OutputStore relative = OutputStore.at("target/output-store-test", conf);
        assertEquals(Path.of("target/output-store-test").toAbsolutePath().normalize(),
                relative.localPath().orElseThrow());
        assertThrows(IllegalArgumentException.class, () -> OutputStore.at("foo:relative", conf));
        OutputStore local = OutputStore.at(tmp.toString(), conf);
        local.writeFile("w.bin", new byte[] {1, 2, 3, 4, 5});
        try (OutputStore.Input in = local.open("w.bin")) {
            byte[] two = new byte[2];
            in.readFully(3, two);
            assertEquals(5, in.size());
            assertArrayEquals(new byte[] {4, 5}, two);
            assertThrows(java.io.EOFException.class, () -> in.readFully(4, new byte[2]));
        }
    }
}
