package dev.odeflow.jobs.model;

import dev.odeflow.driver.data.Standardization;
import dev.odeflow.kernels.backend.BackendKind;
import dev.odeflow.kernels.trace.Divergence;
import dev.odeflow.kernels.dynamics.Activation;
import dev.odeflow.kernels.dynamics.LayerKind;
import dev.odeflow.kernels.gradient.AdjointOptions;
import dev.odeflow.kernels.gradient.GradientMethod;
import dev.odeflow.kernels.dynamics.CnfArchitecture;
import dev.odeflow.kernels.model.CnfModel;
import dev.odeflow.kernels.model.CnfSettings;
import dev.odeflow.kernels.solver.Method;
import dev.odeflow.kernels.solver.SolverConfig;

import java.util.List;
import java.util.Random;

/** Small, fast flows for tests: concatsquash 2 → 8 → 2, rk4 with few fixed steps, CPU. */
public final class TinyFlows {

    /**
     * The override that pins the CPU backend, for tests that train, score or differentiate through the CLI, a
     * job file or the estimator: the job default is backend=auto, which would move them onto the float32 CUDA
     * kernels on a machine with a GPU.
     */
    public static final String CPU = "backend=cpu";

    private TinyFlows() {
    }

    public static CnfSettings fastSettings() {
        return new CnfSettings(SolverConfig.fixedSteps(Method.RK4, 4), SolverConfig.fixedSteps(Method.RK4, 6),
                GradientMethod.DIRECT_BACKPROP, AdjointOptions.like(1e-6, 1e-6), Divergence.EXACT, true,
                BackendKind.CPU);
    }

    /** A 2-D flow with random (not initial) weights, a non-trivial standardization and named columns. */
    public static SavedFlow twoD(long seed) {
        CnfModel model = new CnfModel(new CnfArchitecture(2, new int[] {8}, LayerKind.CONCATSQUASH, Activation.TANH),
                fastSettings());
        double[] w = model.initialParameters(seed, 0.7);
        Random rng = new Random(seed + 1);
        for (int i = 0; i < w.length - 1; i++) {
            w[i] += 0.3 * rng.nextGaussian();
        }
        return new SavedFlow(model, w, new Standardization(new double[] {1.5, -2}, new double[] {2, 0.5}),
                List.of("a", "b"));
    }

    /** A 2-D chain of {@code blocks} CNF blocks with random weights and distinct T_k, otherwise like {@link #twoD}. */
    public static SavedFlow chain(long seed, int blocks) {
        CnfModel model = new CnfModel(new CnfArchitecture(2, new int[] {8}, LayerKind.CONCATSQUASH, Activation.TANH),
                blocks, fastSettings());
        double[] w = model.initialParameters(seed, 0.7);
        Random rng = new Random(seed + 1);
        for (int i = 0; i < w.length; i++) {
            w[i] += 0.3 * rng.nextGaussian();
        }
        int[] times = model.endTimeIndices();
        for (int k = 0; k < blocks; k++) {
            w[times[k]] = Math.sqrt(0.4 + 0.2 * k);
        }
        return new SavedFlow(model, w, new Standardization(new double[] {1.5, -2}, new double[] {2, 0.5}),
                List.of("a", "b"));
    }

    /** n rows of 2-D data around the flow's standardization. */
    public static double[] data(int n, long seed) {
        Random rng = new Random(seed);
        double[] x = new double[2 * n];
        for (int i = 0; i < n; i++) {
            x[2 * i] = 1.5 + 2 * rng.nextGaussian();
            x[2 * i + 1] = -2 + 0.5 * rng.nextGaussian();
        }
        return x;
    }
}
