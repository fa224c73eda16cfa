package dev.odeflow.jobs.plot;

import dev.odeflow.driver.output.OutputStore;
import dev.odeflow.jobs.model.SavedFlow;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * The two pictures of a 2-D flow: its density exp(log p(x)) on a grid, and a histogram of samples drawn from it.
 * Both use the flow's training solver (the evaluation solver's tolerance is meant for test NLLs
 * and would make a picture slow).
 *
 * @param bounds the region of data space shown
 * @param grid   cells per side
 * @param scale  pixels per cell
 */
public record FlowPictures(PlotBounds bounds, int grid, int scale) {

    /** Rows evaluated per call into the model. */
    private static final int BLOCK = 512;

    static {
        System.setProperty("java.awt.headless", "true");
    }

    public FlowPictures {
        if (bounds == null || grid < 2 || scale < 1) {
            throw new IllegalArgumentException("pictures need bounds, grid >= 2 and scale >= 1");
        }
    }

    /** The density picture. */
    public BufferedImage density(SavedFlow flow) {
        requireTwoD(flow);
        SavedFlow fast = withTrainingSolver(flow);
        int cells = grid * grid;
        double[] xy = new double[2 * cells];
        for (int j = 0; j < grid; j++) {
            for (int i = 0; i < grid; i++) {
                xy[2 * (j * grid + i)] = bounds.x(i, grid);
                xy[2 * (j * grid + i) + 1] = bounds.y(j, grid);
            }
        }
        double[] p = new double[cells];
        int blocks = (cells + BLOCK - 1) / BLOCK;
        IntStream.range(0, blocks).parallel().forEach(b -> {
            int from = b * BLOCK;
            int n = Math.min(BLOCK, cells - from);
            double[] x = new double[2 * n];
            System.arraycopy(xy, 2 * from, x, 0, 2 * n);
            double[] ll = fast.logLikelihood(x, n);
            for (int k = 0; k < n; k++) {
                p[from + k] = Math.exp(ll[k]);
            }
        });
        return Heatmap.render(p, grid, scale);
    }

    /** A histogram of the 2-D points xy (n of them, interleaved). */
    public BufferedImage histogram(double[] xy, int n) {
        return Heatmap.render(Heatmap.histogram(xy, n, bounds, grid), grid, scale);
    }

    /** n samples of a 2-D flow in data space, from base noise drawn with {@code seed}. */
    public static double[] drawSamples(SavedFlow flow, int n, long seed) {
        requireTwoD(flow);
        return withTrainingSolver(flow).sample(gaussian(n, 2, seed), n);
    }

    /** N(0, I) draws, n×d row-major. */
    public static double[] gaussian(int n, int d, long seed) {
        Random rng = new Random(seed);
        double[] z = new double[n * d];
        for (int i = 0; i < z.length; i++) {
            z[i] = rng.nextGaussian();
        }
        return z;
    }

    /** Writes an image as the PNG file {@code name} of {@code dir}, atomically. */
    public static void writePng(BufferedImage img, OutputStore dir, String name) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (!ImageIO.write(img, "png", out)) {
            throw new IOException("no PNG writer available for " + dir.path(name));
        }
        dir.writeFile(name, out.toByteArray());
    }

    private static SavedFlow withTrainingSolver(SavedFlow flow) {
        return flow.withSettings(flow.model().settings().withEval(flow.model().settings().train()));
    }

    private static void requireTwoD(SavedFlow flow) {
        if (flow.dim() != 2) {
            throw new IllegalArgumentException("pictures need a 2-D model; this one has dimension " + flow.dim());
        }
    }
}
