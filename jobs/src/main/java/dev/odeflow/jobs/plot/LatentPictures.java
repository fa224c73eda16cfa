package dev.odeflow.jobs.plot;

import dev.odeflow.driver.data.SeriesBlock;
import dev.odeflow.jobs.model.SavedLatent;
import dev.odeflow.kernels.trajectory.Windows;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.Ellipse2D;
import java.awt.image.BufferedImage;
import java.util.Arrays;

/**
 * The picture of a trained 2-D latent ODE, after Chen et al. 2018's Figure 6: one panel per shown series in the
 * (x0, x1) plane, its context observations (what the encoder read) in green, its later observations in orange,
 * the reconstruction from the posterior mean solid blue over the context's span and dashed red beyond it (the
 * extrapolation), and a few samples of z0 ~ q(z0 | x) in light grey.
 *
 * @param series the series drawn (at most 4)
 * @param panel  pixels per side of a panel
 */
public record LatentPictures(SeriesBlock series, int panel) {

    /** Times on each drawn path. */
    private static final int POINTS = 200;
    private static final int SAMPLES = 3;
    private static final Color CONTEXT = new Color(30, 160, 60);
    private static final Color LATER = new Color(240, 140, 20);
    private static final Color MEAN = new Color(40, 90, 230);
    private static final Color EXTRAPOLATED = new Color(210, 40, 40);
    private static final Color SAMPLE = new Color(170, 170, 170);

    static {
        System.setProperty("java.awt.headless", "true");
    }

    public LatentPictures {
        if (series == null || series.d() != 2 || series.series() < 1 || series.series() > 4 || panel < 50) {
            throw new IllegalArgumentException("latent pictures need 1 to 4 series in 2-D and panels of >= 50 px");
        }
    }

    /** The reconstructions and extrapolations of every shown series, two panels per row. */
    public BufferedImage reconstructions(SavedLatent model) {
        int cols = Math.min(2, series.series());
        int rows = (series.series() + 1) / 2;
        BufferedImage img = new BufferedImage(cols * panel, rows * panel, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = TrajectoryPictures.graphics(img);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        for (int s = 0; s < series.series(); s++) {
            Graphics2D p = (Graphics2D) g.create((s % 2) * panel, (s / 2) * panel, panel, panel);
            drawSeries(p, model, s);
            p.dispose();
        }
        g.dispose();
        return img;
    }

    private void drawSeries(Graphics2D g, SavedLatent model, int s) {
        Windows one = series.whole(s, s + 1);
        int n = one.observations();
        double[] rel = one.times();
        double[] values = one.values();
        double span = rel[n - 1];
        double[] grid = new double[POINTS];
        for (int k = 0; k < POINTS; k++) {
            grid[k] = span * k / (POINTS - 1);
        }
        double[] mean = model.model().reconstruct(model.weights(), one, grid, false, 0)[0];
        PlotBounds area = PlotBounds.covering(concat(values, mean), n + POINTS, 0.1);
        g.setColor(new Color(248, 248, 248));
        g.fillRect(1, 1, panel - 2, panel - 2);
        for (int k = 0; k < SAMPLES; k++) {
            double[] drawn = model.model().reconstruct(model.weights(), one, grid, true, k)[0];
            TrajectoryPictures.draw(g, drawn, area, SAMPLE, TrajectoryPictures.dashed(), panel, panel);
        }
        double cut = model.model().context() * span * (1 + 1e-9);
        int split = 0;
        while (split < POINTS && grid[split] <= cut) {
            split++;
        }
        TrajectoryPictures.draw(g, Arrays.copyOfRange(mean, 0, 2 * split), area, MEAN, TrajectoryPictures.solid(),
                panel, panel);
        if (split > 0 && split < POINTS) {
            TrajectoryPictures.draw(g, Arrays.copyOfRange(mean, 2 * (split - 1), 2 * POINTS), area, EXTRAPOLATED,
                    TrajectoryPictures.dashed(), panel, panel);
        }
        for (int k = 0; k < n; k++) {
            double px = (values[2 * k] - area.xMin()) / (area.xMax() - area.xMin()) * panel;
            double py = (area.yMax() - values[2 * k + 1]) / (area.yMax() - area.yMin()) * panel;
            g.setColor(rel[k] <= cut ? CONTEXT : LATER);
            g.fill(new Ellipse2D.Double(px - 2.5, py - 2.5, 5, 5));
        }
        g.setColor(Color.BLACK);
        g.drawString(series.ids().get(s), 6, 14);
        g.setColor(MEAN);
        g.drawString("reconstruction", 6, panel - 22);
        g.setColor(EXTRAPOLATED);
        g.drawString("extrapolation", 6, panel - 8);
        g.setColor(Color.LIGHT_GRAY);
        g.drawRect(0, 0, panel - 1, panel - 1);
    }

    private static double[] concat(double[] a, double[] b) {
        double[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
