package dev.odeflow.kernels.backend.cuda;

import dev.odeflow.kernels.solver.Method;
import dev.odeflow.kernels.solver.SolverConfig;

import java.util.List;

/** Device-resident forward solve parity on the host emulation of the kernel sources (GPU-free). */
class EmulatedResidentSolveParityTest extends ResidentSolveParityContract {

    @Override
    DeviceUnderTest target() {
        return DeviceUnderTest.EMULATED;
    }

    @Override
    int samples() {
        return 130;
    }

    @Override
    List<Case> cases() {
        return List.of(new Case(SolverConfig.adaptive(Method.BOSH3, 1e-4, 1e-4), 0, 0.5),
                new Case(SolverConfig.fixedSteps(Method.RK4, 2), 0.5, 0));
    }
}
