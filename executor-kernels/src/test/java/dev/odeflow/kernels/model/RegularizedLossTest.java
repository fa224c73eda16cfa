package dev.odeflow.kernels.model;

import dev.odeflow.kernels.dynamics.Activation;
import dev.odeflow.kernels.dynamics.CnfArchitecture;
import dev.odeflow.kernels.dynamics.LayerKind;
import dev.odeflow.kernels.gradient.AdjointOptions;
import dev.odeflow.kernels.gradient.GradientMethod;
import dev.odeflow.kernels.regularization.Regularization;
import dev.odeflow.kernels.solver.Method;
import dev.odeflow.kernels.solver.SolverConfig;
import dev.odeflow.kernels.testing.FiniteDifferences;
import dev.odeflow.kernels.trace.Divergence;
import dev.odeflow.kernels.trace.Probe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The RNODE-regularized training loss of {@link CnfModel}: Σ_i NLL_i + λ_K·E_kin,i + λ_J·E_jac,i. Its gradient with
 * respect to every parameter (each block's θ and T) against central differences for the three gradient methods,
 * exact and Hutchinson; the integrals against closed forms on a linear field f(z) = Az, through a chain; and
 * weights 0 leaving the loss and gradient bitwise those of the unregularized model.
 */
class RegularizedLossTest {

    private static final CnfArchitecture TINY = new CnfArchitecture(2, new int[] {4}, LayerKind.CONCATSQUASH,
            Activation.TANH);
    /** One concat layer and no hidden one: f(t, z) = W z + w_t t + b, linear in z. */
    private static final CnfArchitecture LINEAR = new CnfArchitecture(2, new int[0], LayerKind.CONCAT,
            Activation.TANH);

    private static CnfSettings tight(GradientMethod g, Divergence div, Regularization reg) {
        return CpuSettings.ffjordToy().withTrain(SolverConfig.adaptive(Method.DOPRI5, 1e-11, 1e-11))
                .withEval(SolverConfig.adaptive(Method.DOPRI5, 1e-10, 1e-10)).withGradient(g)
                .withAdjoint(new AdjointOptions(1e-11, 1e-11, false)).withDivergence(div).withRegularization(reg);
    }

    private static double[] rows(int n, long seed) {
        Random rng = new Random(seed);
        double[] x = new double[2 * n];
        for (int i = 0; i < x.length; i++) {
            x[i] = rng.nextGaussian() * 1.3;
        }
        return x;
    }

    /** Initial weights made larger so that the field and its Jacobian are far from zero. */
    private static double[] weights(CnfModel m, long seed) {
        double[] w = m.initialParameters(seed, 0.4);
        Random rng = new Random(seed + 100);
        int[] times = m.endTimeIndices();
        for (int i = 0; i < w.length; i++) {
            if (Arrays.binarySearch(times, i) < 0) {
                w[i] += 0.4 * rng.nextGaussian();
            }
        }
        for (int k = 0; k < times.length; k++) {
            w[times[k]] = Math.sqrt(0.4 * (1 + 0.3 * k));
        }
        return w;
    }

    static Stream<Arguments> cases() {
        Regularization both = new Regularization(0.3, 0.2);
        Stream.Builder<Arguments> b = Stream.builder();
        for (GradientMethod g : GradientMethod.values()) {
            b.add(Arguments.of(g, Divergence.EXACT, both, 1));
            b.add(Arguments.of(g, Divergence.RADEMACHER, both, 2));
        }
        b.add(Arguments.of(GradientMethod.BACKSOLVE_ADJOINT, Divergence.EXACT, new Regularization(0.5, 0), 1));
        b.add(Arguments.of(GradientMethod.DIRECT_BACKPROP, Divergence.GAUSSIAN, new Regularization(0, 0.5), 1));
        return b.build();
    }

    @ParameterizedTest(name = "{0} {1} {2} blocks={3}")
    @MethodSource("cases")
    void regularizedLossGradientMatchesFiniteDifferences(GradientMethod g, Divergence div, Regularization reg,
                                                         int blocks) {
        CnfModel m = new CnfModel(TINY, blocks, tight(g, div, reg));
        double[] w = weights(m, 3);
        int n = 4;
        double[] x = rows(n, 4);
        long seed = 23;
        LossGradient acc = new LossGradient(w.length);
        m.addLossGradient(w, x, n, seed, acc);
        double relErr = FiniteDifferences.relativeError(w, v -> {
            LossGradient at = new LossGradient(v.length);
            m.addLossGradient(v, x, n, seed, at);
            return at.lossSum();
        }, acc.gradient(), 1e-4, 0);
        assertTrue(relErr < 1e-6, "relative error " + relErr);

        LossGradient plain = new LossGradient(w.length);
        m.withSettings(m.settings().withRegularization(Regularization.none())).addLossGradient(w, x, n, seed, plain);
        double penalty = reg.kineticEnergy() * acc.kineticSum() + reg.jacobianFrobenius() * acc.jacobianSum();
        assertTrue(penalty > 1e-5, "the regularizers add something: " + penalty);
        assertEquals(plain.lossSum(), acc.nllSum(), 1e-8, "the NLL part is the unregularized loss");
        assertEquals(plain.lossSum() + penalty, acc.lossSum(), 1e-8, "loss = NLL + penalty");
        assertEquals(reg.kinetic(), acc.kineticSum() > 0, "E_kin is summed exactly when it is regularized");
        assertEquals(reg.jacobian(), acc.jacobianSum() > 0, "E_jac is summed exactly when it is regularized");
    }

    @ParameterizedTest
    @EnumSource(GradientMethod.class)
    void zeroWeightsLeaveLossAndGradientBitwiseUnchanged(GradientMethod g) {
        CnfSettings base = CpuSettings.ffjordToy().withTrain(SolverConfig.adaptive(Method.DOPRI5, 1e-6, 1e-6))
                .withGradient(g).withDivergence(Divergence.RADEMACHER);
        CnfModel plain = new CnfModel(TINY, 2, base);
        CnfModel zero = new CnfModel(TINY, 2, base.withRegularization(new Regularization(0, 0)));
        CnfModel tiny = new CnfModel(TINY, 2, base.withRegularization(new Regularization(1e-9, 0)));
        double[] w = weights(plain, 5);
        double[] x = rows(6, 6);
        LossGradient a = new LossGradient(w.length);
        LossGradient b = new LossGradient(w.length);
        LossGradient c = new LossGradient(w.length);
        plain.addLossGradient(w, x, 6, 9, a);
        zero.addLossGradient(w, x, 6, 9, b);
        tiny.addLossGradient(w, x, 6, 9, c);
        assertEquals(Double.doubleToRawLongBits(a.lossSum()), Double.doubleToRawLongBits(b.lossSum()));
        assertArrayEquals(a.gradient(), b.gradient(), 0.0);
        assertEquals(a.nfeForward(), b.nfeForward());
        assertEquals(a.nfeBackward(), b.nfeBackward());
        assertEquals(0.0, b.kineticSum(), 0.0);
        assertEquals(0.0, b.jacobianSum(), 0.0);
        assertNotEquals(a.lossSum(), c.lossSum(), "a positive weight, however small, is a different loss");
    }

    @Test
    void theIntegralsStayOutOfTheForwardStepControl() {
        CnfSettings base = CpuSettings.ffjordToy().withTrain(SolverConfig.adaptive(Method.DOPRI5, 1e-5, 1e-5))
                .withGradient(GradientMethod.CHECKPOINTED_ADJOINT);
        CnfModel plain = new CnfModel(TINY, 2, base);
        CnfModel regularized = new CnfModel(TINY, 2, base.withRegularization(new Regularization(0.05, 0.05)));
        double[] w = weights(plain, 12);
        double[] x = rows(9, 13);
        LossGradient a = new LossGradient(w.length);
        LossGradient b = new LossGradient(w.length);
        plain.addLossGradient(w, x, 9, 0, a);
        regularized.addLossGradient(w, x, 9, 0, b);
        assertEquals(a.nfeForward(), b.nfeForward(), "the same steps: the step control sees only z and Δlogp");
        assertEquals(a.lossSum(), b.nllSum(), 1e-12 * Math.abs(a.lossSum()), "and so the same NLL");
    }

    /** A = [[α, −β], [β, α]]: e^{At} = e^{αt}·rotation, ‖A e^{At} z‖² = (α² + β²)e^{2αt}‖z‖², ‖A‖²_F = 2(α² + β²). */
    private static final double ALPHA = 0.35;
    private static final double BETA = 1.2;

    /** w of a linear chain: every block f(z) = Az with its T. */
    private static double[] linearWeights(CnfModel m, double[][] a, double[] endTimes) {
        double[] w = new double[m.parameterCount()];
        int per = m.parameterCount() / m.blocks();
        for (int k = 0; k < m.blocks(); k++) {
            int o = k * per; // layers.0._layer.weight (2×3, time column first), then its bias (2), then sqrt_end_time
            for (int r = 0; r < 2; r++) {
                w[o + r * 3 + 1] = a[r][0];
                w[o + r * 3 + 2] = a[r][1];
            }
            w[m.endTimeIndices()[k]] = Math.sqrt(endTimes[k]);
        }
        return w;
    }

    @ParameterizedTest
    @EnumSource(Divergence.class)
    void integralsOfALinearFieldMatchTheirClosedForms(Divergence div) {
        double[] endTimes = {0.4, 0.7};
        CnfModel m = new CnfModel(LINEAR, 2, tight(GradientMethod.BACKSOLVE_ADJOINT, div, new Regularization(1, 1)));
        double[] w = linearWeights(m, new double[][] {{ALPHA, -BETA}, {BETA, ALPHA}}, endTimes);
        int n = 5;
        double[] x = rows(n, 7);
        LossGradient acc = new LossGradient(w.length);
        m.addLossGradient(w, x, n, 31, acc);
        double total = endTimes[0] + endTimes[1];
        double s2 = ALPHA * ALPHA + BETA * BETA;
        double kinetic = 0;
        double sqNorms = 0;
        for (int i = 0; i < n; i++) {
            double z2 = x[2 * i] * x[2 * i] + x[2 * i + 1] * x[2 * i + 1];
            kinetic += s2 * z2 * Math.expm1(2 * ALPHA * total) / (2 * ALPHA);
        }
        // Hutchinson: ‖Aε‖² = (α² + β²)‖ε‖² here, with each block's own noise
        for (int k = 0; k < 2; k++) {
            Probe p = Probe.noise(div, n, 2, CnfModel.blockSeed(31, k));
            for (int i = 0; i < n; i++) {
                double e2 = p.isExact() ? 2 : p.get(i, 0, 0, 2) * p.get(i, 0, 0, 2) + p.get(i, 0, 1, 2) * p.get(i, 0, 1, 2);
                sqNorms += s2 * e2 * endTimes[k];
            }
        }
        assertEquals(kinetic, acc.kineticSum(), 1e-8 * kinetic, "Σ ∫‖Az‖² dt");
        assertEquals(sqNorms, acc.jacobianSum(), 1e-10 * sqNorms, "Σ ∫‖∂f/∂z‖²_F dt (or ‖Aε‖² for noise)");
        if (div == Divergence.EXACT) {
            assertEquals(n * 2 * s2 * total, acc.jacobianSum(), 1e-10 * sqNorms, "‖A‖²_F·ΣT per sample");
        }
    }

    @Test
    void hutchinsonJacobianIntegralOfANonNormalFieldIsTheNoiseNormTimesT() {
        double[][] a = {{0.3, 1.1}, {-0.4, 0.2}};
        double[] endTimes = {0.6};
        CnfModel m = new CnfModel(LINEAR, tight(GradientMethod.DIRECT_BACKPROP, Divergence.GAUSSIAN,
                new Regularization(0, 1)));
        double[] w = linearWeights(m, a, endTimes);
        int n = 7;
        LossGradient acc = new LossGradient(w.length);
        m.addLossGradient(w, rows(n, 8), n, 44, acc);
        Probe p = Probe.noise(Divergence.GAUSSIAN, n, 2, 44);
        double want = 0;
        double frob = 0;
        for (double[] row : a) {
            frob += row[0] * row[0] + row[1] * row[1];
        }
        for (int i = 0; i < n; i++) {
            for (double[] row : a) {
                double ae = row[0] * p.get(i, 0, 0, 2) + row[1] * p.get(i, 0, 1, 2);
                want += ae * ae * endTimes[0];
            }
        }
        assertEquals(want, acc.jacobianSum(), 1e-12 * want);
        assertNotEquals(n * frob * endTimes[0], acc.jacobianSum(), 1e-3 * want, "an estimate, not ‖A‖²_F·T");
    }
}
