package dev.odeflow.kernels.model;

import dev.odeflow.kernels.dynamics.Activation;
import dev.odeflow.kernels.dynamics.CnfArchitecture;
import dev.odeflow.kernels.dynamics.LayerKind;
import dev.odeflow.kernels.dynamics.Precision;
import dev.odeflow.kernels.gradient.GradientMethod;
import dev.odeflow.kernels.solver.Method;
import dev.odeflow.kernels.solver.SolverConfig;
import dev.odeflow.kernels.trace.Divergence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A whole CNF's loss and gradient (through the solver and each gradient method, T included) with a
 * {@link Precision#FLOAT32} network against the same model in {@link Precision#FLOAT64}, whose gradient
 * {@link CnfModelTest} checks against finite differences: they agree to float accuracy, far closer than a
 * wrong transpose or a dropped term in the float pass would leave them.
 */
class CnfModelFloat32Test {

    static Stream<Arguments> cases() {
        Stream.Builder<Arguments> b = Stream.builder();
        CnfArchitecture toy = new CnfArchitecture(2, new int[] {19, 33}, LayerKind.CONCATSQUASH, Activation.TANH);
        CnfArchitecture tab = new CnfArchitecture(5, new int[] {40, 40}, LayerKind.CONCATSQUASH, Activation.SOFTPLUS);
        CnfArchitecture concat = new CnfArchitecture(3, new int[] {24}, LayerKind.CONCAT, Activation.SWISH);
        for (GradientMethod g : GradientMethod.values()) {
            b.add(Arguments.of(toy, Divergence.EXACT, g));
            b.add(Arguments.of(tab, Divergence.GAUSSIAN, g));
        }
        b.add(Arguments.of(concat, Divergence.RADEMACHER, GradientMethod.BACKSOLVE_ADJOINT));
        return b.build();
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("cases")
    void lossAndGradientAgreeWithDoublePrecision(CnfArchitecture arch, Divergence div, GradientMethod g) {
        CnfSettings s = CpuSettings.ffjordToy().withTrain(SolverConfig.fixedSteps(Method.RK4, 6)).withGradient(g)
                .withDivergence(div);
        CnfModel f64 = new CnfModel(arch, s);
        CnfModel f32 = new CnfModel(arch.withPrecision(Precision.FLOAT32), s);
        double[] w = f64.initialParameters(3, 0.7);
        Random rng = new Random(4);
        int n = 150;
        double[] x = new double[arch.dim() * n];
        for (int i = 0; i < x.length; i++) {
            x[i] = rng.nextGaussian() * 1.5;
        }
        LossGradient want = new LossGradient(w.length);
        f64.addLossGradient(w, x, n, 5, want);
        LossGradient got = new LossGradient(w.length);
        f32.addLossGradient(w, x, n, 5, got);
        assertEquals(want.lossSum(), got.lossSum(), 1e-5 * Math.abs(want.lossSum()), "loss");
        double[] a = want.gradient();
        double[] b = got.gradient();
        double scale = 0;
        double err = 0;
        for (int i = 0; i < a.length; i++) {
            scale = Math.max(scale, Math.abs(a[i]));
            err = Math.max(err, Math.abs(a[i] - b[i]));
        }
        assertTrue(err <= 1e-5 * scale, "gradient: max deviation " + err + " against largest entry " + scale);
        assertTrue(err > 0, "the float32 model must compute in float");
        assertEquals(a[a.length - 1], b[b.length - 1], 1e-5 * scale, "∂/∂T");
    }

    /** Log-likelihoods and samples evaluate in double whichever precision trains: bitwise the float64 model's. */
    @Test
    void evaluationIsInDoubleWhateverTheTrainingPrecision() {
        CnfArchitecture arch = new CnfArchitecture(2, new int[] {16, 16}, LayerKind.CONCATSQUASH, Activation.TANH);
        CnfSettings s = CpuSettings.ffjordToy().withEval(SolverConfig.adaptive(Method.DOPRI5, 1e-8, 1e-8));
        CnfModel f64 = new CnfModel(arch, 2, s);
        CnfModel f32 = new CnfModel(arch.withPrecision(Precision.FLOAT32), 2, s);
        double[] w = f64.initialParameters(8, 0.6);
        double[] x = {0.3, -1.2, 2.0, 0.5, -0.7, 0.1};
        assertArrayEquals(f64.logLikelihood(w, x, 3), f32.logLikelihood(w, x, 3));
        assertArrayEquals(f64.sample(w, x, 3), f32.sample(w, x, 3));
        LossGradient g64 = new LossGradient(w.length);
        f64.addLossGradient(w, x, 3, 1, g64);
        LossGradient g32 = new LossGradient(w.length);
        f32.addLossGradient(w, x, 3, 1, g32);
        assertNotEquals(g64.lossSum(), g32.lossSum(), "training, unlike evaluation, runs in float");
    }
}
