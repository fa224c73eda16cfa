package dev.odeflow.driver.data;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

/**
 * Labelled test images: class k is a bright 3×3 square at its own place of a 12×12 grey image (ten places on a
 * 3 × 4 grid), on a noisy dark background; written as MNIST's IDX files, plain or gzipped.
 */
public final class SyntheticImages {

    public static final int SIDE = 12;
    public static final int CLASSES = 10;

    private SyntheticImages() {
    }

    /**
     * n images and labels (label i % 10, shuffled by the seed).
     *
     * @return the pixels (n × 144 bytes) and the labels
     */
    public static IdxImages draw(int n, long seed) {
        Random rng = new Random(seed);
        byte[] px = new byte[n * SIDE * SIDE];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            int k = rng.nextInt(CLASSES);
            labels[i] = k;
            int top = (k / 4) * 4 + 1;
            int left = (k % 4) * 3;
            for (int r = 0; r < SIDE; r++) {
                for (int c = 0; c < SIDE; c++) {
                    boolean in = r >= top && r < top + 3 && c >= left && c < left + 3;
                    int v = in ? 180 + rng.nextInt(76) : rng.nextInt(90);
                    px[i * SIDE * SIDE + r * SIDE + c] = (byte) v;
                }
            }
        }
        return new IdxImages(new dev.odeflow.kernels.nn.MapShape(SIDE, SIDE, 1), n, px, labels, "synthetic");
    }

    /** The bytes of an IDX images file holding {@code images}. */
    public static byte[] imagesFile(IdxImages images) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(b);
        out.writeInt(IdxFiles.IMAGES_MAGIC);
        out.writeInt(images.n());
        out.writeInt(images.shape().height());
        out.writeInt(images.shape().width());
        out.write(images.pixels());
        return b.toByteArray();
    }

    /** The bytes of an IDX labels file holding {@code images}' labels. */
    public static byte[] labelsFile(IdxImages images) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(b);
        out.writeInt(IdxFiles.LABELS_MAGIC);
        out.writeInt(images.n());
        for (int l : images.labels()) {
            out.writeByte(l);
        }
        return b.toByteArray();
    }

    /** Writes {@code bytes} as {@code file}, gzipped when its name ends in .gz. */
    public static Path write(Path file, byte[] bytes) throws IOException {
        try (OutputStream out = file.toString().endsWith(".gz") ? new GZIPOutputStream(Files.newOutputStream(file))
                : Files.newOutputStream(file)) {
            out.write(bytes);
        }
        return file;
    }

    /**
     * An MNIST directory: {@code train} training and {@code test} test images, the training files gzipped and
     * the t10k files plain (both kinds read).
     */
    public static Path mnistDirectory(Path dir, int train, int test, long seed) throws IOException {
        Files.createDirectories(dir);
        IdxImages tr = draw(train, seed);
        IdxImages te = draw(test, seed + 1);
        write(dir.resolve("train-images-idx3-ubyte.gz"), imagesFile(tr));
        write(dir.resolve("train-labels-idx1-ubyte.gz"), labelsFile(tr));
        write(dir.resolve("t10k-images-idx3-ubyte"), imagesFile(te));
        write(dir.resolve("t10k-labels-idx1-ubyte"), labelsFile(te));
        return dir;
    }
}
