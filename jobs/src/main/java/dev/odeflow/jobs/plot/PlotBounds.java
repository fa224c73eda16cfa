package dev.odeflow.jobs.plot;

import dev.odeflow.jobs.model.FeatureScaling;

/** The rectangle of data space a 2-D picture shows. */
public record PlotBounds(double xMin, double xMax, double yMin, double yMax) {

    public PlotBounds {
        if (!(xMax > xMin) || !(yMax > yMin) || !Double.isFinite(xMax - xMin) || !Double.isFinite(yMax - yMin)) {
            throw new IllegalArgumentException("plot bounds must be finite with min < max: [" + xMin + ", " + xMax
                    + "] x [" + yMin + ", " + yMax + "]");
        }
    }

    /** mean ± k·std in each of the first two columns. */
    public static PlotBounds around(FeatureScaling s, double k) {
        if (s.dim() != 2) {
            throw new IllegalArgumentException("pictures need 2-D data, the model has dimension " + s.dim());
        }
        double[] m = s.mean();
        double[] sd = s.std();
        return new PlotBounds(m[0] - k * sd[0], m[0] + k * sd[0], m[1] - k * sd[1], m[1] + k * sd[1]);
    }

    /** The x coordinate of the centre of column i of n. */
    public double x(int i, int n) {
        return xMin + (i + 0.5) * (xMax - xMin) / n;
    }

    /** The y coordinate of the centre of row j of n, row 0 at the top. */
    public double y(int j, int n) {
        return yMax - (j + 0.5) * (yMax - yMin) / n;
    }
}
