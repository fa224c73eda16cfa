package dev.odeflow.kernels.backend.cuda;

import dev.odeflow.kernels.backend.CnfKernel;
import dev.odeflow.kernels.backend.cpu.CpuBackend;
import dev.odeflow.kernels.trace.Divergence;
import dev.odeflow.kernels.trace.Probe;
import dev.odeflow.kernels.dynamics.OdeNet;
import dev.odeflow.kernels.gradient.AdjointOptions;
import dev.odeflow.kernels.gradient.ForwardPass;
import dev.odeflow.kernels.gradient.GradientMethod;
import dev.odeflow.kernels.gradient.Gradients;
import dev.odeflow.kernels.gradient.Sensitivities;
import dev.odeflow.kernels.dynamics.CnfArchitecture;
import dev.odeflow.kernels.solver.SolverConfig;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Random;

import static dev.odeflow.kernels.backend.cuda.CudaTestSupport.PARITY;
import static dev.odeflow.kernels.backend.cuda.CudaTestSupport.assertParity;
import static dev.odeflow.kernels.backend.cuda.CudaTestSupport.random;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A whole forward solve of the FFJORD toy CNF plus its backsolve adjoint, CUDA kernel against the CPU
 * reference, on the same fixed step grid so only the kernels differ. On GPU and emulated.
 */
@ExtendWith(SeedReporter.class)
abstract class SolveParityContract {

    abstract DeviceUnderTest target();

    /** Samples per solve (the emulation is slow, so it uses fewer). */
    abstract int samples();

    /** The fixed step grid both backends solve on (the emulation is slow, so it takes fewer steps). */
    abstract SolverConfig solver();

    @ParameterizedTest
    @EnumSource(value = Divergence.class, names = {"EXACT", "RADEMACHER"})
    void forwardSolveAndBacksolveAdjointMatchTheCpu(Divergence div) {
        target().assume();
        Random rng = CudaTestSupport.rng();
        CnfArchitecture arch = CnfArchitecture.ffjordToy();
        int n = samples();
        int d = arch.dim();
        double[] theta = new OdeNet(arch.widths(), arch.layer(), arch.activation()).initialParameters(rng);
        Probe probe = Probe.noise(div, n, d, rng.nextLong());
        double[] y0 = new double[n * d + n];
        System.arraycopy(random(rng, n * d, 1.0), 0, y0, 0, n * d);
        double[] times = {0, 0.5};
        SolverConfig cfg = solver();
        AdjointOptions adj = AdjointOptions.like(1e-5, 1e-7);
        KernelDevice device = target().device();
        long before = device.tracker().liveCount();
        Result cpu;
        Result gpu;
        try (CnfKernel k = new CpuBackend().cnfKernel(arch, theta, n, probe)) {
            cpu = solve(k, y0, times, cfg, adj);
        }
        try (CnfKernel k = target().kernel(arch, theta, n, probe)) {
            gpu = solve(k, y0, times, cfg, adj);
        }
        assertEquals(before, device.tracker().liveCount(), "the solve leaked device memory");
        assertParity("z(T)", cpu.yT, gpu.yT, 0, n * d, PARITY);
        assertParity("delta-logp(T)", cpu.yT, gpu.yT, n * d, n * d + n, PARITY);
        assertParity("dL/dz(0)", cpu.sens.y0(), gpu.sens.y0(), 0, n * d, PARITY);
        assertParity("dL/dtheta", cpu.sens.theta(), gpu.sens.theta(), 0, theta.length, PARITY);
        CudaTestSupport.assertParity("dL/dT", cpu.sens.times()[1], gpu.sens.times()[1], 1.0, PARITY);
    }

    private record Result(double[] yT, Sensitivities sens) {
    }

    /** NLL-like loss: ½|z(T)|² + Δlogp(T) per sample. */
    private static Result solve(CnfKernel k, double[] y0, double[] times, SolverConfig cfg, AdjointOptions adj) {
        ForwardPass fp = Gradients.forward(k, y0, times, cfg, GradientMethod.BACKSOLVE_ADJOINT, adj);
        double[] yT = fp.solution().last();
        int n = y0.length / 3;
        double[] dL = new double[yT.length];
        for (int i = 0; i < 2 * n; i++) {
            dL[i] = yT[i];
        }
        for (int i = 2 * n; i < 3 * n; i++) {
            dL[i] = 1;
        }
        return new Result(yT, fp.backward(new double[][] {null, dL}));
    }
}
