package dev.odeflow.kernels.classifier;

import dev.odeflow.kernels.dynamics.NamedTensor;
import dev.odeflow.kernels.dynamics.ParameterLayout;
import dev.odeflow.kernels.dynamics.Precision;
import dev.odeflow.kernels.gradient.AdjointOptions;
import dev.odeflow.kernels.gradient.GradientMethod;
import dev.odeflow.kernels.nn.MapShape;
import dev.odeflow.kernels.solver.Method;
import dev.odeflow.kernels.solver.SolverConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The classifiers' summed cross-entropy gradient, through the head, the ODE block (all three gradient methods) or
 * the residual blocks, and the downsampling convolutions, checked tensor by tensor against central differences on
 * a small network; the MNIST networks' parameter counts and names against the seeds' table; and the ODE-Net's
 * gradient memory, flat in the number of solver steps.
 */
class ClassifierModelTest {

    private static final SolverConfig TIGHT = SolverConfig.adaptive(Method.DOPRI5, 1e-10, 1e-10);
    private static final AdjointOptions TIGHT_ADJOINT = new AdjointOptions(1e-10, 1e-10, false);
    private static final MapShape SMALL = new MapShape(12, 12, 1);

    static ClassifierModel small(ClassifierBlock block, SolverConfig solver, GradientMethod method) {
        return new ClassifierModel(new ClassifierArchitecture(block, SMALL, 3, 4, 5, 0.8, Precision.FLOAT64), solver, solver, method,
                TIGHT_ADJOINT);
    }

    private static ClassifierArchitecture mnist(ClassifierBlock block) {
        return ClassifierArchitecture.mnist(block, Precision.FLOAT64);
    }

    static ImageBatch images(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] px = new double[n * SMALL.size()];
        int[] labels = new int[n];
        for (int i = 0; i < px.length; i++) {
            px[i] = r.nextDouble();
        }
        for (int i = 0; i < n; i++) {
            labels[i] = i % 3;
        }
        return new ImageBatch(SMALL, n, px, labels);
    }

    /** θ from PyTorch's initialization with the norms' affine parameters moved away from 1 and 0. */
    static double[] parameters(ClassifierModel m) {
        double[] w = m.initialParameters(7);
        SplittableRandom r = new SplittableRandom(11);
        for (NamedTensor t : m.layout().tensors()) {
            if (t.name().contains("norm") || t.shape().length == 1) {
                for (int j = t.offset(); j < t.offset() + t.size(); j++) {
                    w[j] += 0.3 * (2 * r.nextDouble() - 1);
                }
            }
        }
        return w;
    }

    private static double loss(ClassifierModel m, double[] w, ImageBatch b) {
        return m.gradientStep(w, b).lossSum();
    }

    /** Per named tensor (up to 12 entries each): max |difference − gradient| ≤ tol · scale + 1e-8. */
    static void assertGradientMatches(ClassifierModel m, double tol) {
        ImageBatch b = images(3, 5);
        double[] w = parameters(m);
        double[] g = m.gradientStep(w, b).gradient();
        double eps = 1e-6;
        for (NamedTensor t : m.layout().tensors()) {
            double err = 0;
            double scale = 0;
            int stride = Math.max(1, t.size() / 12);
            for (int j = t.offset(); j < t.offset() + t.size(); j += stride) {
                double[] p = w.clone();
                double[] q = w.clone();
                p[j] += eps;
                q[j] -= eps;
                double fd = (loss(m, p, b) - loss(m, q, b)) / (2 * eps);
                err = Math.max(err, Math.abs(fd - g[j]));
                scale = Math.max(scale, Math.abs(fd));
            }
            if (scale < 1e-7) { // a bias a norm cancels (groups of one channel): the gradient must vanish too
                assertTrue(err < 1e-7, t.name() + ": the loss does not depend on it, the gradient says " + err);
                continue;
            }
            assertTrue(err <= tol * scale + 1e-8, t.name() + ": gradient error " + err + " against scale " + scale);
        }
    }

    /** Checkpointed and direct gradients are the exact gradients of the discrete (rk4) solve. */
    @ParameterizedTest
    @EnumSource(value = GradientMethod.class, names = {"CHECKPOINTED_ADJOINT", "DIRECT_BACKPROP"})
    void rkNetGradientMatchesCentralDifferencesInEveryTensor(GradientMethod method) {
        assertGradientMatches(small(ClassifierBlock.ODE, SolverConfig.fixedSteps(Method.RK4, 3), method), 1e-5);
    }

    /**
     * The backsolve adjoint's gradient is the continuous one, reached only as the tolerances shrink; the ReLUs make
     * the field non-smooth, so adaptive solves converge slowly and differences of adaptive solves are noise (the
     * step sequence changes with θ). So it is checked against direct backprop through the same dopri5 solve (itself
     * checked above): measured 4e-2 apart at 1e-6, 4e-3 at 1e-8, 7e-4 at 1e-10. At 1e-8 every tensor agrees to 2%
     * of its scale: a wrong term in the chain would be off by its own size.
     */
    @Test
    void odeNetAdjointGradientAgreesWithBackpropThroughTheSameSolve() {
        SolverConfig s = SolverConfig.adaptive(Method.DOPRI5, 1e-8, 1e-8);
        ClassifierArchitecture arch = new ClassifierArchitecture(ClassifierBlock.ODE, SMALL, 3, 4, 5, 0.8,
                Precision.FLOAT64);
        AdjointOptions reverse = new AdjointOptions(1e-8, 1e-8, false);
        ClassifierModel adjoint = new ClassifierModel(arch, s, s, GradientMethod.BACKSOLVE_ADJOINT, reverse);
        ClassifierModel direct = new ClassifierModel(arch, s, s, GradientMethod.DIRECT_BACKPROP, reverse);
        ImageBatch b = images(3, 5);
        double[] w = parameters(adjoint);
        double[] ga = adjoint.gradientStep(w, b).gradient();
        double[] gd = direct.gradientStep(w, b).gradient();
        for (NamedTensor t : adjoint.layout().tensors()) {
            double err = 0;
            double scale = 0;
            for (int j = t.offset(); j < t.offset() + t.size(); j++) {
                err = Math.max(err, Math.abs(ga[j] - gd[j]));
                scale = Math.max(scale, Math.abs(gd[j]));
            }
            assertTrue(err <= 2e-2 * scale + 1e-9, t.name() + ": adjoint " + err + " from backprop, scale " + scale);
        }
    }

    /**
     * Training's float32 products give every block's loss and gradient to float accuracy against float64 (each
     * tensor within 1e-4 of its scale, or of a thousandth of the largest entry: sums of a few hundred float
     * products, through 3 solver steps), and leave classification, which runs in double, bit for bit as it was.
     */
    @Test
    void float32TrainingAgreesWithFloat64AndClassifiesInDouble() {
        SolverConfig s = SolverConfig.fixedSteps(Method.RK4, 3);
        for (ClassifierBlock block : ClassifierBlock.values()) {
            for (GradientMethod method : List.of(GradientMethod.BACKSOLVE_ADJOINT, GradientMethod.DIRECT_BACKPROP)) {
                ClassifierArchitecture a64 = new ClassifierArchitecture(block, SMALL, 3, 4, 5, 0.8, Precision.FLOAT64);
                ClassifierArchitecture a32 = a64.withPrecision(Precision.FLOAT32);
                ClassifierModel m64 = new ClassifierModel(a64, s, s, method, TIGHT_ADJOINT);
                ClassifierModel m32 = new ClassifierModel(a32, s, s, method, TIGHT_ADJOINT);
                ImageBatch b = images(4, 13);
                double[] w = parameters(m64);
                GradientStep g64 = m64.gradientStep(w, b);
                GradientStep g32 = m32.gradientStep(w, b);
                String what = block.label() + " " + method.label();
                assertEquals(g64.lossSum(), g32.lossSum(), 1e-5 * Math.abs(g64.lossSum()), what + " loss");
                assertNotEquals(g64.lossSum(), g32.lossSum(), what + ": the float path did not run");
                double overall = Arrays.stream(g64.gradient()).map(Math::abs).max().orElseThrow();
                for (NamedTensor t : m64.layout().tensors()) {
                    double err = 0;
                    double scale = 1e-3 * overall; // a bias before a GroupNorm has a gradient of rounding noise
                    for (int j = t.offset(); j < t.offset() + t.size(); j++) {
                        err = Math.max(err, Math.abs(g64.gradient()[j] - g32.gradient()[j]));
                        scale = Math.max(scale, Math.abs(g64.gradient()[j]));
                    }
                    assertTrue(err <= 1e-4 * scale, what + " " + t.name() + ": " + err + " at scale " + scale);
                }
                assertArrayEquals(m64.classify(w, b).logits(), m32.classify(w, b).logits(), 0.0,
                        what + ": classification stays in double");
            }
        }
    }

    @Test
    void resNetGradientMatchesCentralDifferencesInEveryTensor() {
        assertGradientMatches(small(ClassifierBlock.RESNET, TIGHT, GradientMethod.DIRECT_BACKPROP), 1e-6);
    }

    @Test
    void mlpGradientMatchesCentralDifferencesInEveryTensor() {
        assertGradientMatches(small(ClassifierBlock.MLP, TIGHT, GradientMethod.DIRECT_BACKPROP), 1e-6);
    }

    @Test
    void theMnistNetworksHaveTheSeedsParameterCountsUnderPytorchsNames() {
        SolverConfig rk4 = SolverConfig.fixedSteps(Method.RK4, 2);
        ClassifierModel ode = new ClassifierModel(mnist(ClassifierBlock.ODE), rk4, rk4,
                GradientMethod.BACKSOLVE_ADJOINT, TIGHT_ADJOINT);
        ClassifierModel res = new ClassifierModel(mnist(ClassifierBlock.RESNET), rk4, rk4,
                GradientMethod.DIRECT_BACKPROP, TIGHT_ADJOINT);
        ClassifierModel mlp = new ClassifierModel(mnist(ClassifierBlock.MLP), rk4, rk4,
                GradientMethod.DIRECT_BACKPROP, TIGHT_ADJOINT);
        assertEquals(208_266, ode.parameterCount());
        assertEquals(576_778, res.parameterCount());
        assertEquals(238_510, mlp.parameterCount());
        ParameterLayout l = ode.layout();
        assertArrayEquals(new int[] {64, 65, 3, 3}, l.get("7.odefunc.conv1._layer.weight").shape());
        assertArrayEquals(new int[] {64}, l.get("7.odefunc.norm3.bias").shape());
        assertArrayEquals(new int[] {64, 64, 4, 4}, l.get("6.weight").shape());
        assertArrayEquals(new int[] {10, 64}, l.get("12.weight").shape());
        assertArrayEquals(new int[] {64, 64, 3, 3}, res.layout().get("12.conv2.weight").shape());
        assertArrayEquals(new int[] {10, 64}, res.layout().get("17.weight").shape());
        assertArrayEquals(new int[] {300, 784}, mlp.layout().get("1.weight").shape());
        assertEquals(24, ode.layout().tensors().size()); // 2 each: 3 convs, 2 norms, odefunc's 5 modules, head's 2
    }

    @Test
    void theOdeNetsGradientKeepsTheSameMemoryWhateverTheStepsAndDirectBackpropDoesNot() {
        ImageBatch b = images(2, 3);
        long[] adjoint = new long[2];
        long[] direct = new long[2];
        int[] steps = {2, 8};
        for (int i = 0; i < 2; i++) {
            SolverConfig s = SolverConfig.fixedSteps(Method.RK4, steps[i]);
            ClassifierModel a = small(ClassifierBlock.ODE, s, GradientMethod.BACKSOLVE_ADJOINT);
            ClassifierModel d = small(ClassifierBlock.ODE, s, GradientMethod.DIRECT_BACKPROP);
            adjoint[i] = a.gradientStep(parameters(a), b).keptBytes();
            direct[i] = d.gradientStep(parameters(d), b).keptBytes();
        }
        assertEquals(adjoint[0], adjoint[1], "the adjoint's memory must not grow with the steps");
        assertTrue(direct[1] - adjoint[1] >= 3 * (direct[0] - adjoint[0]),
                "direct backprop keeps every step: " + Arrays.toString(direct) + " against the adjoint's "
                        + Arrays.toString(adjoint));
    }

    @Test
    void classificationCountsErrorsAndReportsTheSolversWork() {
        SolverConfig s = SolverConfig.fixedSteps(Method.RK4, 3);
        ClassifierModel m = small(ClassifierBlock.ODE, s, GradientMethod.BACKSOLVE_ADJOINT);
        ImageBatch b = images(6, 9);
        double[] w = parameters(m);
        Classification c = m.classify(w, b);
        int errors = 0;
        for (int i = 0; i < 6; i++) {
            errors += c.predicted()[i] == b.labels()[i] ? 0 : 1;
        }
        assertEquals(errors, c.errors());
        assertEquals(12, c.stats().nfe());
        assertEquals(m.gradientStep(w, b).lossSum(), c.lossSum(), 1e-12);
        GradientStep step = m.gradientStep(w, b);
        assertEquals(12, step.forward().nfe());
        assertTrue(step.backward().nfe() > 0);
    }

    @Test
    void aReusedClassifierGivesEveryBatchWhatAFreshOneGives() {
        SolverConfig s = SolverConfig.fixedSteps(Method.RK4, 3);
        ClassifierModel m = small(ClassifierBlock.ODE, s, GradientMethod.BACKSOLVE_ADJOINT);
        double[] w = parameters(m);
        ClassifierModel.BatchClassifier reused = m.classifier(w, 4);
        for (ImageBatch b : new ImageBatch[] {images(4, 1), images(4, 2), images(3, 3), images(4, 4)}) {
            Classification again = reused.classify(b);
            Classification fresh = m.classify(w, b);
            assertArrayEquals(fresh.logits(), again.logits(), 0.0);
            assertArrayEquals(fresh.predicted(), again.predicted());
            assertEquals(fresh.errors(), again.errors());
            assertEquals(fresh.lossSum(), again.lossSum(), 0.0);
            assertEquals(12, again.stats().nfe());
        }
    }

    @Test
    void badBatchesAreRefusedWithTheReason() {
        ClassifierModel m = small(ClassifierBlock.MLP, TIGHT, GradientMethod.DIRECT_BACKPROP);
        double[] w = parameters(m);
        ImageBatch unlabelled = new ImageBatch(SMALL, 1, new double[SMALL.size()], null);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> m.gradientStep(w, unlabelled)).getMessage()
                .contains("labelled"));
        ImageBatch wrongShape = new ImageBatch(new MapShape(28, 28, 1), 1, new double[784], new int[1]);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> m.classify(w, wrongShape)).getMessage()
                .contains("28×28×1"));
        ImageBatch badLabel = new ImageBatch(SMALL, 1, new double[SMALL.size()], new int[] {3});
        assertTrue(assertThrows(IllegalArgumentException.class, () -> m.gradientStep(w, badLabel)).getMessage()
                .contains("label 3"));
    }
}
