package dev.odeflow.kernels.model;

import dev.odeflow.kernels.backend.BackendKind;

/**
 * CNF settings for tests that check CPU numerics. {@link CnfSettings#ffjordToy()} defaults to backend=auto,
 * which moves every solve onto the float32 CUDA kernels on a machine with a GPU; tests that compare against
 * double-precision references pin the CPU here. Only the GPU tests (backend/cuda) and the tests of the
 * backend choice itself leave the backend open.
 */
public final class CpuSettings {

    private CpuSettings() {
    }

    /** FFJORD's toy defaults on the CPU backend. */
    public static CnfSettings ffjordToy() {
        return CnfSettings.ffjordToy().withBackend(BackendKind.CPU);
    }
}
