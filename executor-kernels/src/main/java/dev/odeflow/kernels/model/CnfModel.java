package dev.odeflow.kernels.model;

import dev.odeflow.kernels.dynamics.ParameterLayout;

import java.io.Serializable;

/**
 * A continuous normalizing flow: its architecture and how it is solved. Immutable and thread-safe; all
 * per-call state lives in the call. The flat parameter vector w holds the dynamics' tensors in FFJORD's
 * ODEnet order followed by the scalar {@code sqrt_end_time} s, with T = s².
 *
 * <p>Conventions are FFJORD's: data x at t = 0, base z(T) ~ N(0, I), and
 * log p(x) = log N(z(T)) − Δlogp(T) with dΔlogp/dt = −tr(∂f/∂z).
 */
public final class CnfModel implements Serializable {

    private static final long serialVersionUID = 1L;

    private final CnfArchitecture architecture;
    private final CnfSettings settings;

    public CnfModel(CnfArchitecture architecture, CnfSettings settings) {
        this.architecture = architecture;
        this.settings = settings;
    }

    public CnfArchitecture architecture() {
        return architecture;
    }

    public CnfSettings settings() {
        return settings;
    }

    /** Data dimension d. */
    public int dim() {
        return architecture.dim();
    }

    /** Named tensors of w: the dynamics in FFJORD order, then {@code sqrt_end_time} (shape []). */
    public ParameterLayout layout() {
        throw new UnsupportedOperationException("being implemented");
    }

    /** PyTorch-default initialization (U(±1/sqrt(fan_in))) from {@code seed}, with T = endTime. */
    public double[] initialParameters(long seed, double endTime) {
        throw new UnsupportedOperationException("being implemented");
    }

    /** T = s² for the parameter vector w. */
    public double endTime(double[] w) {
        double s = w[w.length - 1];
        return s * s;
    }

    /**
     * Adds the summed negative log-likelihood of rows x (n×d, row-major) and its gradient with respect to w
     * into {@code acc}, using the training solver and gradient method. Hutchinson noise is drawn from
     * {@code noiseSeed}.
     */
    public void addLossGradient(double[] w, double[] x, int n, long noiseSeed, LossGradient acc) {
        throw new UnsupportedOperationException("being implemented");
    }

    /** log p(x) per row with the exact trace and the evaluation solver. */
    public double[] logLikelihood(double[] w, double[] x, int n) {
        throw new UnsupportedOperationException("being implemented");
    }

    /** Maps base samples z (n×d) at t = T back to data space at t = 0 with the evaluation solver. */
    public double[] sample(double[] w, double[] z, int n) {
        throw new UnsupportedOperationException("being implemented");
    }
}
