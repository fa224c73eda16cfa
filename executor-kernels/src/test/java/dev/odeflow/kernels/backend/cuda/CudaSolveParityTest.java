package dev.odeflow.kernels.backend.cuda;

import dev.odeflow.kernels.solver.Method;
import dev.odeflow.kernels.solver.SolverConfig;

/** forward solve + backsolve adjoint parity on the GPU (skipped with a message where there is none). */
class CudaSolveParityTest extends SolveParityContract {

    @Override
    DeviceUnderTest target() {
        return DeviceUnderTest.CUDA;
    }

    @Override
    int samples() {
        return 500;
    }

    @Override
    SolverConfig solver() {
        return SolverConfig.fixedSteps(Method.DOPRI5, 10);
    }
}
