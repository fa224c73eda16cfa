package dev.odeflow.jobs.plot;

import dev.odeflow.driver.data.SeriesBlock;
import dev.odeflow.jobs.model.SavedTrajectory;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.util.Arrays;

/**
 * The pictures of a fitted 2-D trajectory model, after ode_demo's visualization: the phase portrait (the learned
 * field's speed as a heatmap, its direction as arrows, each shown series observed in green and predicted from its
 * first value in blue) and the trajectories x0(t), x1(t) against t (observed solid, predicted dashed).
 *
 * @param series the series drawn (their observed values and times)
 * @param bounds the region of the phase plane shown
 * @param grid   cells per side of the speed heatmap
 * @param scale  pixels per cell
 */
public record TrajectoryPictures(SeriesBlock series, PlotBounds bounds, int grid, int scale) {

    /** Arrows per side of the phase portrait. */
    private static final int ARROWS = 21;
    private static final Color OBSERVED = new Color(30, 160, 60);
    private static final Color PREDICTED = new Color(40, 90, 230);

    static {
        System.setProperty("java.awt.headless", "true");
    }

    public TrajectoryPictures {
        if (series == null || series.d() != 2 || series.series() < 1 || bounds == null || grid < 2 || scale < 1) {
            throw new IllegalArgumentException("trajectory pictures need 2-D series (at least one), bounds, grid >= 2"
                    + " and scale >= 1");
        }
    }

    /** Pictures of {@code series} with bounds around their observations. */
    public static TrajectoryPictures of(SeriesBlock series, int grid, int scale) {
        return new TrajectoryPictures(series, PlotBounds.covering(series.values(), series.times().length, 0.15),
                grid, scale);
    }

    /** Each shown series predicted from its first value at its observation times (n×2 interleaved). */
    public double[][] predictions(SavedTrajectory model) {
        double[][] out = new double[series.series()][];
        for (int s = 0; s < series.series(); s++) {
            int from = series.offsets()[s];
            double[] times = Arrays.copyOfRange(series.times(), from, series.offsets()[s + 1]);
            double[][] path = model.predict(Arrays.copyOfRange(series.values(), 2 * from, 2 * from + 2), times);
            out[s] = new double[2 * path.length];
            for (int k = 0; k < path.length; k++) {
                out[s][2 * k] = path[k][0];
                out[s][2 * k + 1] = path[k][1];
            }
        }
        return out;
    }

    /** The phase portrait of the learned field with the observed and predicted trajectories. */
    public BufferedImage phasePortrait(SavedTrajectory model, double[][] predictions) {
        double[] points = new double[2 * grid * grid];
        for (int j = 0; j < grid; j++) {
            for (int i = 0; i < grid; i++) {
                points[2 * (j * grid + i)] = bounds.x(i, grid);
                points[2 * (j * grid + i) + 1] = bounds.y(j, grid);
            }
        }
        double[] f = model.velocities(points, grid * grid);
        double[] speed = new double[grid * grid];
        for (int c = 0; c < speed.length; c++) {
            speed[c] = Math.log1p(Math.hypot(f[2 * c], f[2 * c + 1]));
        }
        BufferedImage img = Heatmap.render(speed, grid, scale);
        Graphics2D g = graphics(img);
        int size = grid * scale;
        double cell = (double) size / ARROWS;
        double[] at = new double[2 * ARROWS * ARROWS];
        for (int j = 0; j < ARROWS; j++) {
            for (int i = 0; i < ARROWS; i++) {
                at[2 * (j * ARROWS + i)] = bounds.x(i, ARROWS);
                at[2 * (j * ARROWS + i) + 1] = bounds.y(j, ARROWS);
            }
        }
        double[] v = model.velocities(at, ARROWS * ARROWS);
        g.setColor(new Color(255, 255, 255, 170));
        g.setStroke(new BasicStroke(1.2f));
        for (int j = 0; j < ARROWS; j++) {
            for (int i = 0; i < ARROWS; i++) {
                int c = j * ARROWS + i;
                double norm = Math.hypot(v[2 * c], v[2 * c + 1]);
                if (!(norm > 0)) {
                    continue;
                }
                double dx = v[2 * c] / norm * cell * 0.4;
                double dy = -v[2 * c + 1] / norm * cell * 0.4;
                double cx = (i + 0.5) * cell;
                double cy = (j + 0.5) * cell;
                g.draw(new java.awt.geom.Line2D.Double(cx - dx, cy - dy, cx + dx, cy + dy));
                g.fill(new java.awt.geom.Ellipse2D.Double(cx + dx - 1.5, cy + dy - 1.5, 3, 3));
            }
        }
        for (int s = 0; s < series.series(); s++) {
            int from = series.offsets()[s];
            double[] observed = Arrays.copyOfRange(series.values(), 2 * from, 2 * series.offsets()[s + 1]);
            draw(g, observed, bounds, OBSERVED, solid(), size, size);
            draw(g, predictions[s], bounds, PREDICTED, dashed(), size, size);
        }
        legend(g, "observed", "predicted from the first value");
        g.dispose();
        return img;
    }

    /** x0(t) and x1(t) of every shown series: observed solid, predicted dashed. */
    public BufferedImage trajectories(double[][] predictions) {
        int width = grid * scale * 2;
        int height = grid * scale;
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = graphics(img);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        double tMin = Double.POSITIVE_INFINITY;
        double tMax = Double.NEGATIVE_INFINITY;
        double vMin = Double.POSITIVE_INFINITY;
        double vMax = Double.NEGATIVE_INFINITY;
        for (double t : series.times()) {
            tMin = Math.min(tMin, t);
            tMax = Math.max(tMax, t);
        }
        for (double x : series.values()) {
            if (!Double.isNaN(x)) { // missing
                vMin = Math.min(vMin, x);
                vMax = Math.max(vMax, x);
            }
        }
        double pad = 0.1 * Math.max(vMax - vMin, 1e-9);
        PlotBounds area = new PlotBounds(tMin, Math.max(tMax, tMin + 1e-9), vMin - pad, vMax + pad);
        g.setColor(Color.GRAY);
        double zero = area.yMax() / (area.yMax() - area.yMin()) * height;
        g.draw(new java.awt.geom.Line2D.Double(0, zero, width, zero));
        Color[][] colors = {{OBSERVED, PREDICTED}, {new Color(150, 200, 60), new Color(150, 60, 200)}};
        for (int s = 0; s < series.series(); s++) {
            int from = series.offsets()[s];
            int n = series.length(s);
            for (int c = 0; c < 2; c++) {
                double[] observed = new double[2 * n];
                double[] predicted = new double[2 * n];
                for (int k = 0; k < n; k++) {
                    observed[2 * k] = series.times()[from + k];
                    observed[2 * k + 1] = series.values()[2 * (from + k) + c];
                    predicted[2 * k] = observed[2 * k];
                    predicted[2 * k + 1] = predictions[s][2 * k + c];
                }
                draw(g, observed, area, colors[c][0], solid(), width, height);
                draw(g, predicted, area, colors[c][1], dashed(), width, height);
            }
        }
        g.setColor(Color.BLACK);
        g.drawString(String.format(java.util.Locale.ROOT, "t from %.3g to %.3g; x0 green/blue, x1 olive/purple;"
                + " observed solid, predicted dashed", tMin, tMax), 8, height - 8);
        g.dispose();
        return img;
    }

    /** Draws the polyline of points xy (interleaved) of {@code area} on a width×height picture, broken at NaNs. */
    static void draw(Graphics2D g, double[] xy, PlotBounds area, Color color, BasicStroke stroke, int width,
                             int height) {
        Path2D.Double p = new Path2D.Double();
        boolean down = false;
        for (int k = 0; k < xy.length / 2; k++) {
            double px = (xy[2 * k] - area.xMin()) / (area.xMax() - area.xMin()) * width;
            double py = (area.yMax() - xy[2 * k + 1]) / (area.yMax() - area.yMin()) * height;
            if (Double.isNaN(px) || Double.isNaN(py)) { // a missing value: the line breaks there
                down = false;
            } else if (down) {
                p.lineTo(px, py);
            } else {
                p.moveTo(px, py);
                down = true;
            }
        }
        g.setColor(color);
        g.setStroke(stroke);
        g.draw(p);
    }

    private static void legend(Graphics2D g, String first, String second) {
        g.setStroke(solid());
        g.setColor(OBSERVED);
        g.drawString(first, 8, 16);
        g.setColor(PREDICTED);
        g.drawString(second, 8, 32);
    }

    static Graphics2D graphics(BufferedImage img) {
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        return g;
    }

    static BasicStroke solid() {
        return new BasicStroke(2.5f);
    }

    static BasicStroke dashed() {
        return new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {8, 6}, 0);
    }
}
