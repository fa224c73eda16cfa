package dev.odeflow.driver.data;

import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** MNIST's IDX files, plain and gzipped, and every kind of damage named with the file, the expected and the found. */
class IdxFilesTest {

    private static final Configuration CONF = new Configuration();

    @Test
    void readsPlainAndGzippedPairsOfADirectory(@TempDir Path tmp) throws IOException {
        Path dir = SyntheticImages.mnistDirectory(tmp.resolve("mnist"), 30, 7, 1);
        IdxImages train = IdxFiles.read(dir.toString(), IdxFiles.Part.TRAIN, CONF); // gzipped
        IdxImages test = IdxFiles.read(dir.toUri().toString(), IdxFiles.Part.TEST, CONF); // plain, as a file: URI
        IdxImages drawn = SyntheticImages.draw(30, 1);
        assertEquals(30, train.n());
        assertEquals("12×12×1", train.shape().toString());
        assertArrayEquals(drawn.pixels(), train.pixels());
        assertArrayEquals(drawn.labels(), train.labels());
        assertArrayEquals(SyntheticImages.draw(7, 2).labels(), test.labels());
        assertTrue(train.source().endsWith("train-images-idx3-ubyte.gz"), train.source());
        assertTrue(IdxFiles.hasPart(dir.toString(), IdxFiles.Part.TEST, CONF));
    }

    @Test
    void anImagesFileTakesTheLabelsBesideItWhenThereAreAny(@TempDir Path tmp) throws IOException {
        Path dir = SyntheticImages.mnistDirectory(tmp.resolve("mnist"), 5, 4, 3);
        IdxImages withLabels = IdxFiles.readImagesFile(dir.resolve("t10k-images-idx3-ubyte").toString(), CONF);
        assertArrayEquals(SyntheticImages.draw(4, 4).labels(), withLabels.labels());
        Files.delete(dir.resolve("t10k-labels-idx1-ubyte"));
        assertNull(IdxFiles.readImagesFile(dir.resolve("t10k-images-idx3-ubyte").toString(), CONF).labels());
    }

    @Test
    void aMissingFileIsNamedWithWhatTheDirectoryHolds(@TempDir Path tmp) throws IOException {
        Path dir = SyntheticImages.mnistDirectory(tmp.resolve("mnist"), 5, 4, 3);
        Files.delete(dir.resolve("t10k-labels-idx1-ubyte"));
        DataException e = assertThrows(DataException.class,
                () -> IdxFiles.read(dir.toString(), IdxFiles.Part.TEST, CONF));
        assertTrue(e.getMessage().contains("no t10k-labels-idx1-ubyte or t10k-labels-idx1-ubyte.gz")
                && e.getMessage().contains("t10k-images-idx3-ubyte"), e.getMessage());
        DataException notDir = assertThrows(DataException.class,
                () -> IdxFiles.read(tmp.resolve("absent").toString(), IdxFiles.Part.TRAIN, CONF));
        assertTrue(notDir.getMessage().contains("not a directory"), notDir.getMessage());
    }

    @Test
    void eachCorruptionIsNamedWithWhatWasExpectedAndFound(@TempDir Path tmp) throws IOException {
        IdxImages ok = SyntheticImages.draw(3, 5);
        byte[] images = SyntheticImages.imagesFile(ok);
        byte[] labels = SyntheticImages.labelsFile(ok);

        assertMessage(tmp, "labels-as-images-idx3-ubyte", labels, "magic number 0x00000801, expected"
                + " 0x00000803 (an IDX images file); it is a labels file");
        byte[] wrongMagic = images.clone();
        wrongMagic[3] = 0x04;
        assertMessage(tmp, "bad-images-idx3-ubyte", wrongMagic, "magic number 0x00000804, expected 0x00000803");
        assertMessage(tmp, "short-images-idx3-ubyte", Arrays.copyOf(images, 10),
                "shorter than the 16-byte header of an IDX images file");
        assertMessage(tmp, "cut-images-idx3-ubyte", Arrays.copyOf(images, images.length - 5),
                "announces 3 images of 12 × 12 pixels (432 bytes after it), but only 427 bytes follow");
        assertMessage(tmp, "long-images-idx3-ubyte", Arrays.copyOf(images, images.length + 2),
                "announces 3 images of 12 × 12 pixels (432 bytes after it), but 434 bytes follow");
        byte[] zeroRows = images.clone();
        ByteBuffer.wrap(zeroRows).putInt(8, 0);
        assertMessage(tmp, "flat-images-idx3-ubyte", zeroRows, "images of 0 × 12 pixels; expected at least 1 × 1");
        byte[] negative = images.clone();
        ByteBuffer.wrap(negative).putInt(4, -3);
        assertMessage(tmp, "negative-images-idx3-ubyte", negative, "count 1 is -3; expected >= 0");

        Path gz = SyntheticImages.write(tmp.resolve("trunc-images-idx3-ubyte.gz"), images);
        byte[] gzBytes = Files.readAllBytes(gz);
        Files.write(gz, Arrays.copyOf(gzBytes, gzBytes.length - 12));
        assertMessage(gz, "the gzip stream ends early");
        Path notGz = Files.write(tmp.resolve("plain-images-idx3-ubyte.gz"), images);
        assertMessage(notGz, "not a gzip file");
    }

    @Test
    void labelsMustMatchTheImagesInNumberAndKind(@TempDir Path tmp) throws IOException {
        Path dir = SyntheticImages.mnistDirectory(tmp.resolve("mnist"), 6, 4, 3);
        IdxImages fewer = SyntheticImages.draw(5, 9);
        SyntheticImages.write(dir.resolve("train-labels-idx1-ubyte.gz"), SyntheticImages.labelsFile(fewer));
        DataException count = assertThrows(DataException.class,
                () -> IdxFiles.read(dir.toString(), IdxFiles.Part.TRAIN, CONF));
        assertTrue(count.getMessage().contains("train-labels-idx1-ubyte.gz holds 5 labels, but"
                + " train-images-idx3-ubyte.gz holds 6 images"), count.getMessage());
        SyntheticImages.write(dir.resolve("train-labels-idx1-ubyte.gz"),
                SyntheticImages.imagesFile(SyntheticImages.draw(6, 1)));
        DataException kind = assertThrows(DataException.class,
                () -> IdxFiles.read(dir.toString(), IdxFiles.Part.TRAIN, CONF));
        assertTrue(kind.getMessage().contains("train-labels-idx1-ubyte.gz: magic number 0x00000803, expected"
                + " 0x00000801 (an IDX labels file); it is an images file"), kind.getMessage());
    }

    private static void assertMessage(Path tmp, String name, byte[] bytes, String expected) throws IOException {
        assertMessage(Files.write(tmp.resolve(name), bytes), expected);
    }

    private static void assertMessage(Path file, String expected) {
        DataException e = assertThrows(DataException.class, () -> IdxFiles.readImagesFile(file.toString(), CONF));
        assertTrue(e.getMessage().contains(file.getFileName().toString()) && e.getMessage().contains(expected),
                e.getMessage());
    }
}
