package dev.odeflow.kernels.backend.cuda;

import dev.odeflow.kernels.solver.Method;
import dev.odeflow.kernels.solver.SolverConfig;

/** forward solve + backsolve adjoint parity on the host emulation of the kernel sources (GPU-free). */
class EmulatedSolveParityTest extends SolveParityContract {

    @Override
    DeviceUnderTest target() {
        return DeviceUnderTest.EMULATED;
    }

    @Override
    int samples() {
        return 130;
    }

    @Override
    SolverConfig solver() {
        return SolverConfig.fixedSteps(Method.RK4, 3);
    }
}
