package dev.odeflow.jobs.model;

import java.io.Serializable;
import java.util.Arrays;

/**
 * The per-column standardization a flow was trained under: the flow sees (x − mean) / std. Densities in data
 * space follow from the change of variables: log p(x) = log p_flow((x − mean) / std) − Σ log std.
 *
 * @param mean column means
 * @param std  column standard deviations (all positive)
 */
public record FeatureScaling(double[] mean, double[] std) implements Serializable {

    public FeatureScaling {
        if (mean == null || std == null || mean.length != std.length || mean.length == 0) {
            throw new IllegalArgumentException("standardization needs mean and std of the same, positive length");
        }
        for (int i = 0; i < std.length; i++) {
            if (!(std[i] > 0) || !Double.isFinite(std[i]) || !Double.isFinite(mean[i])) {
                throw new IllegalArgumentException("standardization of column " + i + " is invalid: mean "
                        + mean[i] + ", std " + std[i] + " (std must be positive and finite)");
            }
        }
        mean = mean.clone();
        std = std.clone();
    }

    /** No scaling at all: mean 0, std 1 in every column. */
    public static FeatureScaling identity(int dim) {
        double[] ones = new double[dim];
        Arrays.fill(ones, 1);
        return new FeatureScaling(new double[dim], ones);
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

    /** Σ log std: subtract it from a standardized-space log-density to get the data-space one. */
    public double logStdSum() {
        double s = 0;
        for (double v : std) {
            s += Math.log(v);
        }
        return s;
    }

    /** (x − mean) / std for n rows, into a new array. */
    public double[] standardize(double[] x, int n) {
        int d = dim();
        double[] out = new double[n * d];
        for (int i = 0; i < n * d; i++) {
            out[i] = (x[i] - mean[i % d]) / std[i % d];
        }
        return out;
    }

    /** The inverse of {@link #standardize}: u · std + mean, into a new array. */
    public double[] unstandardize(double[] u, int n) {
        int d = dim();
        double[] out = new double[n * d];
        for (int i = 0; i < n * d; i++) {
            out[i] = u[i] * std[i % d] + mean[i % d];
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FeatureScaling f && Arrays.equals(f.mean, mean) && Arrays.equals(f.std, std);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(mean) * 31 + Arrays.hashCode(std);
    }

    @Override
    public String toString() {
        return "standardization(mean=" + Arrays.toString(mean) + ", std=" + Arrays.toString(std) + ")";
    }
}
