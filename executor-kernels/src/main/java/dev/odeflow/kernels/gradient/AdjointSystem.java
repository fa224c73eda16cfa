package dev.odeflow.kernels.gradient;

import dev.odeflow.kernels.solver.DifferentiableSystem;
import dev.odeflow.kernels.solver.OdeSystem;

import java.util.Arrays;

/**
 * The augmented system of Algorithm 2, s = [z, a, a_θ, a_t]:
 * dz/dt = f, da/dt = −aᵀ∂f/∂z, da_θ/dt = −aᵀ∂f/∂θ, da_t/dt = −aᵀ∂f/∂t. An ordinary vector field,
 * solved backwards in time by the same engine as everything else. Scratch is allocated once.
 */
final class AdjointSystem implements OdeSystem {

    private final DifferentiableSystem f;
    private final int n;
    private final int p;
    private final double[] z;
    private final double[] a;
    private final double[] fz;
    private final double[] gz;
    private final double[] gTheta;

    AdjointSystem(DifferentiableSystem f) {
        this.f = f;
        this.n = f.dim();
        this.p = f.paramDim();
        this.z = new double[n];
        this.a = new double[n];
        this.fz = new double[n];
        this.gz = new double[n];
        this.gTheta = new double[p];
    }

    @Override
    public int dim() {
        return 2 * n + p + 1;
    }

    @Override
    public void eval(double t, double[] s, double[] ds) {
        System.arraycopy(s, 0, z, 0, n);
        System.arraycopy(s, n, a, 0, n);
        Arrays.fill(gz, 0);
        Arrays.fill(gTheta, 0);
        double gt = f.vjp(t, z, a, fz, gz, gTheta);
        System.arraycopy(fz, 0, ds, 0, n);
        for (int i = 0; i < n; i++) {
            ds[n + i] = -gz[i];
        }
        for (int i = 0; i < p; i++) {
            ds[2 * n + i] = -gTheta[i];
        }
        ds[2 * n + p] = -gt;
    }
}
