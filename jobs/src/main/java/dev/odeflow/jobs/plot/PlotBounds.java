package dev.odeflow.jobs.plot;

/** The rectangle of data space a 2-D picture shows. */
public record PlotBounds(double xMin, double xMax, double yMin, double yMax) {

    public PlotBounds {
        if (!(xMax > xMin) || !(yMax > yMin) || !Double.isFinite(xMax - xMin) || !Double.isFinite(yMax - yMin)) {
            throw new IllegalArgumentException("plot bounds must be finite with min < max: [" + xMin + ", " + xMax
                    + "] x [" + yMin + ", " + yMax + "]");
        }
    }

    /**
     * A square-ish box around most of the 2-D points xy (n of them, interleaved; those with a NaN coordinate, a
     * missing value, left out): the 0.5% to 99.5% quantiles of each axis, widened by {@code margin} of the larger
     * side on every side.
     */
    public static PlotBounds covering(double[] xy, int n, double margin) {
        double[] xs = new double[n];
        double[] ys = new double[n];
        int m = 0;
        for (int i = 0; i < n; i++) {
            if (!Double.isNaN(xy[2 * i]) && !Double.isNaN(xy[2 * i + 1])) { // a missing value is not drawn
                xs[m] = xy[2 * i];
                ys[m++] = xy[2 * i + 1];
            }
        }
        if (m < 1) {
            throw new IllegalArgumentException("plot bounds need at least one point with both coordinates");
        }
        n = m;
        xs = java.util.Arrays.copyOf(xs, n);
        ys = java.util.Arrays.copyOf(ys, n);
        java.util.Arrays.sort(xs);
        java.util.Arrays.sort(ys);
        int lo = (int) Math.floor(0.005 * (n - 1));
        int hi = (int) Math.ceil(0.995 * (n - 1));
        double cx = (xs[lo] + xs[hi]) / 2;
        double cy = (ys[lo] + ys[hi]) / 2;
        double half = Math.max(Math.max(xs[hi] - xs[lo], ys[hi] - ys[lo]), 1e-9) / 2 * (1 + 2 * margin);
        if (!Double.isFinite(half) || !Double.isFinite(cx) || !Double.isFinite(cy)) {
            throw new IllegalArgumentException("cannot bound non-finite points");
        }
        return new PlotBounds(cx - half, cx + half, cy - half, cy + half);
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
