package dev.odeflow.driver.data;

import dev.odeflow.kernels.solver.Method;
import dev.odeflow.kernels.solver.OdeSystem;
import dev.odeflow.kernels.solver.RungeKutta;
import dev.odeflow.kernels.solver.SolverConfig;

/**
 * torchdiffeq's ode_demo data ({@code toy:spiral}): dy/dt = (y³)A with A = [[−0.1, 2.0], [−2.0, −0.1]] (y a row
 * vector, y³ element-wise), y(0) = (2, 0), observed at n equally spaced times on [0, 25], solved with dopri5 at
 * rtol = atol = 1e-10 (ode_demo's odeint defaults are 1e-7 / 1e-9).
 */
public final class SpiralSeries {

    /** The end of the observation interval. */
    public static final double END_TIME = 25;
    private static final double[][] A = {{-0.1, 2.0}, {-2.0, -0.1}};

    private SpiralSeries() {
    }

    /** The true field at y (2 values). */
    public static double[] velocity(double[] y) {
        double a = y[0] * y[0] * y[0];
        double b = y[1] * y[1] * y[1];
        return new double[] {a * A[0][0] + b * A[1][0], a * A[0][1] + b * A[1][1]};
    }

    /** The n observation times, linspace(0, 25, n). */
    public static double[] times(int n) {
        return linspace(END_TIME, n);
    }

    /** n equally spaced times from 0 to {@code end}, both included (a toy series' observation times). */
    static double[] linspace(double end, int n) {
        if (n < 2) {
            throw new IllegalArgumentException("a toy series needs at least 2 observations, got " + n);
        }
        double[] t = new double[n];
        for (int i = 0; i < n; i++) {
            t[i] = end * i / (n - 1);
        }
        return t;
    }

    /** The one series as a block of series "spiral" (n observations, d = 2) with windows of {@code window}. */
    public static SeriesBlock block(int n, int window) {
        double[] t = times(n);
        OdeSystem f = new OdeSystem() {
            @Override
            public int dim() {
                return 2;
            }

            @Override
            public void eval(double time, double[] y, double[] dydt) {
                double[] v = velocity(y);
                dydt[0] = v[0];
                dydt[1] = v[1];
            }
        };
        double[][] states = RungeKutta.solve(f, new double[] {2, 0}, t,
                SolverConfig.adaptive(Method.DOPRI5, 1e-10, 1e-10)).states();
        double[] values = new double[2 * n];
        for (int i = 0; i < n; i++) {
            values[2 * i] = states[i][0];
            values[2 * i + 1] = states[i][1];
        }
        return new SeriesBlock(java.util.List.of("spiral"), 2, new int[] {0, n}, t, values, window);
    }
}
