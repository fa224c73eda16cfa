package dev.odeflow.kernels.dynamics;

import dev.odeflow.kernels.model.CnfModel;
import dev.odeflow.kernels.model.CnfSettings;

import dev.odeflow.kernels.bench.BenchMain;
import dev.odeflow.kernels.solver.Method;
import dev.odeflow.kernels.solver.RungeKutta;
import dev.odeflow.kernels.solver.SolverConfig;
import dev.odeflow.kernels.solver.SolverException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue 13, findings 6 and 7 (kernel side): sizes beyond the limits fail with one line before any allocation. */
class SizeLimitsTest {

    private static CnfArchitecture arch(int dim, int... hidden) {
        return new CnfArchitecture(dim, hidden, LayerKind.CONCATSQUASH, Activation.TANH);
    }

    private static void fails(String fragment, Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(fragment), "'" + e.getMessage() + "' should mention '" + fragment + "'");
        assertTrue(!e.getMessage().contains("\n"), e.getMessage());
    }

    @Test
    void hugeHiddenWidthIsRefusedBeforeAllocation() {
        fails("hidden width 100000000 exceeds the limit of 65536 units per layer", () -> arch(2, 100_000_000));
    }

    @Test
    void widthsWhoseProductOverflowsIntAreRefusedByTheParameterLimit() {
        fails("more than the limit of 33554432", () -> arch(2, 65_536, 65_536));
        fails("more than the limit of 33554432", () -> arch(2, 50_000, 50_000));
        fails("data dimension 70000 exceeds the limit of 65536", () -> arch(70_000, 8));
        fails("65 hidden layers exceed the limit of 64", () -> arch(2, java.util.stream.IntStream.generate(() -> 1).limit(65)
                .toArray()));
    }

    @Test
    void parameterCountAgreesWithTheLayoutAndSaturatesInsteadOfWrapping() {
        for (LayerKind k : LayerKind.values()) {
            CnfArchitecture a = new CnfArchitecture(3, new int[] {7, 5}, k, Activation.TANH);
            assertEquals(new CnfModel(a, CnfSettings.ffjordToy()).parameterCount(),
                    SizeLimits.parameterCount(3, new int[] {7, 5}, k));
        }
        assertEquals(Long.MAX_VALUE, SizeLimits.parameterCount(Integer.MAX_VALUE,
                new int[] {Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE}, LayerKind.CONCATSQUASH));
    }

    @Test
    void fixedStepsBeyondTheStepBudgetAreRefusedBeforeTheGridIsAllocated() {
        fails("fixed steps 2000000000 exceed the step budget max_steps = 100000",
                () -> SolverConfig.fixedSteps(Method.RK4, 2_000_000_000));
        fails("max_steps 9223372036854775807 exceeds the limit of 10000000",
                () -> SolverConfig.fixedSteps(Method.RK4, 10).withLimits(0, Long.MAX_VALUE, 100));
        SolverConfig perInterval = SolverConfig.fixedSteps(Method.RK4, 60_000);
        SolverException e = assertThrows(SolverException.class, () -> RungeKutta.solve(new dev.odeflow.kernels
                .solver.OdeSystem() {
            @Override
            public int dim() {
                return 1;
            }

            @Override
            public void eval(double t, double[] y, double[] dydt) {
                dydt[0] = -y[0];
            }
        }, new double[] {1}, new double[] {0, 1, 2}, perInterval));
        assertTrue(e.getMessage().contains("need 120000 steps, more than the step budget max_steps = 100000")
                && e.getMessage().contains("t=0.0"), e.getMessage());
    }

    @Test
    void benchBatchBeyondTheMemoryEstimateIsRefused() {
        PrintStream out = new PrintStream(new ByteArrayOutputStream());
        fails("batch=100000000: 100000000 samples need about 1629638 MiB for the network's buffers", () -> BenchMain.run(new String[] {"batch=100000000"},
                out));
        fails("batch=1000000: 1000000 samples need about 16296 MiB", () -> SizeLimits.checkBatch(
                CnfArchitecture.ffjordToy(), 1_000_000, 2, 1L << 30, "batch=1000000"));
        fails("batch: 1073741824 samples need arrays of 3221225472 × 64 elements, more than Java's limit of"
                + " 2147483639; at most 11184810 samples fit", () -> SizeLimits.checkBatch(CnfArchitecture.ffjordToy(),
                1L << 30, 2, Long.MAX_VALUE, "batch"));
    }
}
