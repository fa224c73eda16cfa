package dev.odeflow.driver.data;

import dev.odeflow.kernels.solver.Method;
import dev.odeflow.kernels.solver.OdeSystem;
import dev.odeflow.kernels.solver.RungeKutta;
import dev.odeflow.kernels.solver.SolverConfig;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The lecture notes' pendulum ({@code toy:pendulum}): θ'' = −sin θ, observed through θ alone. Series
 * {@code pendulum-0} … {@code pendulum-(count−1)} start from θ(0) uniform in [−2.5, 2.5] and ω(0) uniform in
 * [−1, 1] (swings, none over the top: the energy ω²/2 − cos θ stays below 1), drawn from the seed, and are
 * observed at n equally spaced times on [0, {@value #END_TIME}] (solved with dopri5 at 1e-10). With
 * {@code data.delay} the fit sees (θ(t − kΔ), θ(t)), a phase plane equivalent to (θ, ω).
 */
public final class PendulumSeries {

    /** The end of each series' observation interval. */
    public static final double END_TIME = 10;
    /** Series generated. */
    public static final int COUNT = 40;

    private static final OdeSystem PENDULUM = new OdeSystem() {
        @Override
        public int dim() {
            return 2;
        }

        @Override
        public void eval(double t, double[] y, double[] dydt) {
            dydt[0] = y[1];
            dydt[1] = -Math.sin(y[0]);
        }
    };

    private PendulumSeries() {
    }

    /** The {@value #COUNT} series of n observations each (d = 1: θ), as one block with windows of {@code window}. */
    public static SeriesBlock block(int n, int window, long seed) {
        double[] t = SpiralSeries.linspace(END_TIME, n);
        SplittableRandom rng = new SplittableRandom(seed);
        List<String> ids = new ArrayList<>();
        int[] offsets = new int[COUNT + 1];
        double[] times = new double[COUNT * n];
        double[] theta = new double[COUNT * n];
        for (int s = 0; s < COUNT; s++) {
            double theta0 = -2.5 + 5 * rng.nextDouble();
            double omega0 = -1 + 2 * rng.nextDouble();
            if (omega0 * omega0 / 2 - Math.cos(theta0) >= 1) { // over the top: keep it a swing
                omega0 = 0;
            }
            double[][] states = RungeKutta.solve(PENDULUM, new double[] {theta0, omega0}, t,
                    SolverConfig.adaptive(Method.DOPRI5, 1e-10, 1e-10)).states();
            ids.add("pendulum-" + s);
            offsets[s + 1] = offsets[s] + n;
            for (int i = 0; i < n; i++) {
                times[s * n + i] = t[i];
                theta[s * n + i] = states[i][0];
            }
        }
        return new SeriesBlock(ids, 1, offsets, times, theta, window);
    }
}
