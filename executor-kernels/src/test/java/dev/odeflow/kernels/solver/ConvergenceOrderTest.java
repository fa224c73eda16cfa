package dev.odeflow.kernels.solver;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Measured order of every tableau: slope of log error against log h on the seed's non-autonomous problem. */
class ConvergenceOrderTest {

    @ParameterizedTest
    @EnumSource(Method.class)
    void measuredOrderMatchesTableau(Method method) {
        int order = method.tableau().order();
        int[] steps = order >= 4 ? new int[] {40, 80, 160, 320} : new int[] {80, 160, 320, 640};
        double tEnd = 2.0;
        double exact = AnalyticSolutionTest.seedExact(tEnd);
        double[] logH = new double[steps.length];
        double[] logErr = new double[steps.length];
        for (int i = 0; i < steps.length; i++) {
            Solution s = RungeKutta.solve(AnalyticSolutionTest.SEED, new double[] {0}, new double[] {0, tEnd},
                    SolverConfig.fixedSteps(method, steps[i]));
            logH[i] = Math.log(tEnd / steps[i]);
            logErr[i] = Math.log(Math.abs(s.last()[0] - exact));
        }
        double slope = slope(logH, logErr);
        assertEquals(order, slope, 0.2, method.label() + ": measured order " + slope);
    }

    @ParameterizedTest
    @EnumSource(value = Method.class, names = {"BOSH3", "DOPRI5", "TSIT5"})
    void embeddedEstimateHasItsOwnOrder(Method method) {
        ButcherTableau tab = method.tableau();
        int[] steps = {8, 16, 32, 64};
        double[] logH = new double[steps.length];
        double[] logErr = new double[steps.length];
        for (int i = 0; i < steps.length; i++) {
            double h = 1.0 / steps[i];
            double[] k = new double[tab.stages()];
            double[] ys = new double[tab.stages()];
            double y = 1;
            double err = 0;
            double t0 = 0.7;
            double exact = Math.exp(Math.sin(t0 + h) - Math.sin(t0));
            for (int s = 0; s < tab.stages(); s++) {
                ys[s] = y;
                for (int j = 0; j < s; j++) {
                    ys[s] += h * tab.a(s, j) * k[j];
                }
                k[s] = ys[s] * Math.cos(t0 + tab.c(s) * h);
            }
            double yHat = y;
            for (int s = 0; s < tab.stages(); s++) {
                yHat += h * (tab.b(s) - tab.error(s)) * k[s];
            }
            err = Math.abs(yHat - exact);
            logH[i] = Math.log(h);
            logErr[i] = Math.log(err);
        }
        assertEquals(tab.errorOrder() + 1, slope(logH, logErr), 0.3, "local error order of the embedded solution");
    }

    static double slope(double[] x, double[] y) {
        double mx = 0;
        double my = 0;
        for (int i = 0; i < x.length; i++) {
            mx += x[i] / x.length;
            my += y[i] / y.length;
        }
        double num = 0;
        double den = 0;
        for (int i = 0; i < x.length; i++) {
            num += (x[i] - mx) * (y[i] - my);
            den += (x[i] - mx) * (x[i] - mx);
        }
        return num / den;
    }
}
