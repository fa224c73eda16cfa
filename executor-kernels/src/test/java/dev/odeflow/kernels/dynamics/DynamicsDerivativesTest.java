package dev.odeflow.kernels.dynamics;

import dev.odeflow.kernels.trace.Divergence;
import dev.odeflow.kernels.trace.Probe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** VJPs, JVPs, the exact trace and its gradient for every layer type and activation, against finite differences. */
class DynamicsDerivativesTest {

    private static final int N = 4;
    private static final double T = 0.37;
    private static final double EPS = 1e-6;

    static Stream<Arguments> networks() {
        Stream.Builder<Arguments> b = Stream.builder();
        for (LayerKind k : LayerKind.values()) {
            for (Activation a : Activation.values()) {
                b.add(Arguments.of(new OdeNet(new int[] {3, 5, 4, 3}, k, a)));
            }
        }
        b.add(Arguments.of(new PlanarFlow(3, 4)));
        return b.build();
    }

    /** Scalar objective gFᵀf + gSᵀs evaluated by a fresh forward pass. */
    private static double objective(BatchDynamics dyn, double t, double[] theta, double[] z, Probe probe,
                                    double[] gF, double[] gS) {
        double[] f = new double[N * dyn.dim()];
        double[] s = new double[N];
        dyn.newPass(N).forward(t, theta, z, N, probe, f, probe.count() > 0 ? s : null, null);
        double v = 0;
        for (int i = 0; i < f.length; i++) {
            v += gF[i] * f[i];
        }
        if (gS != null) {
            for (int i = 0; i < N; i++) {
                v += gS[i] * s[i];
            }
        }
        return v;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("networks")
    void vjpIncludingTraceTermsMatchesFiniteDifferences(BatchDynamics dyn) {
        for (boolean withTrace : new boolean[] {false, true}) {
            Random rng = new Random(5);
            int d = dyn.dim();
            double[] theta = dyn.initialParameters(rng);
            double[] z = gaussian(rng, N * d);
            double[] gF = gaussian(rng, N * d);
            double[] gS = withTrace ? gaussian(rng, N) : null;
            Probe probe = withTrace ? Probe.exact(d) : Probe.none();
            BatchDynamics.Pass pass = dyn.newPass(N);
            pass.forward(T, theta, z, N, probe, new double[N * d], withTrace ? new double[N] : null, null);
            double[] gz = new double[N * d];
            double[] gTheta = new double[theta.length];
            double gt = pass.backward(gF, gS, null, null, gz, gTheta);
            String tag = dyn + (withTrace ? " with trace" : "");
            for (int i = 0; i < z.length; i++) {
                double[] p = z.clone();
                double[] m = z.clone();
                p[i] += EPS;
                m[i] -= EPS;
                double fd = (objective(dyn, T, theta, p, probe, gF, gS) - objective(dyn, T, theta, m, probe, gF, gS))
                        / (2 * EPS);
                assertEquals(fd, gz[i], 1e-7 * (1 + Math.abs(fd)), tag + " dz[" + i + "]");
            }
            for (int i = 0; i < theta.length; i++) {
                double[] p = theta.clone();
                double[] m = theta.clone();
                p[i] += EPS;
                m[i] -= EPS;
                double fd = (objective(dyn, T, p, z, probe, gF, gS) - objective(dyn, T, m, z, probe, gF, gS)) / (2 * EPS);
                assertEquals(fd, gTheta[i], 1e-7 * (1 + Math.abs(fd)), tag + " dθ[" + dyn.layout().tensors()
                        .stream().filter(x -> x.offset() <= 0).count() + "," + i + "]");
            }
            double fdT = (objective(dyn, T + EPS, theta, z, probe, gF, gS) - objective(dyn, T - EPS, theta, z, probe, gF, gS))
                    / (2 * EPS);
            assertEquals(fdT, gt, 1e-7 * (1 + Math.abs(fdT)), tag + " dt");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("networks")
    void jvpAndExactTraceMatchBruteForceJacobian(BatchDynamics dyn) {
        Random rng = new Random(9);
        int d = dyn.dim();
        double[] theta = dyn.initialParameters(rng);
        double[] z = gaussian(rng, N * d);
        double[][][] jac = bruteForceJacobian(dyn, theta, z);
        double[] dz = gaussian(rng, N * d);
        double[] jv = new double[N * d];
        dyn.newPass(N).jvp(T, theta, z, N, dz, jv);
        double[] trace = new double[N];
        dyn.newPass(N).forward(T, theta, z, N, Probe.exact(d), new double[N * d], trace, null);
        for (int i = 0; i < N; i++) {
            double tr = 0;
            for (int r = 0; r < d; r++) {
                double expected = 0;
                for (int c = 0; c < d; c++) {
                    expected += jac[i][r][c] * dz[i * d + c];
                }
                assertEquals(expected, jv[i * d + r], 1e-7, dyn + " jvp sample " + i + " row " + r);
                tr += jac[i][r][r];
            }
            assertEquals(tr, trace[i], 1e-7, dyn + " exact trace of sample " + i);
        }
    }

    @ParameterizedTest
    @EnumSource(value = Divergence.class, names = {"RADEMACHER", "GAUSSIAN"})
    void hutchinsonMeanIsWithinThreeStandardErrorsOfTheExactTrace(Divergence kind) {
        OdeNet net = new OdeNet(new int[] {3, 16, 3}, LayerKind.CONCATSQUASH, Activation.SOFTPLUS);
        Random rng = new Random(21);
        double[] theta = net.initialParameters(rng);
        double[] z = gaussian(rng, N * 3);
        double[] exact = new double[N];
        BatchDynamics.Pass pass = net.newPass(N);
        pass.forward(T, theta, z, N, Probe.exact(3), new double[N * 3], exact, null);
        int probes = 4000;
        double[] sum = new double[N];
        double[] sumSq = new double[N];
        double[] est = new double[N];
        for (int k = 0; k < probes; k++) {
            pass.forward(T, theta, z, N, Probe.noise(kind, N, 3, 1000L + k), new double[N * 3], est, null);
            for (int i = 0; i < N; i++) {
                sum[i] += est[i];
                sumSq[i] += est[i] * est[i];
            }
        }
        for (int i = 0; i < N; i++) {
            double mean = sum[i] / probes;
            double var = sumSq[i] / probes - mean * mean;
            double se = Math.sqrt(var / probes);
            assertTrue(se > 0, "estimator should be random");
            assertTrue(Math.abs(mean - exact[i]) <= 3 * se, kind + " sample " + i + ": mean " + mean + " vs exact "
                    + exact[i] + " (3 SE = " + 3 * se + ")");
        }
    }

    @Test
    void planarClosedFormTraceEqualsExactTraceOfItsJacobian() {
        PlanarFlow planar = new PlanarFlow(4, 6);
        Random rng = new Random(2);
        double[] theta = planar.initialParameters(rng);
        double[] z = gaussian(rng, N * 4);
        double[] closed = new double[N];
        planar.newPass(N).forward(T, theta, z, N, Probe.exact(4), new double[N * 4], closed, null);
        double[] jvpTrace = new double[N];
        double[] e = new double[N * 4];
        double[] out = new double[N * 4];
        for (int c = 0; c < 4; c++) {
            java.util.Arrays.fill(e, 0);
            for (int i = 0; i < N; i++) {
                e[i * 4 + c] = 1;
            }
            planar.newPass(N).jvp(T, theta, z, N, e, out);
            for (int i = 0; i < N; i++) {
                jvpTrace[i] += out[i * 4 + c];
            }
        }
        double[][][] jac = bruteForceJacobian(planar, theta, z);
        for (int i = 0; i < N; i++) {
            double tr = 0;
            for (int c = 0; c < 4; c++) {
                tr += jac[i][c][c];
            }
            assertEquals(jvpTrace[i], closed[i], 1e-12, "closed form vs exact trace from JVPs, sample " + i);
            assertEquals(tr, closed[i], 1e-7, "closed form vs brute-force Jacobian, sample " + i);
        }
    }

    private static double[][][] bruteForceJacobian(BatchDynamics dyn, double[] theta, double[] z) {
        int d = dyn.dim();
        double[][][] jac = new double[N][d][d];
        double[] fp = new double[N * d];
        double[] fm = new double[N * d];
        for (int c = 0; c < d; c++) {
            double[] p = z.clone();
            double[] m = z.clone();
            for (int i = 0; i < N; i++) {
                p[i * d + c] += EPS;
                m[i * d + c] -= EPS;
            }
            dyn.newPass(N).forward(T, theta, p, N, Probe.none(), fp, null, null);
            dyn.newPass(N).forward(T, theta, m, N, Probe.none(), fm, null, null);
            for (int i = 0; i < N; i++) {
                for (int r = 0; r < d; r++) {
                    jac[i][r][c] = (fp[i * d + r] - fm[i * d + r]) / (2 * EPS);
                }
            }
        }
        return jac;
    }

    static double[] gaussian(Random rng, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = rng.nextGaussian();
        }
        return v;
    }
}
