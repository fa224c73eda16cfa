package dev.odeflow.kernels.model;

import dev.odeflow.kernels.testing.FiniteDifferences;
import dev.odeflow.kernels.dynamics.Activation;
import dev.odeflow.kernels.dynamics.CnfArchitecture;
import dev.odeflow.kernels.dynamics.LayerKind;
import dev.odeflow.kernels.dynamics.NamedTensor;
import dev.odeflow.kernels.gradient.AdjointOptions;
import dev.odeflow.kernels.gradient.GradientMethod;
import dev.odeflow.kernels.solver.Method;
import dev.odeflow.kernels.solver.SolverConfig;
import dev.odeflow.kernels.trace.Divergence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A chain of CNF blocks (FFJORD's {@code SequentialFlow} of {@code CNF}s): FFJORD's chain names, the NLL
 * gradient of every parameter including each block's T for every gradient method, composition of the blocks,
 * and sampling as the inverse of the forward map. CPU backend, double-precision tolerances.
 */
class CnfChainTest {

    /** Small enough that a finite-difference sweep over three blocks stays quick: 41 parameters a block. */
    private static final CnfArchitecture TINY = new CnfArchitecture(2, new int[] {4}, LayerKind.CONCATSQUASH,
            Activation.TANH);

    private static CnfSettings tight(GradientMethod g) {
        return CpuSettings.ffjordToy().withTrain(SolverConfig.adaptive(Method.DOPRI5, 1e-11, 1e-11))
                .withEval(SolverConfig.adaptive(Method.DOPRI5, 1e-10, 1e-10)).withGradient(g)
                .withAdjoint(new AdjointOptions(1e-11, 1e-11, false));
    }

    /** Initial weights made larger so that every block moves points noticeably. */
    private static double[] weights(CnfModel m, long seed, double endTime) {
        double[] w = m.initialParameters(seed, endTime);
        Random rng = new Random(seed + 100);
        int[] times = m.endTimeIndices();
        for (int i = 0; i < w.length; i++) {
            if (Arrays.binarySearch(times, i) < 0) {
                w[i] += 0.4 * rng.nextGaussian();
            }
        }
        for (int k = 0; k < times.length; k++) {
            w[times[k]] = Math.sqrt(endTime * (1 + 0.3 * k));
        }
        return w;
    }

    private static double[] rows(int n, long seed) {
        Random rng = new Random(seed);
        double[] x = new double[2 * n];
        for (int i = 0; i < x.length; i++) {
            x[i] = rng.nextGaussian() * 1.3;
        }
        return x;
    }

    @Test
    void aChainUsesFfjordSequentialFlowNames() {
        CnfModel single = new CnfModel(TINY, CpuSettings.ffjordToy());
        CnfModel chain = new CnfModel(TINY, 2, CpuSettings.ffjordToy());
        List<NamedTensor> one = single.layout().tensors();
        List<NamedTensor> two = chain.layout().tensors();
        assertEquals(2 * one.size(), two.size());
        assertEquals(2 * single.parameterCount(), chain.parameterCount());
        for (int k = 0; k < 2; k++) {
            for (int i = 0; i < one.size(); i++) {
                NamedTensor a = one.get(i);
                NamedTensor b = two.get(k * one.size() + i);
                String expected = a.name().equals(CnfModel.END_TIME) ? "chain." + k + ".sqrt_end_time"
                        : "chain." + k + ".odefunc.odefunc.diffeq." + a.name();
                assertEquals(expected, b.name());
                assertArrayEquals(a.shape(), b.shape());
                assertEquals(k * single.parameterCount() + a.offset(), b.offset());
            }
        }
        assertEquals("chain.1.odefunc.odefunc.diffeq.layers.0._layer.weight", two.get(one.size()).name());
        assertArrayEquals(new int[] {single.parameterCount() - 1, 2 * single.parameterCount() - 1},
                chain.endTimeIndices());
        assertEquals(single.layout(), new CnfModel(TINY, 1, CpuSettings.ffjordToy()).layout(),
                "one block keeps the single CNF's names");
    }

    @Test
    void blockZeroOfAChainStartsAsASingleBlockDoes() {
        double[] one = new CnfModel(TINY, CpuSettings.ffjordToy()).initialParameters(11, 0.5);
        double[] three = new CnfModel(TINY, 3, CpuSettings.ffjordToy()).initialParameters(11, 0.5);
        assertArrayEquals(one, Arrays.copyOf(three, one.length));
        assertTrue(!Arrays.equals(Arrays.copyOfRange(three, one.length, 2 * one.length), one),
                "later blocks draw their own weights");
        CnfModel chain = new CnfModel(TINY, 3, CpuSettings.ffjordToy());
        assertArrayEquals(new double[] {0.5, 0.5, 0.5}, chain.endTimes(three), 1e-15);
        assertEquals(1.5, chain.endTime(three), 1e-15);
    }

    static Stream<Arguments> methodsAndBlocks() {
        List<Arguments> out = new ArrayList<>();
        for (GradientMethod g : GradientMethod.values()) {
            out.add(Arguments.of(g, 2));
            out.add(Arguments.of(g, 3));
        }
        return out.stream();
    }

    @ParameterizedTest
    @MethodSource("methodsAndBlocks")
    void chainNllGradientOfEveryParameterMatchesFiniteDifferences(GradientMethod g, int blocks) {
        CnfModel m = new CnfModel(TINY, blocks, tight(g));
        checkGradient(m, weights(m, 3, 0.4), 0);
    }

    @Test
    void hutchinsonChainGradientWithItsNoiseHeldFixedMatchesFiniteDifferences() {
        CnfModel m = new CnfModel(TINY, 2, tight(GradientMethod.BACKSOLVE_ADJOINT)
                .withDivergence(Divergence.RADEMACHER));
        checkGradient(m, weights(m, 5, 0.4), 23);
    }

    private static void checkGradient(CnfModel m, double[] w, long seed) {
        int n = 4;
        double[] x = rows(n, 4);
        LossGradient acc = new LossGradient(w.length);
        m.addLossGradient(w, x, n, seed, acc);
        double relErr = FiniteDifferences.relativeError(w, v -> lossSum(m, v, x, n, seed), acc.gradient(), 1e-4, 0);
        String what = m.settings().gradient() + " with " + m.blocks() + " blocks";
        assertTrue(relErr < 1e-6, what + ": relative error " + relErr);
        for (int s : m.endTimeIndices()) {
            assertTrue(Math.abs(acc.gradient()[s]) > 1e-4, what + ": sqrt_end_time at " + s + " has gradient "
                    + acc.gradient()[s]);
        }
        if (m.settings().divergence() == Divergence.EXACT) {
            double sum = 0;
            for (double v : m.logLikelihood(w, x, n)) {
                sum -= v;
            }
            assertEquals(sum, acc.lossSum(), 1e-6, what + ": training loss = −Σ log p");
        }
    }

    @Test
    void aChainIsItsBlocksComposed() {
        CnfModel chain = new CnfModel(TINY, 2, tight(GradientMethod.BACKSOLVE_ADJOINT));
        CnfModel single = new CnfModel(TINY, tight(GradientMethod.BACKSOLVE_ADJOINT));
        double[] w = weights(chain, 7, 0.6);
        int size = single.parameterCount();
        double[] w0 = Arrays.copyOf(w, size);
        double[] w1 = Arrays.copyOfRange(w, size, 2 * size);
        int n = 6;
        double[] x = rows(n, 8);
        double[] z1 = single.toBase(w0, x, n);
        double[] first = single.logLikelihood(w0, x, n);
        double[] second = single.logLikelihood(w1, z1, n);
        double[] logp = chain.logLikelihood(w, x, n);
        for (int i = 0; i < n; i++) {
            double base = -0.5 * (z1[2 * i] * z1[2 * i] + z1[2 * i + 1] * z1[2 * i + 1]) - Math.log(2 * Math.PI);
            // log p(x) = log p_2(z_1) + log|det ∂z_1/∂x| and log p_1(x) = log N(z_1) + log|det ∂z_1/∂x|
            assertEquals(second[i] + first[i] - base, logp[i], 1e-7, "row " + i);
        }
        assertArrayEquals(single.toBase(w1, z1, n), chain.toBase(w, x, n), 1e-8);
    }

    @Test
    void aBlockWithZeroDynamicsAddsNothing() {
        CnfModel chain = new CnfModel(TINY, 2, tight(GradientMethod.DIRECT_BACKPROP));
        CnfModel single = new CnfModel(TINY, tight(GradientMethod.DIRECT_BACKPROP));
        double[] w = weights(chain, 9, 0.5);
        int size = single.parameterCount();
        Arrays.fill(w, size, 2 * size - 1, 0.0);
        int n = 5;
        double[] x = rows(n, 10);
        double[] w0 = Arrays.copyOf(w, size);
        assertArrayEquals(single.logLikelihood(w0, x, n), chain.logLikelihood(w, x, n), 1e-12);
        LossGradient a = new LossGradient(size);
        LossGradient b = new LossGradient(w.length);
        single.addLossGradient(w0, x, n, 0, a);
        chain.addLossGradient(w, x, n, 0, b);
        assertEquals(a.lossSum(), b.lossSum(), 1e-12);
        assertArrayEquals(a.gradient(), Arrays.copyOf(b.gradient(), size), 1e-10);
        assertEquals(0.0, b.gradient()[2 * size - 1], 0.0, "a block that does nothing gets no T gradient");
    }

    @Test
    void samplesOfAChainMapBackToTheirBasePoints() {
        CnfModel chain = new CnfModel(TINY, 3, tight(GradientMethod.BACKSOLVE_ADJOINT));
        double[] w = weights(chain, 12, 0.5);
        double[] z = rows(4, 13);
        double[] x = chain.sample(w, z, 4);
        assertArrayEquals(z, chain.toBase(w, x, 4), 1e-7);
        CnfModel single = new CnfModel(TINY, tight(GradientMethod.BACKSOLVE_ADJOINT));
        double[] viaFirst = single.sample(Arrays.copyOf(w, single.parameterCount()), z, 4);
        double diff = 0;
        for (int i = 0; i < x.length; i++) {
            diff = Math.max(diff, Math.abs(viaFirst[i] - x[i]));
        }
        assertTrue(diff > 1e-3, "the later blocks must move points too");
    }

    @Test
    void frozenEndTimesAreEveryBlocksSqrtEndTime() {
        CnfModel trained = new CnfModel(TINY, 3, CpuSettings.ffjordToy());
        assertArrayEquals(new int[0], trained.frozenParameters());
        CnfModel fixed = new CnfModel(TINY, 3, CpuSettings.ffjordToy().withTrainEndTime(false));
        assertArrayEquals(fixed.endTimeIndices(), fixed.frozenParameters());
        for (int i : fixed.frozenParameters()) {
            assertTrue(fixed.layout().tensors().stream().anyMatch(t -> t.offset() == i
                    && t.name().endsWith(CnfModel.END_TIME)));
        }
    }

    @Test
    void blockCountsOutsideTheLimitsAreRefused() {
        CnfSettings s = CpuSettings.ffjordToy();
        assertThrows(IllegalArgumentException.class, () -> new CnfModel(TINY, 0, s));
        assertThrows(IllegalArgumentException.class, () -> new CnfModel(TINY, CnfModel.MAX_BLOCKS + 1, s));
        CnfArchitecture wide = new CnfArchitecture(2, new int[] {2048, 2048, 2048}, LayerKind.CONCATSQUASH,
                Activation.TANH);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new CnfModel(wide, 4, s));
        assertTrue(e.getMessage().contains("exceed the limit"), e.getMessage());
        CnfModel chain = new CnfModel(TINY, 2, s);
        double[] w = chain.initialParameters(1, 0.5);
        w[chain.endTimeIndices()[1]] = 0;
        IllegalArgumentException t = assertThrows(IllegalArgumentException.class,
                () -> chain.logLikelihood(w, new double[] {0, 0}, 1));
        assertTrue(t.getMessage().contains("chain.1.sqrt_end_time"), t.getMessage());
    }

    private static double lossSum(CnfModel m, double[] w, double[] x, int n, long seed) {
        LossGradient acc = new LossGradient(w.length);
        m.addLossGradient(w, x, n, seed, acc);
        return acc.lossSum();
    }
}
