package dev.odeflow.kernels.solver;

import dev.odeflow.kernels.cnf.CnfSystem;
import dev.odeflow.kernels.trace.Probe;
import dev.odeflow.kernels.dynamics.Activation;
import dev.odeflow.kernels.dynamics.LayerKind;
import dev.odeflow.kernels.dynamics.OdeNet;
import dev.odeflow.kernels.gradient.AdjointOptions;
import dev.odeflow.kernels.gradient.GradientMethod;
import dev.odeflow.kernels.dynamics.CnfArchitecture;
import dev.odeflow.kernels.model.CnfModel;
import dev.odeflow.kernels.model.CpuSettings;
import dev.odeflow.kernels.model.LossGradient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad input fails fast with a message that names the problem; solves that cannot finish stop, never hang. */
class BadInputTest {

    private static final OdeSystem DECAY = new OdeSystem() {
        @Override
        public int dim() {
            return 2;
        }

        @Override
        public void eval(double t, double[] y, double[] dydt) {
            dydt[0] = -y[0];
            dydt[1] = -2 * y[1];
        }
    };
    private static final SolverConfig CFG = SolverConfig.adaptive(Method.DOPRI5, 1e-6, 1e-6);

    private static void fails(String fragment, Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(fragment), "message '" + e.getMessage() + "' should mention '" + fragment + "'");
    }

    @Test
    void solverInputs() {
        fails("NaN at index 1", () -> RungeKutta.solve(DECAY, new double[] {1, Double.NaN}, new double[] {0, 1}, CFG));
        fails("Infinity at index 0", () -> RungeKutta.solve(DECAY, new double[] {Double.POSITIVE_INFINITY, 0},
                new double[] {0, 1}, CFG));
        fails("length 3, expected 2", () -> RungeKutta.solve(DECAY, new double[] {1, 2, 3}, new double[] {0, 1}, CFG));
        fails("t1 == t0", () -> RungeKutta.solve(DECAY, new double[] {1, 2}, new double[] {0.5, 0.5}, CFG));
        fails("strictly increasing", () -> RungeKutta.solve(DECAY, new double[] {1, 2}, new double[] {0, 1, 0.5}, CFG));
        fails("time 1 is NaN", () -> RungeKutta.solve(DECAY, new double[] {1, 2}, new double[] {0, Double.NaN}, CFG));
        fails("rtol must be > 0", () -> SolverConfig.adaptive(Method.DOPRI5, 0, 1e-6));
        fails("atol must be > 0", () -> SolverConfig.adaptive(Method.DOPRI5, 1e-6, -1));
        fails("unknown solver method 'rk45'", () -> Method.parse("rk45"));
        fails("no embedded error estimate", () -> SolverConfig.adaptive(Method.RK4, 1e-6, 1e-6));
        fails("steps per interval must be >= 1", () -> SolverConfig.fixedSteps(Method.RK4, 0));
        fails("adjoint tolerances must be > 0", () -> new AdjointOptions(0, 1e-6, false));
        fails("unknown gradient method", () -> GradientMethod.parse("backprop"));
    }

    @Test
    void budgetsStopTheSolveAndNameWhere() {
        SolverException steps = assertThrows(SolverException.class, () -> RungeKutta.solve(DECAY, new double[] {1, 1},
                new double[] {0, 100}, CFG.withLimits(0, 5, 1_000_000)));
        assertTrue(steps.getMessage().contains("maximum number of steps (5)") && steps.getMessage().contains("t="),
                steps.getMessage());
        SolverException nfe = assertThrows(SolverException.class, () -> RungeKutta.solve(DECAY, new double[] {1, 1},
                new double[] {0, 100}, CFG.withLimits(0, 1000, 20)));
        assertTrue(nfe.getMessage().contains("function evaluations") && nfe.nfe() <= 20, nfe.getMessage());
        OdeSystem blowUp = new OdeSystem() {
            @Override
            public int dim() {
                return 1;
            }

            @Override
            public void eval(double t, double[] y, double[] dydt) {
                dydt[0] = y[0] * y[0];
            }
        };
        SolverException min = assertThrows(SolverException.class, () -> RungeKutta.solve(blowUp, new double[] {1},
                new double[] {0, 2}, CFG.withLimits(1e-6, 100_000, 1_000_000)));
        assertTrue(min.getMessage().contains("step size underflow") && min.t() < 1.0 && min.t() > 0.99,
                min.getMessage());
        OdeSystem nan = new OdeSystem() {
            @Override
            public int dim() {
                return 1;
            }

            @Override
            public void eval(double t, double[] y, double[] dydt) {
                dydt[0] = t > 0.5 ? Double.NaN : 1;
            }
        };
        SolverException bad = assertThrows(SolverException.class, () -> RungeKutta.solve(nan, new double[] {0},
                new double[] {0, 1}, SolverConfig.fixedSteps(Method.RK4, 10)));
        assertTrue(bad.getMessage().contains("non-finite") && bad.t() == 0.5 && Math.abs(bad.h() - 0.1) < 1e-12,
                bad.getMessage());
    }

    @Test
    void modelInputs() {
        CnfModel model = new CnfModel(new CnfArchitecture(2, new int[] {4}, LayerKind.CONCATSQUASH, Activation.TANH),
                CpuSettings.ffjordToy().withTrain(SolverConfig.fixedSteps(Method.RK4, 2)));
        double[] w = model.initialParameters(1, 0.5);
        LossGradient acc = new LossGradient(w.length);
        fails("row 1, column 0 is NaN", () -> model.addLossGradient(w, new double[] {0, 0, Double.NaN, 1}, 2, 1, acc));
        fails("expected 2 rows x 2 columns", () -> model.addLossGradient(w, new double[] {0, 0, 1}, 2, 1, acc));
        fails("parameter vector w has length 3", () -> model.logLikelihood(new double[] {1, 2, 3}, new double[] {0, 0}, 1));
        double[] zeroT = w.clone();
        zeroT[zeroT.length - 1] = 0;
        fails("end time T", () -> model.logLikelihood(zeroT, new double[] {0, 0}, 1));
        fails("unknown divergence", () -> dev.odeflow.kernels.trace.Divergence.parse("hutch"));
        OdeNet net = new OdeNet(new int[] {2, 3, 2}, LayerKind.CONCAT, Activation.ELU);
        fails("parameter vector has 2 entries", () -> new CnfSystem(net, new double[2], 1, Probe.exact(2)));
        fails("widths must start and end", () -> new OdeNet(new int[] {2, 3, 4}, LayerKind.CONCAT, Activation.ELU));
    }
}
