package dev.odeflow.kernels.cnf;

import dev.odeflow.kernels.regularization.Regularization;

/**
 * Where each part of the augmented CNF state lies, one after the other: Z (n×d row-major); Δlogp (n) when the
 * trace is taken; then, per sample, E_kin (n) when the kinetic energy is regularized and E_jac (n) when the
 * Jacobian norm is. Without regularization this is the familiar [Z, Δlogp].
 *
 * @param n              samples
 * @param d              data dimension
 * @param traced         whether the state carries Δlogp
 * @param regularization which integrals the state carries (those with weight &gt; 0)
 */
public record AugmentedState(int n, int d, boolean traced, Regularization regularization) {

    public AugmentedState {
        if (regularization == null) {
            throw new IllegalArgumentException("regularization is required (Regularization.none() for none)");
        }
        if (regularization.jacobian() && !traced) {
            throw new IllegalArgumentException("the Jacobian-norm regularizer reads the trace's tangents; it needs a"
                    + " traced CNF state");
        }
    }

    /** Index of sample 0's Δlogp. */
    public int logpOffset() {
        return n * d;
    }

    /** Index of sample 0's E_kin. */
    public int kineticOffset() {
        return logpOffset() + (traced ? n : 0);
    }

    /** Index of sample 0's E_jac. */
    public int jacobianOffset() {
        return kineticOffset() + (regularization.kinetic() ? n : 0);
    }

    /**
     * The components an adaptive training solve's error control should see: Z and Δlogp, the prefix before the
     * regularizers' integrals (FFJORD and RNODE give those tolerances of 1e20: they only feed the loss).
     */
    public int controlled() {
        return kineticOffset();
    }

    /** Length of the state vector. */
    public int size() {
        return jacobianOffset() + (regularization.jacobian() ? n : 0);
    }
}
