package dev.odeflow.kernels.trajectory;

import dev.odeflow.kernels.testing.SingleWindow;
import dev.odeflow.kernels.testing.FiniteDifferences;
import dev.odeflow.kernels.dynamics.Activation;
import dev.odeflow.kernels.gradient.AdjointOptions;
import dev.odeflow.kernels.gradient.GradientMethod;
import dev.odeflow.kernels.model.LossGradient;
import dev.odeflow.kernels.solver.Method;
import dev.odeflow.kernels.solver.SolverConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The trajectory objective's loss, its gradient (all three methods) and its masking of irregular windows. */
class TrajectoryModelTest {

    private static final SolverConfig TIGHT = SolverConfig.adaptive(Method.DOPRI5, 1e-11, 1e-11);

    /** Three windows with different irregular times; window 2 shares t = 0.7 with window 0. */
    static Windows irregular() {
        int[] offsets = {0, 3, 7, 9};
        double[] times = {0, 0.3, 0.7, 0, 0.2, 0.55, 0.9, 0, 0.7};
        double[] values = new double[times.length * 2];
        for (int j = 0; j < values.length; j++) {
            values[j] = Math.sin(1.7 * j) * 1.3;
        }
        return new Windows(2, offsets, times, values);
    }

    static TrajectoryModel model(GradientMethod method, TrajectoryLoss loss) {
        MlpField field = new MlpField(2, new int[] {7, 5}, Activation.TANH, InputTransform.CUBE);
        return new TrajectoryModel(field, loss, TIGHT, TIGHT, method, new AdjointOptions(1e-11, 1e-11, false));
    }

    @ParameterizedTest
    @EnumSource(GradientMethod.class)
    void gradientMatchesCentralDifferencesWithMaskedIrregularTimes(GradientMethod method) {
        for (TrajectoryLoss loss : TrajectoryLoss.values()) {
            TrajectoryModel m = model(method, loss);
            double[] w = m.field().initialParameters(3);
            Windows win = irregular();
            LossGradient g = new LossGradient(w.length);
            m.addLossGradient(w, win, g);
            assertEquals(9 * 2, g.count());
            double rel = FiniteDifferences.relativeError(w, v -> {
                LossGradient a = new LossGradient(w.length);
                m.addLossGradient(v, win, a);
                return a.lossSum();
            }, g.gradient(), 1e-5, 1e-3);
            assertTrue(rel < 1e-5, method + " " + loss + ": relative gradient error " + rel);
        }
    }

    @ParameterizedTest
    @EnumSource(GradientMethod.class)
    void aMissingValueIsMaskedOutOfTheLossAndItsGradient(GradientMethod method) {
        TrajectoryModel m = model(method, TrajectoryLoss.L2);
        double[] w = m.field().initialParameters(5);
        Windows full = irregular();
        double[] values = full.values().clone();
        values[2 * 5 + 1] = Double.NaN; // window 1, its third observation's x1 (t = 0.55)
        values[2 * 8] = Double.NaN;     // window 2, its last observation's x0 (t = 0.7)
        Windows masked = new Windows(2, full.offsets(), full.times(), values);
        LossGradient g = new LossGradient(w.length);
        m.addLossGradient(w, masked, g);
        assertEquals(9 * 2 - 2, g.count());
        LossGradient all = new LossGradient(w.length);
        m.addLossGradient(w, full, all);
        // what the two masked values added: their squared errors against the windows' own trajectories
        double[][] p1 = m.predict(w, new double[] {full.values()[6], full.values()[7]}, new double[] {0, 0.55});
        double[][] p2 = m.predict(w, new double[] {full.values()[14], full.values()[15]}, new double[] {0, 0.7});
        double e1 = p1[1][1] - full.values()[11];
        double e2 = p2[1][0] - full.values()[16];
        assertEquals(all.lossSum() - e1 * e1 - e2 * e2, g.lossSum(), 1e-8);
        double rel = FiniteDifferences.relativeError(w, v -> {
            LossGradient a = new LossGradient(w.length);
            m.addLossGradient(v, masked, a);
            return a.lossSum();
        }, g.gradient(), 1e-5, 1e-3);
        assertTrue(rel < 1e-5, method + ": relative gradient error " + rel);
        LossGradient sq = new LossGradient(w.length);
        m.addSquaredError(w, masked, sq);
        assertEquals((9 - 3) * 2 - 2, sq.count());
    }

    @Test
    void aBatchLossIsTheSumOfEachWindowSolvedAlone() {
        TrajectoryModel m = model(GradientMethod.CHECKPOINTED_ADJOINT, TrajectoryLoss.L2);
        double[] w = m.field().initialParameters(11);
        Windows all = irregular();
        LossGradient batch = new LossGradient(w.length);
        m.addLossGradient(w, all, batch);
        double sum = 0;
        double[] grad = new double[w.length];
        for (int i = 0; i < all.count(); i++) {
            Windows one = SingleWindow.of(all, i);
            LossGradient lg = new LossGradient(w.length);
            m.addLossGradient(w, one, lg);
            sum += lg.lossSum();
            for (int j = 0; j < w.length; j++) {
                grad[j] += lg.gradient()[j];
            }
        }
        assertEquals(sum, batch.lossSum(), 1e-8 * sum);
        assertArrayEquals(grad, batch.gradient(), 1e-7 * Arrays.stream(grad).map(Math::abs).max().orElseThrow());
    }

    @Test
    void squaredErrorLeavesOutTheGivenFirstValues() {
        TrajectoryModel m = model(GradientMethod.BACKSOLVE_ADJOINT, TrajectoryLoss.L2);
        double[] w = m.field().initialParameters(5);
        Windows win = irregular();
        LossGradient se = new LossGradient(0);
        m.addSquaredError(w, win, se);
        assertEquals((9 - 3) * 2, se.count());
        double expected = 0;
        for (int i = 0; i < win.count(); i++) {
            int from = win.offsets()[i];
            double[] y0 = Arrays.copyOfRange(win.values(), 2 * from, 2 * from + 2);
            double[] times = Arrays.copyOfRange(win.times(), from, win.offsets()[i + 1]);
            double[][] path = m.predict(w, y0, times);
            for (int k = 1; k < times.length; k++) {
                for (int c = 0; c < 2; c++) {
                    double e = path[k][c] - win.values()[2 * (from + k) + c];
                    expected += e * e;
                }
            }
        }
        assertEquals(expected, se.lossSum(), 1e-8 * expected);
    }

    @Test
    void windowsRejectNonIncreasingTimesAndSingleObservations() {
        assertThrows(IllegalArgumentException.class,
                () -> new Windows(1, new int[] {0, 3}, new double[] {0, 0.5, 0.5}, new double[3]));
        assertThrows(IllegalArgumentException.class,
                () -> new Windows(1, new int[] {0, 1}, new double[] {0}, new double[1]));
    }

    @Test
    void aSerializedModelComputesTheSameLoss() throws Exception {
        TrajectoryModel m = model(GradientMethod.DIRECT_BACKPROP, TrajectoryLoss.L1);
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
            out.writeObject(m);
        }
        TrajectoryModel copy;
        try (java.io.ObjectInputStream in = new java.io.ObjectInputStream(
                new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
            copy = (TrajectoryModel) in.readObject();
        }
        double[] w = m.field().initialParameters(2);
        LossGradient a = new LossGradient(w.length);
        LossGradient b = new LossGradient(w.length);
        m.addLossGradient(w, irregular(), a);
        copy.addLossGradient(w, irregular(), b);
        assertEquals(a.lossSum(), b.lossSum(), 0.0);
        assertArrayEquals(a.gradient(), b.gradient(), 0.0);
    }

    @Test
    void parameterNamesArePyTorchSequentialNames() {
        MlpField f = new MlpField(2, new int[] {50}, Activation.TANH, InputTransform.CUBE);
        assertEquals(java.util.List.of("net.0.weight", "net.0.bias", "net.2.weight", "net.2.bias"),
                f.layout().names());
        assertEquals(2 * 50 + 50 + 50 * 2 + 2, f.layout().size());
    }
}
