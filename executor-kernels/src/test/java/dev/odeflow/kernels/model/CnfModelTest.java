package dev.odeflow.kernels.model;

import dev.odeflow.kernels.testing.FiniteDifferences;
import dev.odeflow.kernels.dynamics.CnfArchitecture;

import dev.odeflow.kernels.backend.cpu.CpuBackend;
import dev.odeflow.kernels.dynamics.Activation;
import dev.odeflow.kernels.dynamics.LayerKind;
import dev.odeflow.kernels.dynamics.NamedTensor;
import dev.odeflow.kernels.gradient.AdjointOptions;
import dev.odeflow.kernels.gradient.GradientMethod;
import dev.odeflow.kernels.solver.Method;
import dev.odeflow.kernels.solver.SolverConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The CNF facade: FFJORD names, the NLL gradient including T, a normalized density, and sampling. On the CPU
 * backend: the tolerances (down to 1e-11) are double precision's.
 */
class CnfModelTest {

    private static final CnfArchitecture SMALL = new CnfArchitecture(2, new int[] {8, 8}, LayerKind.CONCATSQUASH,
            Activation.TANH);

    private static CnfModel model(GradientMethod g) {
        CnfSettings s = CpuSettings.ffjordToy().withTrain(SolverConfig.adaptive(Method.DOPRI5, 1e-11, 1e-11))
                .withEval(SolverConfig.adaptive(Method.DOPRI5, 1e-9, 1e-9)).withGradient(g)
                .withAdjoint(new AdjointOptions(1e-11, 1e-11, false));
        return new CnfModel(SMALL, s);
    }

    @Test
    void layoutFollowsFfjordStateDict() {
        List<NamedTensor> t = model(GradientMethod.BACKSOLVE_ADJOINT).layout().tensors();
        assertEquals("layers.0._layer.weight", t.get(0).name());
        assertArrayEquals(new int[] {8, 2}, t.get(0).shape());
        assertEquals("layers.0._hyper_bias.weight", t.get(2).name());
        assertArrayEquals(new int[] {8, 1}, t.get(2).shape());
        assertEquals("layers.2._hyper_gate.bias", t.get(t.size() - 2).name());
        assertEquals(CnfModel.END_TIME, t.get(t.size() - 1).name());
        assertEquals(0, t.get(t.size() - 1).shape().length);
        CnfModel m = new CnfModel(new CnfArchitecture(2, new int[] {8}, LayerKind.CONCAT, Activation.SOFTPLUS),
                CpuSettings.ffjordToy());
        assertArrayEquals(new int[] {8, 3}, m.layout().get("layers.0._layer.weight").shape());
    }

    @ParameterizedTest
    @EnumSource(GradientMethod.class)
    void nllGradientIncludingEndTimeMatchesFiniteDifferences(GradientMethod g) {
        CnfModel m = model(g);
        assertInstanceOf(CpuBackend.class, m.backend(), "CPU numerics are checked here");
        double[] w = m.initialParameters(3, 0.7);
        Random rng = new Random(4);
        int n = 5;
        double[] x = new double[2 * n];
        for (int i = 0; i < x.length; i++) {
            x[i] = rng.nextGaussian() * 1.5;
        }
        LossGradient acc = new LossGradient(w.length);
        m.addLossGradient(w, x, n, 0, acc);
        assertEquals(n, acc.count());
        double relErr = FiniteDifferences.relativeError(w, v -> lossSum(m, v, x, n, 0), acc.gradient(), 1e-4, 0);
        assertTrue(relErr < 1e-6, g + ": relative error " + relErr);
        assertTrue(Math.abs(acc.gradient()[w.length - 1]) > 1e-3, "T must receive a real gradient");
        double[] logp = m.logLikelihood(w, x, n);
        double sum = 0;
        for (double v : logp) {
            sum -= v;
        }
        assertEquals(sum, acc.lossSum(), 1e-6, "training loss = −Σ log p");
    }

    @ParameterizedTest
    @EnumSource(value = dev.odeflow.kernels.trace.Divergence.class, names = {"RADEMACHER", "GAUSSIAN"})
    void hutchinsonNllGradientWithItsNoiseHeldFixedMatchesFiniteDifferences(dev.odeflow.kernels.trace.Divergence div) {
        CnfModel m = new CnfModel(SMALL, model(GradientMethod.BACKSOLVE_ADJOINT).settings().withDivergence(div));
        double[] w = m.initialParameters(3, 0.7);
        Random rng = new Random(4);
        int n = 5;
        double[] x = new double[2 * n];
        for (int i = 0; i < x.length; i++) {
            x[i] = rng.nextGaussian() * 1.5;
        }
        long seed = 17;
        LossGradient acc = new LossGradient(w.length);
        m.addLossGradient(w, x, n, seed, acc);
        LossGradient otherNoise = new LossGradient(w.length);
        m.addLossGradient(w, x, n, seed + 1, otherNoise);
        assertTrue(Math.abs(acc.lossSum() - otherNoise.lossSum()) > 1e-6, "the noise seed must change the estimate");
        double relErr = FiniteDifferences.relativeError(w, v -> lossSum(m, v, x, n, seed), acc.gradient(), 1e-4, 0);
        assertTrue(relErr < 1e-6, div + ": relative error " + relErr);
        assertTrue(Math.abs(acc.gradient()[w.length - 1]) > 1e-3, "T must receive a real gradient");
    }

    @ParameterizedTest
    @EnumSource(value = dev.odeflow.kernels.trace.Divergence.class)
    void threadedBatchesMatchOneThread(dev.odeflow.kernels.trace.Divergence div) {
        CnfModel one = new CnfModel(SMALL, CpuSettings.ffjordToy().withTrain(SolverConfig.fixedSteps(Method.RK4, 4))
                .withDivergence(div));
        CnfModel two = one.withThreads(2);
        double[] w = one.initialParameters(8, 0.5);
        int n = 70;
        double[] x = new double[2 * n];
        Random rng = new Random(6);
        for (int i = 0; i < x.length; i++) {
            x[i] = rng.nextGaussian();
        }
        LossGradient a = new LossGradient(w.length);
        LossGradient b = new LossGradient(w.length);
        one.addLossGradient(w, x, n, 42, a);
        two.addLossGradient(w, x, n, 42, b);
        assertEquals(a.lossSum(), b.lossSum(), 1e-10 * Math.abs(a.lossSum()));
        for (int i = 0; i < w.length; i++) {
            assertEquals(a.gradient()[i], b.gradient()[i], 1e-10 * (1 + Math.abs(a.gradient()[i])), "entry " + i);
        }
        assertArrayEquals(one.logLikelihood(w, x, n), two.logLikelihood(w, x, n), 1e-10);
    }

    @Test
    void densityIntegratesToOne() {
        CnfModel m = model(GradientMethod.BACKSOLVE_ADJOINT);
        double[] w = m.initialParameters(9, 1.0);
        for (int i = 0; i < w.length - 1; i++) {
            w[i] *= 3;
        }
        int side = 120;
        double lo = -7;
        double h = 14.0 / side;
        double[] grid = new double[2 * side * side];
        for (int i = 0; i < side; i++) {
            for (int j = 0; j < side; j++) {
                grid[2 * (i * side + j)] = lo + (i + 0.5) * h;
                grid[2 * (i * side + j) + 1] = lo + (j + 0.5) * h;
            }
        }
        double mass = 0;
        for (double v : m.logLikelihood(w, grid, side * side)) {
            mass += Math.exp(v) * h * h;
        }
        assertEquals(1.0, mass, 5e-3, "∫ p(x) dx over [-7, 7]²");
    }

    @Test
    void samplesMapBackToTheirBasePoints() {
        CnfModel m = model(GradientMethod.BACKSOLVE_ADJOINT);
        double[] w = m.initialParameters(5, 0.8);
        double[] z = {0.3, -1.2, 2.0, 0.1};
        double[] x = m.sample(w, z, 2);
        double[] forward = dev.odeflow.kernels.solver.RungeKutta.solve(
                new dev.odeflow.kernels.cnf.CnfSystem(new dev.odeflow.kernels.dynamics.OdeNet(SMALL.widths(),
                        SMALL.layer(), SMALL.activation()), java.util.Arrays.copyOf(w, w.length - 1), 2,
                        dev.odeflow.kernels.trace.Probe.none()), x, new double[] {0, m.endTime(w)},
                m.settings().eval()).last();
        assertArrayEquals(z, forward, 1e-7);
        assertTrue(Math.abs(x[0] - z[0]) > 1e-3, "the flow should move points");
    }

    private static double lossSum(CnfModel m, double[] w, double[] x, int n, long seed) {
        LossGradient acc = new LossGradient(w.length);
        m.addLossGradient(w, x, n, seed, acc);
        return acc.lossSum();
    }
}
