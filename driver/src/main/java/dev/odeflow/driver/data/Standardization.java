package dev.odeflow.driver.data;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;

/**
 * Per-column affine standardization x' = (x − mean) / std. A column with zero spread keeps std 1.
 * The model is trained in standardized space; {@link #logDetJacobian()} converts its log-density back.
 */
public record Standardization(double[] mean, double[] std) implements Serializable {

    public Standardization {
        if (mean == null || std == null || mean.length != std.length || mean.length == 0) {
            throw new IllegalArgumentException("mean and std must have the same non-zero length");
        }
        mean = mean.clone();
        std = std.clone();
        for (int j = 0; j < std.length; j++) {
            if (!(std[j] > 0) || !Double.isFinite(std[j]) || !Double.isFinite(mean[j])) {
                throw new IllegalArgumentException("column " + j + " has mean " + mean[j] + " and std " + std[j]
                        + "; std must be > 0 and both finite");
            }
        }
    }

    /** The identity transform for d columns. */
    public static Standardization identity(int d) {
        double[] one = new double[d];
        Arrays.fill(one, 1);
        return new Standardization(new double[d], one);
    }

    /** From column moments (population std; a column with no spread gets std 1). */
    public static Standardization of(ColumnMoments m) {
        if (m.count() < 1) {
            throw new IllegalArgumentException("standardization needs at least one row");
        }
        double[] mean = m.mean();
        double[] var = m.variance();
        double[] s = new double[mean.length];
        for (int j = 0; j < s.length; j++) {
            s[j] = var[j] > 1e-24 * Math.max(1, mean[j] * mean[j]) ? Math.sqrt(var[j]) : 1;
        }
        return new Standardization(mean, s);
    }

    /**
     * From the training split's moments, for data named {@code source} with these {@code columns}: a column whose
     * mean or spread overflows double precision, or that has no spread (a constant column gives the density no
     * support), is an error naming the source, the column and its value.
     */
    public static Standardization checked(ColumnMoments m, List<String> columns, String source) {
        double[] mean = m.mean();
        double[] var = m.variance();
        double[] max = m.maxAbs();
        double[] s = new double[mean.length];
        for (int j = 0; j < s.length; j++) {
            String col = source + ": column '" + columns.get(j) + "'";
            double std = Math.sqrt(var[j]);
            if (!Double.isFinite(mean[j]) || !Double.isFinite(std) || !Double.isFinite(mean[j] * mean[j])) {
                throw new DataException(col + " cannot be standardized: its mean (" + mean[j] + ") or std (" + std
                        + ") overflows double precision (largest |value| " + max[j] + "); rescale the column");
            }
            if (!(var[j] > 1e-24 * Math.max(1, mean[j] * mean[j]))) {
                throw new DataException(col + " has std " + std + " in the training split (" + m.count()
                        + " rows, every value " + mean[j] + "); a density needs spread in every column: leave the"
                        + " column out of data.columns" + (m.count() < 2 ? " or give more rows" : ""));
            }
            s[j] = std;
        }
        return new Standardization(mean, s);
    }

    @Override
    public double[] mean() {
        return mean.clone();
    }

    @Override
    public double[] std() {
        return std.clone();
    }

    public int dim() {
        return mean.length;
    }

    /** Standardized copy of n×d rows. */
    public double[] apply(double[] x) {
        double[] out = new double[x.length];
        int d = mean.length;
        for (int i = 0; i < x.length; i++) {
            out[i] = (x[i] - mean[i % d]) / std[i % d];
        }
        return out;
    }

    /** Data-space copy of standardized n×d rows. */
    public double[] invert(double[] z) {
        double[] out = new double[z.length];
        int d = mean.length;
        for (int i = 0; i < z.length; i++) {
            out[i] = z[i] * std[i % d] + mean[i % d];
        }
        return out;
    }

    /** A standardized copy of a block. */
    public DataBlock apply(DataBlock b) {
        return new DataBlock(b.n(), b.d(), apply(b.rows()));
    }

    /** log|det ∂x'/∂x| = −Σ log std_j: add it to a standardized-space log-density to get the data-space one. */
    public double logDetJacobian() {
        double s = 0;
        for (double v : std) {
            s -= StrictMath.log(v);
        }
        return s;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Standardization t && Arrays.equals(t.mean, mean) && Arrays.equals(t.std, std);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(mean) * 31 + Arrays.hashCode(std);
    }

    @Override
    public String toString() {
        return "Standardization(mean=" + Arrays.toString(mean) + ", std=" + Arrays.toString(std) + ")";
    }
}
