package dev.odeflow.kernels.solver;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AnalyticSolutionTest {

    /** The seed's example: dy/dt = y − ½e^{t/2} sin 5t + 5e^{t/2} cos 5t, y(0) = 0, y = e^{t/2} sin 5t. */
    static final OdeSystem SEED = new OdeSystem() {
        @Override
        public int dim() {
            return 1;
        }

        @Override
        public void eval(double t, double[] y, double[] dydt) {
            double e = Math.exp(t / 2);
            dydt[0] = y[0] - 0.5 * e * Math.sin(5 * t) + 5 * e * Math.cos(5 * t);
        }
    };

    static double seedExact(double t) {
        return Math.exp(t / 2) * Math.sin(5 * t);
    }

    @Test
    void seedExampleWithDopri5AtTightToleranceIsAccurateEverywhere() {
        double[] times = new double[51];
        for (int i = 0; i < times.length; i++) {
            times[i] = 0.1 * i;
        }
        Solution s = RungeKutta.solve(SEED, new double[] {0}, times, SolverConfig.adaptive(Method.DOPRI5, 1e-8, 1e-8));
        for (int i = 0; i < times.length; i++) {
            assertEquals(seedExact(times[i]), s.states()[i][0], 1e-6, "t=" + times[i]);
        }
        assertTrue(s.stats().accepted() > 10, "should have taken real adaptive steps");
    }

    @ParameterizedTest
    @EnumSource(value = Method.class, names = {"BOSH3", "DOPRI5", "TSIT5"})
    void denseOutputDoesNotShortenSteps(Method method) {
        SolverConfig cfg = SolverConfig.adaptive(method, 1e-7, 1e-7);
        Solution coarse = RungeKutta.solve(SEED, new double[] {0}, new double[] {0, 3}, cfg);
        double[] times = new double[301];
        for (int i = 0; i < times.length; i++) {
            times[i] = 0.01 * i;
        }
        Solution fine = RungeKutta.solve(SEED, new double[] {0}, times, cfg);
        assertEquals(coarse.stats(), fine.stats(), "observation times must not change the steps");
        double tol = method == Method.DOPRI5 ? 5e-5 : 5e-4;
        for (int i = 0; i < times.length; i++) {
            assertEquals(seedExact(times[i]), fine.states()[i][0], tol, "dense output at t=" + times[i]);
        }
        assertEquals(coarse.last()[0], fine.last()[0], 0.0, "same end state");
    }

    @Test
    void linearSystemMatchesMatrixExponential() {
        int n = 4;
        Random rng = new Random(7);
        double[][] b = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                b[i][j] = rng.nextGaussian() * 0.7;
            }
        }
        double[] z0 = {1, -0.5, 0.25, 2};
        OdeSystem linear = new OdeSystem() {
            @Override
            public int dim() {
                return n;
            }

            @Override
            public void eval(double t, double[] y, double[] dydt) {
                for (int i = 0; i < n; i++) {
                    double s = 0;
                    for (int j = 0; j < n; j++) {
                        s += b[i][j] * y[j];
                    }
                    dydt[i] = s;
                }
            }
        };
        double[] times = {0, 0.5, 1.3, 2.0};
        for (Method m : new Method[] {Method.DOPRI5, Method.TSIT5}) {
            Solution s = RungeKutta.solve(linear, z0, times, SolverConfig.adaptive(m, 1e-11, 1e-11));
            for (int k = 0; k < times.length; k++) {
                double[] expected = multiply(MatrixExp.expm(b, times[k]), z0);
                for (int i = 0; i < n; i++) {
                    assertEquals(expected[i], s.states()[k][i], 1e-8 * (1 + Math.abs(expected[i])),
                            m.label() + " t=" + times[k] + " component " + i);
                }
            }
        }
    }

    @Test
    void reverseTimeSolveReturnsToTheStart() {
        SolverConfig cfg = SolverConfig.adaptive(Method.DOPRI5, 1e-10, 1e-10);
        double y1 = RungeKutta.solve(SEED, new double[] {0}, new double[] {0, 2}, cfg).last()[0];
        double back = RungeKutta.solve(SEED, new double[] {y1}, new double[] {2, 0}, cfg).last()[0];
        assertEquals(0, back, 1e-8);
        assertEquals(seedExact(2), y1, 1e-8);
    }

    private static double[] multiply(double[][] m, double[] v) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            for (int j = 0; j < v.length; j++) {
                out[i] += m[i][j] * v[j];
            }
        }
        return out;
    }
}
