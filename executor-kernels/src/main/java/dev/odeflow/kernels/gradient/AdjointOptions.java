package dev.odeflow.kernels.gradient;

/**
 * Settings of the backward pass.
 *
 * @param rtol     relative tolerance of the reverse solve (backsolve adjoint, adaptive mode)
 * @param atol     absolute tolerance of the reverse solve
 * @param seminorm leave a_θ and a_t out of the reverse solve's error control (Kidger et al. 2021)
 */
public record AdjointOptions(double rtol, double atol, boolean seminorm) implements java.io.Serializable {

    public AdjointOptions {
        if (!(rtol > 0) || !(atol > 0) || !Double.isFinite(rtol) || !Double.isFinite(atol)) {
            throw new IllegalArgumentException("adjoint tolerances must be > 0 and finite, got rtol=" + rtol
                    + ", atol=" + atol);
        }
    }

    /** The same tolerances as the forward solve, full norm. */
    public static AdjointOptions like(double rtol, double atol) {
        return new AdjointOptions(rtol, atol, false);
    }
}
