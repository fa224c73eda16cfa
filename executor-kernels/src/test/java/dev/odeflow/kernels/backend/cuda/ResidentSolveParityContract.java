package dev.odeflow.kernels.backend.cuda;

import dev.odeflow.kernels.backend.CnfKernel;
import dev.odeflow.kernels.backend.cpu.CpuBackend;
import dev.odeflow.kernels.trace.Probe;
import dev.odeflow.kernels.dynamics.OdeNet;
import dev.odeflow.kernels.dynamics.CnfArchitecture;
import dev.odeflow.kernels.solver.Method;
import dev.odeflow.kernels.solver.RungeKutta;
import dev.odeflow.kernels.solver.Solution;
import dev.odeflow.kernels.solver.SolverConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.Random;

import static dev.odeflow.kernels.backend.cuda.CudaTestSupport.PARITY;
import static dev.odeflow.kernels.backend.cuda.CudaTestSupport.assertParity;
import static dev.odeflow.kernels.backend.cuda.CudaTestSupport.random;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The device-resident forward solve (stages, stage combinations and error norms on the device) against the
 * CPU RungeKutta engine on the CPU reference dynamics, forwards and backwards in time. On GPU and emulated.
 */
@ExtendWith(SeedReporter.class)
abstract class ResidentSolveParityContract {

    /** One solve: its configuration and interval. */
    record Case(SolverConfig cfg, double t0, double t1) {
    }

    abstract DeviceUnderTest target();

    abstract int samples();

    abstract List<Case> cases();

    @Test
    void residentSolvesMatchTheCpuEngine() {
        target().assume();
        Random rng = CudaTestSupport.rng();
        CnfArchitecture arch = CnfArchitecture.ffjordToy();
        int n = samples();
        int d = arch.dim();
        double[] theta = new OdeNet(arch.widths(), arch.layer(), arch.activation()).initialParameters(rng);
        double[] y0 = new double[n * d + n];
        float[] z = CudaCnfKernel.toFloat(random(rng, n * d, 1.0));
        for (int i = 0; i < n * d; i++) {
            y0[i] = z[i]; // representable in float32, so both solvers start from the same state
        }
        KernelDevice device = target().device();
        long before = device.tracker().liveCount();
        try (CnfKernel cpu = new CpuBackend().cnfKernel(arch, theta, n, Probe.exact(d));
             CudaCnfKernel gpu = (CudaCnfKernel) target().kernel(arch, theta, n, Probe.exact(d));
             ResidentSolver solver = new ResidentSolver(gpu)) {
            for (Case c : cases()) {
                Solution expected = RungeKutta.solve(cpu, y0, new double[] {c.t0(), c.t1()}, c.cfg());
                double[] actual = solver.solve(y0, c.t0(), c.t1(), c.cfg());
                String what = c.cfg() + " from " + c.t0() + " to " + c.t1();
                assertParity(what + ": z", expected.last(), actual, 0, n * d, PARITY);
                assertParity(what + ": delta-logp", expected.last(), actual, n * d, n * d + n, PARITY);
                long cpuSteps = expected.stats().accepted();
                long devSteps = solver.stats().accepted();
                assertTrue(Math.abs(cpuSteps - devSteps) <= 1, what + ": " + devSteps + " steps on the device, "
                        + cpuSteps + " on the CPU (same controller)");
                assertTrue(Math.abs(solver.stats().nfe() - expected.stats().nfe()) <= 2L * c.cfg().method().tableau().stages(),
                        what + ": " + solver.stats() + " on the device, " + expected.stats() + " on the CPU");
            }
            assertThrows(IllegalArgumentException.class, () -> solver.solve(new double[3], 0, 1, cases().get(0).cfg()));
            assertThrows(IllegalArgumentException.class,
                    () -> solver.solve(y0, 0, 1, SolverConfig.adaptive(Method.RK4, 1e-3, 1e-3)));
        }
        assertEquals(before, device.tracker().liveCount(), "the resident solve leaked device memory");
    }
}
