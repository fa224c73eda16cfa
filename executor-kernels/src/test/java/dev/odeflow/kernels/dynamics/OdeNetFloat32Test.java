package dev.odeflow.kernels.dynamics;

import dev.odeflow.kernels.trace.Divergence;
import dev.odeflow.kernels.trace.Probe;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A {@link Precision#FLOAT32} network against its {@link Precision#FLOAT64} twin (checked against finite
 * differences in {@link DynamicsDerivativesTest}): f, the trace, every VJP and the JVP agree to float
 * accuracy, on shapes with odd widths (vector tails), every layer type, activation and trace kind.
 */
class OdeNetFloat32Test {

    private static final double T = 0.37;
    /** Largest deviation allowed, relative to the largest entry of the double result. */
    private static final double TOL = 1e-5;

    static Stream<Arguments> networks() {
        Stream.Builder<Arguments> b = Stream.builder();
        int[][] shapes = {{3, 5, 4, 3}, {2, 64, 64, 64, 2}, {5, 67, 33, 5}, {16, 160, 160, 16}};
        for (int[] w : shapes) {
            for (LayerKind k : LayerKind.values()) {
                for (Activation a : Activation.values()) {
                    for (Divergence div : new Divergence[] {Divergence.EXACT, Divergence.GAUSSIAN}) {
                        b.add(Arguments.of(w, k, a, div));
                    }
                }
            }
        }
        return b.build();
    }

    @ParameterizedTest(name = "{0} {1} {2} {3}")
    @MethodSource("networks")
    void forwardBackwardAndJvpAgreeWithDoublePrecision(int[] widths, LayerKind kind, Activation act, Divergence div) {
        OdeNet f64 = new OdeNet(widths, kind, act);
        OdeNet f32 = new OdeNet(widths, kind, act, Precision.FLOAT32);
        int n = 9;
        int d = widths[0];
        Random rng = new Random(widths.length * 31L + kind.ordinal() * 7 + act.ordinal());
        double[] theta = f64.initialParameters(rng);
        double[] z = gaussian(rng, n * d);
        double[] gF = gaussian(rng, n * d);
        double[] gS = gaussian(rng, n);
        double[] dz = gaussian(rng, n * d);
        Probe probe = Probe.noise(div, n, d, 17);
        Result want = evaluate(f64, theta, z, n, probe, gF, gS, dz);
        Result got = evaluate(f32, theta, z, n, probe, gF, gS, dz);
        String at = f32 + " " + div;
        assertClose(at + " f", want.f, got.f);
        assertClose(at + " trace", want.trace, got.trace);
        assertClose(at + " ∂/∂z", want.gz, got.gz);
        assertClose(at + " ∂/∂θ", want.gTheta, got.gTheta);
        assertEquals(want.gt, got.gt, TOL * Math.max(1, Math.abs(want.gt)), at + " ∂/∂t");
        assertClose(at + " jvp", want.jvp, got.jvp);
        assertTrue(maxDiff(want.gTheta, got.gTheta) > 0, at + ": the float32 pass must compute in float");
    }

    private record Result(double[] f, double[] trace, double[] gz, double[] gTheta, double gt, double[] jvp) {
    }

    private static Result evaluate(OdeNet net, double[] theta, double[] z, int n, Probe probe, double[] gF,
                                   double[] gS, double[] dz) {
        int d = net.dim();
        BatchDynamics.Pass pass = net.newPass(n);
        double[] f = new double[n * d];
        double[] trace = new double[n];
        pass.forward(T, theta, z, n, probe, f, trace, null);
        double[] gz = new double[n * d];
        double[] gTheta = new double[theta.length];
        double gt = pass.backward(gF, gS, null, null, gz, gTheta);
        double[] jvp = new double[n * d];
        pass.jvp(T, theta, z, n, dz, jvp);
        return new Result(f, trace, gz, gTheta, gt, jvp);
    }

    private static void assertClose(String what, double[] want, double[] got) {
        double scale = 0;
        for (double v : want) {
            scale = Math.max(scale, Math.abs(v));
        }
        double err = maxDiff(want, got);
        assertTrue(scale > 0, what + ": the reference is all zeros");
        assertTrue(err <= TOL * scale, what + ": max deviation " + err + " against largest entry " + scale);
    }

    private static double maxDiff(double[] a, double[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }

    private static double[] gaussian(Random rng, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = rng.nextGaussian();
        }
        return v;
    }
}
