package dev.odeflow.kernels.dynamics;

import dev.odeflow.kernels.trace.Probe;

/**
 * A batched vector field f(t, Z; θ) over n states in R^d, with θ one flat vector of named tensors.
 * Immutable and shareable; each thread works through its own {@link Pass}.
 */
public interface BatchDynamics {

    /** State dimension d. */
    int dim();

    /** Named tensors of θ. */
    ParameterLayout layout();

    /** Scratch space for batches of up to {@code maxBatch} samples; use from one thread. */
    Pass newPass(int maxBatch);

    /** Random initial parameters. */
    double[] initialParameters(java.util.Random rng);

    /** One thread's evaluations: a forward call records what the following backward call needs. */
    interface Pass {

        /**
         * Writes f(t, Z) into {@code f} (n×d) and, when the probe has directions, the estimate
         * s_i = Σ_j u_ijᵀ(∂f/∂z)u_ij into {@code trace} (n) and, when {@code jacobian} is not null, the squared
         * tangents q_i = Σ_j ‖(∂f/∂z)u_ij‖² into it (n): ‖∂f/∂z‖²_F for the exact probe, its Hutchinson
         * estimate for noise. Either array may be null when not wanted.
         */
        void forward(double t, double[] theta, double[] z, int n, Probe probe, double[] f, double[] trace,
                     double[] jacobian);

        /**
         * Reverse of the last {@link #forward}: adds gFᵀ∂f/∂z + gS·∂s/∂z + gQ·∂q/∂z into {@code gz} and the same
         * with respect to θ into {@code gTheta}; {@code gS} and {@code gQ} may be null (no such term).
         *
         * @return gFᵀ∂f/∂t + gS·∂s/∂t + gQ·∂q/∂t summed over the batch
         */
        double backward(double[] gF, double[] gS, double[] gQ, double[] gz, double[] gTheta);

        /** Jacobian–vector product (∂f/∂z)·dz per sample into {@code out} (n×d). */
        void jvp(double t, double[] theta, double[] z, int n, double[] dz, double[] out);
    }
}
