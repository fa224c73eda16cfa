package dev.odeflow.driver;

import dev.odeflow.driver.conf.TrainConfig;

/**
 * Training configurations for tests that check CPU numerics. The job default is backend=auto, which moves
 * every executor solve onto the float32 CUDA kernels on a machine with a GPU; these tests pin the CPU.
 * Only tests of the backend choice itself leave it open.
 */
public final class CpuConfigs {

    /** The override that pins the CPU backend. */
    public static final String CPU = "backend=cpu";

    private CpuConfigs() {
    }

    /** {@link TrainConfig#fromOverrides} with backend=cpu first, so an explicit backend in {@code overrides} wins. */
    public static TrainConfig fromOverrides(String... overrides) {
        String[] all = new String[overrides.length + 1];
        all[0] = CPU;
        System.arraycopy(overrides, 0, all, 1, overrides.length);
        return TrainConfig.fromOverrides(all);
    }
}
