package dev.odeflow.kernels.model;

import java.io.Serializable;

/**
 * A mergeable sum of per-sample losses and gradients, with solver work counters, in the style of MLlib's
 * aggregators: callers add into a buffer they own and divide by {@link #count()} only at the end. With the RNODE
 * regularizers on, the loss is the training objective NLL + penalty and the buffer also sums the integrals
 * ({@link #addRegularizers}), so the NLL itself stays readable ({@link #nllSum()}).
 */
public final class LossGradient implements Serializable {

    private static final long serialVersionUID = 2L;

    private double lossSum;
    private final double[] gradient;
    private long count;
    private long nfeForward;
    private long nfeBackward;
    private long accepted;
    private long rejected;
    private double kineticSum;
    private double jacobianSum;
    private double penaltySum;

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
        addRegularizers(o.kineticSum, o.jacobianSum, o.penaltySum);
        return this;
    }

    /**
     * Adds one batch's RNODE integrals summed over its samples (Σ E_kin, Σ E_jac) and the penalty
     * λ_K·Σ E_kin + λ_J·Σ E_jac that the loss added with {@link #add} already includes.
     */
    public void addRegularizers(double kinetic, double jacobian, double penalty) {
        kineticSum += kinetic;
        jacobianSum += jacobian;
        penaltySum += penalty;
    }

    /** The summed NLL: the loss without the regularizers' penalty. */
    public double nllSum() {
        return lossSum - penaltySum;
    }

    /** Σ E_kin = Σ ∫‖f‖² dt over the samples (0 when the kinetic energy is not regularized). */
    public double kineticSum() {
        return kineticSum;
    }

    /** Σ E_jac = Σ ∫‖∂f/∂z‖²_F dt (or its Hutchinson estimate) over the samples (0 when not regularized). */
    public double jacobianSum() {
        return jacobianSum;
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
