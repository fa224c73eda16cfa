package dev.odeflow.driver.conf;

import dev.odeflow.kernels.solver.SolverConfig;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue 13, findings 6 and 7 (job keys): sizes and solver budgets are checked when the job file is read. */
class TrainConfigLimitsTest {

    private static void fails(String fragment, String... overrides) {
        ConfigException e = assertThrows(ConfigException.class, () -> TrainConfig.fromOverrides(overrides));
        assertTrue(e.getMessage().contains(fragment), "'" + e.getMessage() + "' should mention '" + fragment + "'");
        assertTrue(!e.getMessage().contains("\n"), e.getMessage());
    }

    @Test
    void hiddenWidthsBeyondTheLimitsNameTheKey() {
        fails("model.hidden = '100000000': hidden width 100000000 exceeds the limit of 65536 units per layer",
                "model.hidden=100000000");
        fails("model.hidden = '65536,65536': hidden widths [65536, 65536] give 4295622661 parameters at data"
                + " dimension 1, more than the limit of 33554432", "model.hidden=65536,65536");
        fails("model.hidden = '4294967312' is not a comma-separated list of integers", "model.hidden=4294967312");
    }

    @Test
    void fixedStepsBeyondTheStepBudgetNameTheKeys() {
        fails("solver.steps = '2000000000': exceeds the step budget solver.max_steps = 100000",
                "solver.steps=2000000000");
        fails("eval.steps = '300': exceeds the step budget eval.max_steps = 200", "eval.steps=300",
                "eval.max_steps=200");
        fails("solver.max_steps = '20000000': must be between 1 and 10000000", "solver.max_steps=20000000");
        fails("eval.max_nfe = '0': must be >= 1", "eval.max_nfe=0");
    }

    @Test
    void budgetsReachTheSolvers() {
        TrainConfig c = TrainConfig.fromOverrides("solver.max_steps=7", "solver.max_nfe=99", "eval.method=rk4",
                "eval.steps=200000", "eval.max_steps=500000", "eval.max_nfe=3000000");
        SolverConfig train = c.settings().train();
        assertEquals(7, train.maxSteps());
        assertEquals(99, train.maxNfe());
        SolverConfig eval = c.settings().eval();
        assertEquals(200_000, eval.steps());
        assertEquals(500_000, eval.maxSteps());
        assertEquals(3_000_000, eval.maxNfe());
        SolverConfig defaults = TrainConfig.fromOverrides().settings().train();
        assertEquals(SolverConfig.DEFAULT_MAX_STEPS, defaults.maxSteps());
        assertEquals(SolverConfig.DEFAULT_MAX_NFE, defaults.maxNfe());
    }
}
