package dev.odeflow.kernels.latent;

import dev.odeflow.kernels.testing.SingleWindow;
import dev.odeflow.kernels.dynamics.Activation;
import dev.odeflow.kernels.dynamics.NamedTensor;
import dev.odeflow.kernels.gradient.AdjointOptions;
import dev.odeflow.kernels.gradient.GradientMethod;
import dev.odeflow.kernels.model.LossGradient;
import dev.odeflow.kernels.solver.Method;
import dev.odeflow.kernels.solver.SolverConfig;
import dev.odeflow.kernels.trajectory.Windows;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The latent ODE's negative ELBO and its gradient through decoder, dynamics (all three gradient methods, and the
 * GRU baseline), reparameterization, KL and the GRU encoder, on irregular series of different lengths, checked
 * tensor by tensor against central differences; and its masking of the batch.
 */
class LatentOdeModelTest {

    private static final SolverConfig TIGHT = SolverConfig.adaptive(Method.DOPRI5, 1e-11, 1e-11);

    /** Three series in R^2 with different irregular times and lengths; series 2 shares t = 0.7 with series 0. */
    static Windows irregular() {
        int[] offsets = {0, 4, 9, 12};
        double[] times = {0, 0.3, 0.7, 1.2, 0, 0.2, 0.55, 0.9, 1.4, 0, 0.7, 1.0};
        double[] values = new double[times.length * 2];
        for (int j = 0; j < values.length; j++) {
            values[j] = Math.sin(1.7 * j) * 1.3;
        }
        return new Windows(2, offsets, times, values);
    }

    static LatentOdeModel model(LatentDynamics dynamics, GradientMethod method) {
        LatentArchitecture arch = new LatentArchitecture(2, 3, 5, new int[] {6, 4}, new int[] {5}, Activation.ELU,
                dynamics);
        return new LatentOdeModel(arch, 0.4, 0.5, TIGHT, TIGHT, method, new AdjointOptions(1e-11, 1e-11, false));
    }

    private static double loss(LatentOdeModel m, double[] w, Windows win) {
        LossGradient a = new LossGradient(w.length);
        m.addLossGradient(w, win, 42, a);
        return a.lossSum();
    }

    /** Per named tensor: max |difference − gradient| ≤ tol · (the largest |difference| of the tensor) + 1e-9. */
    static void assertGradientMatches(LatentOdeModel m, double[] w, Windows win, double tol) {
        LossGradient g = new LossGradient(w.length);
        m.addLossGradient(w, win, 42, g);
        assertEquals(win.count(), g.count());
        double eps = 1e-5;
        for (NamedTensor t : m.arch().layout().tensors()) {
            double err = 0;
            double scale = 0;
            for (int j = t.offset(); j < t.offset() + t.size(); j++) {
                double[] p = w.clone();
                double[] q = w.clone();
                p[j] += eps;
                q[j] -= eps;
                double fd = (loss(m, p, win) - loss(m, q, win)) / (2 * eps);
                err = Math.max(err, Math.abs(fd - g.gradient()[j]));
                scale = Math.max(scale, Math.abs(fd));
            }
            assertTrue(scale > 1e-6, t.name() + ": the loss barely depends on it (" + scale + ")");
            assertTrue(err <= tol * scale + 1e-9, t.name() + ": gradient error " + err + " against scale " + scale);
        }
    }

    @ParameterizedTest
    @EnumSource(GradientMethod.class)
    void odeGradientMatchesCentralDifferencesInEveryTensor(GradientMethod method) {
        LatentOdeModel m = model(LatentDynamics.ODE, method);
        // The backsolve adjoint's gradient is that of the exact flow up to its reverse solve's tolerance.
        assertGradientMatches(m, m.arch().initialParameters(3), irregular(),
                method == GradientMethod.BACKSOLVE_ADJOINT ? 1e-4 : 1e-5);
    }

    @ParameterizedTest
    @EnumSource(LatentDynamics.class)
    void missingValuesAreMaskedInTheElboItsGradientAndTheErrors(LatentDynamics dynamics) {
        LatentOdeModel m = model(dynamics, GradientMethod.DIRECT_BACKPROP);
        Windows full = irregular();
        double[] values = full.values().clone();
        values[1] = Double.NaN;         // series 0's first observation, x1 (context)
        values[2 * 7] = Double.NaN;     // series 1, a later observation's x0
        Windows masked = new Windows(2, full.offsets(), full.times(), values);
        double[] w = m.arch().initialParameters(17);
        assertGradientMatches(m, w, masked, 1e-5);
        LossGradient all = new LossGradient(w.length);
        m.addSquaredError(w, masked, ObservationPart.ALL, all);
        assertEquals(12 * 2 - 2, all.count());
        assertTrue(Double.isFinite(all.lossSum()) && Double.isFinite(loss(m, w, masked)));
    }

    @Test
    void gruBaselineGradientMatchesCentralDifferencesInEveryTensor() {
        LatentOdeModel m = model(LatentDynamics.GRU, GradientMethod.DIRECT_BACKPROP);
        assertGradientMatches(m, m.arch().initialParameters(5), irregular(), 1e-6);
    }

    @Test
    void theDataTermIsAGaussianLogLikelihoodWithTheFixedNoise() {
        // L(σ) = S/(2σ²) + N·log σ + c: S (the squared errors of the sampled reconstruction), the KL and c do
        // not depend on σ, so two noise levels fix S and c and a third must follow.
        LatentOdeModel base = model(LatentDynamics.ODE, GradientMethod.CHECKPOINTED_ADJOINT);
        double[] w = base.arch().initialParameters(7);
        Windows win = irregular();
        double[] sigma = {0.4, 0.8, 1.6};
        double[] l = new double[3];
        for (int k = 0; k < 3; k++) {
            LatentOdeModel m = new LatentOdeModel(base.arch(), sigma[k], base.context(), TIGHT, TIGHT,
                    GradientMethod.CHECKPOINTED_ADJOINT, base.adjoint());
            l[k] = loss(m, w, win);
        }
        int values = win.observations() * 2;
        double r0 = l[0] - values * Math.log(sigma[0]);
        double r1 = l[1] - values * Math.log(sigma[1]);
        double s = (r0 - r1) / (0.5 / (sigma[0] * sigma[0]) - 0.5 / (sigma[1] * sigma[1]));
        double c = r0 - s * 0.5 / (sigma[0] * sigma[0]);
        assertTrue(s > 0, "squared errors " + s);
        assertEquals(s * 0.5 / (sigma[2] * sigma[2]) + values * Math.log(sigma[2]) + c, l[2], 1e-9 * Math.abs(l[2]));
        assertEquals(loss(base, w, win), loss(base, w, win), 0.0);
    }

    @Test
    void contextAndForecastSplitEverySeriesAtItsShareOfItsSpan() {
        LatentOdeModel m = model(LatentDynamics.ODE, GradientMethod.CHECKPOINTED_ADJOINT);
        double[] w = m.arch().initialParameters(9);
        Windows win = irregular();
        LatentBatch b = LatentBatch.of(win, 0.5);
        // Series 0: times 0, 0.3, 0.7, 1.2: cut 0.6 → 2; series 1: 0 .. 1.4: cut 0.7 → 0, 0.2, 0.55 → 3;
        // series 2: 0, 0.7, 1.0: cut 0.5 → 1.
        assertEquals(Arrays.toString(new int[] {2, 3, 1}), Arrays.toString(b.context()));
        LossGradient all = new LossGradient(w.length);
        LossGradient ctx = new LossGradient(w.length);
        LossGradient fut = new LossGradient(w.length);
        m.addSquaredError(w, win, ObservationPart.ALL, all);
        m.addSquaredError(w, win, ObservationPart.CONTEXT, ctx);
        m.addSquaredError(w, win, ObservationPart.FORECAST, fut);
        assertEquals(6 * 2, ctx.count());
        assertEquals(6 * 2, fut.count());
        assertEquals(all.lossSum(), ctx.lossSum() + fut.lossSum(), 1e-12 * all.lossSum());
    }

    @ParameterizedTest
    @EnumSource(LatentDynamics.class)
    void aBatchReconstructsEachSeriesAsIfAlone(LatentDynamics dynamics) {
        LatentOdeModel m = model(dynamics, GradientMethod.CHECKPOINTED_ADJOINT);
        double[] w = m.arch().initialParameters(11);
        Windows all = irregular();
        LossGradient batch = new LossGradient(w.length);
        m.addSquaredError(w, all, ObservationPart.ALL, batch);
        double sum = 0;
        for (int i = 0; i < all.count(); i++) {
            Windows one = SingleWindow.of(all, i);
            LossGradient lg = new LossGradient(w.length);
            m.addSquaredError(w, one, ObservationPart.ALL, lg);
            sum += lg.lossSum();
        }
        assertEquals(sum, batch.lossSum(), 1e-9 * sum);
    }

    @ParameterizedTest
    @EnumSource(LatentDynamics.class)
    void aReconstructionAtASeriesOwnTimesIsWhatItsErrorWasMeasuredOn(LatentDynamics dynamics) {
        LatentOdeModel m = model(dynamics, GradientMethod.CHECKPOINTED_ADJOINT);
        double[] w = m.arch().initialParameters(13);
        Windows all = irregular();
        Windows first = SingleWindow.of(all, 0);
        double[] x = m.reconstruct(w, first, first.times(), false, 0)[0];
        double sum = 0;
        for (int k = 0; k < 8; k++) {
            sum += (x[k] - first.values()[k]) * (x[k] - first.values()[k]);
        }
        LossGradient err = new LossGradient(w.length);
        m.addSquaredError(w, first, ObservationPart.ALL, err);
        assertEquals(err.lossSum(), sum, 1e-9 * sum);
        double[] drawn = m.reconstruct(w, first, first.times(), true, 5)[0];
        assertTrue(!Arrays.equals(drawn, x), "a sample from q(z0 | x) is not the posterior mean's path");
    }

    @Test
    void badSettingsAndMismatchedInputAreRefused() {
        LatentArchitecture arch = model(LatentDynamics.ODE, GradientMethod.DIRECT_BACKPROP).arch();
        AdjointOptions adj = new AdjointOptions(1e-6, 1e-6, false);
        assertThrows(IllegalArgumentException.class,
                () -> new LatentOdeModel(arch, 0, 0.5, TIGHT, TIGHT, GradientMethod.DIRECT_BACKPROP, adj));
        assertThrows(IllegalArgumentException.class,
                () -> new LatentOdeModel(arch, 0.1, 1.5, TIGHT, TIGHT, GradientMethod.DIRECT_BACKPROP, adj));
        LatentOdeModel m = model(LatentDynamics.ODE, GradientMethod.DIRECT_BACKPROP);
        LossGradient g = new LossGradient(3);
        assertThrows(IllegalArgumentException.class, () -> m.addLossGradient(new double[3], irregular(), 1, g));
    }
}
