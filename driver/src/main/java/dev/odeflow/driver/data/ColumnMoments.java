package dev.odeflow.driver.data;

import java.io.Serializable;

/**
 * Mergeable per-column count, mean and sum of squared deviations (Chan et al.'s parallel update), the
 * aggregation buffer behind {@link Standardization#of(ColumnMoments)}.
 */
public final class ColumnMoments implements Serializable {

    private static final long serialVersionUID = 1L;

    private long count;
    private final double[] mean;
    private final double[] m2;
    private final double[] maxAbs;

    public ColumnMoments(int d) {
        mean = new double[d];
        m2 = new double[d];
        maxAbs = new double[d];
    }

    /** Adds every row of a block; returns this. */
    public ColumnMoments add(DataBlock b) {
        if (b.d() != mean.length) {
            throw new IllegalArgumentException("block has " + b.d() + " columns, expected " + mean.length);
        }
        double[] x = b.rows();
        int d = b.d();
        for (int i = 0; i < b.n(); i++) {
            count++;
            for (int j = 0; j < d; j++) {
                double delta = x[i * d + j] - mean[j];
                mean[j] += delta / count;
                m2[j] += delta * (x[i * d + j] - mean[j]);
                maxAbs[j] = Math.max(maxAbs[j], Math.abs(x[i * d + j]));
            }
        }
        return this;
    }

    /** Merges {@code o} into this; returns this. */
    public ColumnMoments merge(ColumnMoments o) {
        if (o.count == 0) {
            return this;
        }
        long n = count + o.count;
        for (int j = 0; j < mean.length; j++) {
            double delta = o.mean[j] - mean[j];
            mean[j] += delta * o.count / n;
            m2[j] += o.m2[j] + delta * delta * ((double) count * o.count / n);
            maxAbs[j] = Math.max(maxAbs[j], o.maxAbs[j]);
        }
        count = n;
        return this;
    }

    public long count() {
        return count;
    }

    public double[] mean() {
        return mean.clone();
    }

    /** The largest absolute value per column. */
    public double[] maxAbs() {
        return maxAbs.clone();
    }

    /** Population variance per column. */
    public double[] variance() {
        double[] v = new double[m2.length];
        for (int j = 0; j < v.length; j++) {
            v[j] = count == 0 ? Double.NaN : m2[j] / count;
        }
        return v;
    }
}
