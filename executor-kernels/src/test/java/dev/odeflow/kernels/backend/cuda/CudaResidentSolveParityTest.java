package dev.odeflow.kernels.backend.cuda;

import dev.odeflow.kernels.solver.Method;
import dev.odeflow.kernels.solver.SolverConfig;

import java.util.List;

/** Device-resident forward solve parity on the GPU (skipped with a message where there is none). */
class CudaResidentSolveParityTest extends ResidentSolveParityContract {

    @Override
    DeviceUnderTest target() {
        return DeviceUnderTest.CUDA;
    }

    @Override
    int samples() {
        return 1000;
    }

    @Override
    List<Case> cases() {
        return List.of(new Case(SolverConfig.adaptive(Method.DOPRI5, 1e-5, 1e-5), 0, 0.5),
                new Case(SolverConfig.adaptive(Method.BOSH3, 1e-4, 1e-4), 0.5, 0),
                new Case(SolverConfig.fixedSteps(Method.RK4, 8), 0, 0.5),
                new Case(SolverConfig.fixedSize(Method.MIDPOINT, 0.07), 0.5, 0));
    }
}
