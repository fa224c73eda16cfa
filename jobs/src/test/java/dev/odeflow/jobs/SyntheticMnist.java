package dev.odeflow.jobs;

import dev.odeflow.driver.data.IdxFiles;
import dev.odeflow.driver.data.IdxImages;
import dev.odeflow.kernels.nn.MapShape;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

/**
 * A small MNIST stand-in the tests write, since CI has no data sets: ten classes of a bright 3×3 square at its own
 * place on a noisy dark {@code side}×{@code side} image, as the four IDX files of an MNIST directory (the training
 * files gzipped, the t10k files plain).
 */
public final class SyntheticMnist {

    private SyntheticMnist() {
    }

    /** n images of side×side (side >= 12) with labels 0-9, drawn from the seed. */
    public static IdxImages draw(int n, int side, long seed) {
        Random rng = new Random(seed);
        byte[] px = new byte[n * side * side];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            int k = rng.nextInt(10);
            labels[i] = k;
            int top = (k / 4) * (side / 3) + 1;
            int left = (k % 4) * (side / 4);
            for (int r = 0; r < side; r++) {
                for (int c = 0; c < side; c++) {
                    boolean in = r >= top && r < top + 3 && c >= left && c < left + 3;
                    px[i * side * side + r * side + c] = (byte) (in ? 180 + rng.nextInt(76) : rng.nextInt(90));
                }
            }
        }
        return new IdxImages(new MapShape(side, side, 1), n, px, labels, "synthetic");
    }

    /** An MNIST directory of {@code train} training and {@code test} test images of side×side. */
    public static Path directory(Path dir, int train, int test, int side, long seed) throws IOException {
        Files.createDirectories(dir);
        write(dir, "train", draw(train, side, seed), ".gz");
        write(dir, "t10k", draw(test, side, seed + 1), "");
        return dir;
    }

    private static void write(Path dir, String prefix, IdxImages images, String suffix) throws IOException {
        try (DataOutputStream out = open(dir.resolve(prefix + "-images-idx3-ubyte" + suffix))) {
            out.writeInt(IdxFiles.IMAGES_MAGIC);
            out.writeInt(images.n());
            out.writeInt(images.shape().height());
            out.writeInt(images.shape().width());
            out.write(images.pixels());
        }
        try (DataOutputStream out = open(dir.resolve(prefix + "-labels-idx1-ubyte" + suffix))) {
            out.writeInt(IdxFiles.LABELS_MAGIC);
            out.writeInt(images.n());
            for (int l : images.labels()) {
                out.writeByte(l);
            }
        }
    }

    private static DataOutputStream open(Path file) throws IOException {
        OutputStream raw = Files.newOutputStream(file);
        return new DataOutputStream(file.toString().endsWith(".gz") ? new GZIPOutputStream(raw) : raw);
    }
}
