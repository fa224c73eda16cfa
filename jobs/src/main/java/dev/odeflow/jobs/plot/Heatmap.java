package dev.odeflow.jobs.plot;

import java.awt.image.BufferedImage;

/** Renders a grid of non-negative intensities as an image, each cell a {@code scale}×{@code scale} block. */
public final class Heatmap {

    private Heatmap() {
    }

    /**
     * @param values intensities, n×n row-major with row 0 at the top; normalized by their maximum
     * @param n      grid size
     * @param scale  pixels per cell
     */
    public static BufferedImage render(double[] values, int n, int scale) {
        if (n < 1 || scale < 1 || values.length != n * n) {
            throw new IllegalArgumentException("heatmap needs n*n values and positive n and scale; got "
                    + values.length + " values for n=" + n + ", scale=" + scale);
        }
        double max = 0;
        for (double v : values) {
            if (v > max && Double.isFinite(v)) {
                max = v;
            }
        }
        BufferedImage img = new BufferedImage(n * scale, n * scale, BufferedImage.TYPE_INT_RGB);
        for (int j = 0; j < n; j++) {
            for (int i = 0; i < n; i++) {
                double v = values[j * n + i];
                int rgb = ColorMap.rgb(max > 0 && Double.isFinite(v) ? v / max : 0);
                for (int dy = 0; dy < scale; dy++) {
                    for (int dx = 0; dx < scale; dx++) {
                        img.setRGB(i * scale + dx, j * scale + dy, rgb);
                    }
                }
            }
        }
        return img;
    }

    /** Counts 2-D points (x, y interleaved, m of them) into an n×n grid over {@code b}, row 0 at the top. */
    public static double[] histogram(double[] xy, int m, PlotBounds b, int n) {
        double[] counts = new double[n * n];
        for (int k = 0; k < m; k++) {
            double x = xy[2 * k];
            double y = xy[2 * k + 1];
            int i = (int) Math.floor((x - b.xMin()) / (b.xMax() - b.xMin()) * n);
            int j = (int) Math.floor((b.yMax() - y) / (b.yMax() - b.yMin()) * n);
            if (i >= 0 && i < n && j >= 0 && j < n) {
                counts[j * n + i]++;
            }
        }
        return counts;
    }
}
