package dev.odeflow.kernels.model;

import java.io.Serializable;

/**
 * A mergeable sum of per-sample losses and gradients, with solver work counters, in the style of MLlib's
 * aggregators: callers add into a buffer they own and divide by {@link #count()} only at the end.
 */
public final class LossGradient implements Serializable {

    private static final long serialVersionUID = 1L;

    private double lossSum;
    private final double[] gradient;
    private long count;
    private long nfeForward;
    private long nfeBackward;
    private long accepted;
    private long rejected;

    public LossGradient(int paramDim) {
        this.gradient = new double[paramDim];
    }

    /** Adds one batch's contribution. {@code grad} is added element-wise. */
    public void add(double loss, double[] grad, long samples, long nfeF, long nfeB, long acc, long rej) {
        if (grad.length != gradient.length) {
            throw new IllegalArgumentException("gradient length " + grad.length + " != " + gradient.length);
        }
        lossSum += loss;
        for (int i = 0; i < grad.length; i++) {
            gradient[i] += grad[i];
        }
        count += samples;
        nfeForward += nfeF;
        nfeBackward += nfeB;
        accepted += acc;
        rejected += rej;
    }

    /** Adds {@code o} into this buffer and returns this (for treeAggregate's combOp). */
    public LossGradient merge(LossGradient o) {
        add(o.lossSum, o.gradient, o.count, o.nfeForward, o.nfeBackward, o.accepted, o.rejected);
        return this;
    }

    public double lossSum() {
        return lossSum;
    }

    /** The gradient sum (live array: read it, do not keep it across merges). */
    public double[] gradient() {
        return gradient;
    }

    public long count() {
        return count;
    }

    public long nfeForward() {
        return nfeForward;
    }

    public long nfeBackward() {
        return nfeBackward;
    }

    public long accepted() {
        return accepted;
    }

    public long rejected() {
        return rejected;
    }

    /** Mean loss over the samples added. */
    public double meanLoss() {
        return count == 0 ? Double.NaN : lossSum / count;
    }
}
