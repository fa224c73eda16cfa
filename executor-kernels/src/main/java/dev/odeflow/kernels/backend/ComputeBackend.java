package dev.odeflow.kernels.backend;

import dev.odeflow.kernels.regularization.Regularization;
import dev.odeflow.kernels.trace.Probe;
import dev.odeflow.kernels.dynamics.CnfArchitecture;

/**
 * Where the augmented CNF dynamics run. The CPU reference and CUDA implement the same contract, so the
 * solver and the gradient methods are written once.
 */
public interface ComputeBackend {

    /** "cpu" or "cuda:&lt;device&gt;". */
    String name();

    /**
     * The augmented system y = [Z (n×d row-major), Δlogp (n)] with dZ/dt = f(t, Z; θ) and
     * dΔlogp/dt = −Σ_j u_jᵀ(∂f/∂z)u_j over the probe's directions. θ excludes sqrt_end_time.
     * One instance per solve and thread; close it when the solve ends or fails.
     */
    default CnfKernel cnfKernel(CnfArchitecture arch, double[] theta, int n, Probe probe) {
        return cnfKernel(arch, theta, n, probe, Regularization.none());
    }

    /**
     * As {@link #cnfKernel(CnfArchitecture, double[], int, Probe)}, the state also carrying the integrals of the
     * regularizers with weight &gt; 0 (E_kin, E_jac per sample, after Δlogp). A backend that does not compute
     * them refuses, naming the job keys ({@link Regularization#NOT_ON_CUDA}).
     */
    CnfKernel cnfKernel(CnfArchitecture arch, double[] theta, int n, Probe probe, Regularization regularization);
}
