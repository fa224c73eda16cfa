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

    /**
     * A pass as {@link #newPass} makes, or one handed back by {@link #returnPass} for the same {@code maxBatch}
     * (whose buffers are already allocated); implementations without a pool make a new one.
     */
    default Pass takePass(int maxBatch) {
        return newPass(maxBatch);
    }

    /** Hands a pass from {@link #takePass}{@code (maxBatch)} back for reuse; the caller must not use it again. */
    default void returnPass(int maxBatch, Pass p) {
    }

    /** Random initial parameters. */
    double[] initialParameters(java.util.Random rng);

    /**
     * One thread's evaluations: a forward call records what the following backward call needs, in the pass's
     * own buffers (of the caller's arrays it may keep only θ and the probe, which do not change), so a pass can
     * be set aside after its forward call and run backward later.
     */
    interface Pass {

        /** Bytes of the buffers this pass holds (what keeping it after a forward call costs). */
        long retainedBytes();

        /**
         * Writes f(t, Z) into {@code f} (n×d) and, when the probe has directions, the estimate
         * s_i = Σ_j u_ijᵀ(∂f/∂z)u_ij into {@code trace} (n).
         */
        void forward(double t, double[] theta, double[] z, int n, Probe probe, double[] f, double[] trace);

        /**
         * Reverse of the last {@link #forward}: adds gFᵀ∂f/∂z + gS·∂s/∂z into {@code gz} and the same with
         * respect to θ into {@code gTheta}; {@code gS} may be null when there was no probe.
         *
         * @return gFᵀ∂f/∂t + gS·∂s/∂t summed over the batch
         */
        double backward(double[] gF, double[] gS, double[] gz, double[] gTheta);

        /** Jacobian–vector product (∂f/∂z)·dz per sample into {@code out} (n×d). */
        void jvp(double t, double[] theta, double[] z, int n, double[] dz, double[] out);
    }

    /** Total length of the arrays of arrays (double or float), for {@link Pass#retainedBytes}. */
    static long length(Object[]... groups) {
        long total = 0;
        for (Object[] g : groups) {
            for (Object a : g) {
                if (a instanceof double[] v) {
                    total += v.length;
                } else if (a instanceof float[] v) {
                    total += v.length;
                }
            }
        }
        return total;
    }
}
