package dev.odeflow.kernels.reference;

import dev.odeflow.kernels.backend.CnfKernel;
import dev.odeflow.kernels.backend.cpu.CpuBackend;
import dev.odeflow.kernels.trace.Divergence;
import dev.odeflow.kernels.trace.Probe;
import dev.odeflow.kernels.dynamics.Activation;
import dev.odeflow.kernels.dynamics.LayerKind;
import dev.odeflow.kernels.dynamics.NamedTensor;
import dev.odeflow.kernels.gradient.AdjointOptions;
import dev.odeflow.kernels.gradient.ForwardPass;
import dev.odeflow.kernels.gradient.GradientMethod;
import dev.odeflow.kernels.gradient.Gradients;
import dev.odeflow.kernels.gradient.Sensitivities;
import dev.odeflow.kernels.dynamics.CnfArchitecture;
import dev.odeflow.kernels.model.CnfModel;
import dev.odeflow.kernels.model.CnfSettings;
import dev.odeflow.kernels.model.CpuSettings;
import dev.odeflow.kernels.model.LossGradient;
import dev.odeflow.kernels.solver.Method;
import dev.odeflow.kernels.solver.SolverConfig;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * odeflow against an outside implementation: {@code src/test/resources/reference/cnf_reference.json}, written
 * by {@code src/test/reference/make_cnf_reference.py} (PyTorch autograd, FFJORD's layer formulas, its own
 * RK4 and torchdiffeq's dopri5 at 1e-12; see the README there). For every case and solver the same model is
 * built here through the public API on the CPU backend and compared:
 *
 * <ul>
 *   <li>the mean NLL from {@link CnfModel#addLossGradient}: relative error ≤ 1e-9;</li>
 *   <li>the per-point log-densities from {@link CnfModel#logLikelihood} (evaluation solver = the same solver):
 *       relative error ≤ 1e-9;</li>
 *   <li>every entry of the gradient of the mean NLL with respect to every tensor and {@code sqrt_end_time}
 *       (from {@code addLossGradient}), dL/dT and dL/dz0 (from {@link Gradients#forward} on the model's
 *       backend kernel, with the same loss): {@link Tolerance#entryError per-entry relative error} ≤ 1e-6.</li>
 * </ul>
 *
 * Gradient modes: with fixed-step RK4 the reference is the exact gradient of the discrete map, which direct
 * backprop and the checkpointed adjoint compute too; the backsolve adjoint is not (it differentiates the
 * continuous problem, O(h⁴) away) and is compared only with dopri5, at tight tolerances (1e-12, with and
 * without the seminorm), where all of them and the reference approximate the continuous gradient.
 */
class ReferenceFixtureTest {

    static final String FIXTURE = "/reference/cnf_reference.json";
    static final Path SCRIPT = Path.of("src", "test", "reference", "make_cnf_reference.py");
    /** Tolerances of odeflow's dopri5 (forward and the backsolve adjoint's reverse solve) against the fixture's. */
    static final double DOPRI5_TOL = 1e-12;

    @Test
    void fixtureWasWrittenByTheCommittedScript() throws IOException {
        Map<String, Object> prov = obj(load().get("provenance"));
        assertEquals(sha256(Files.readAllBytes(SCRIPT)), prov.get("script_sha256"),
                "the fixture's script_sha256 does not match " + SCRIPT + ": rerun the script and commit both");
        assertEquals("executor-kernels/" + SCRIPT.toString().replace('\\', '/'), prov.get("script"));
    }

    @TestFactory
    List<DynamicTest> odeflowMatchesTheReference() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (Object co : list(load().get("cases"))) {
            Map<String, Object> c = obj(co);
            for (Object ro : list(c.get("results"))) {
                Map<String, Object> r = obj(ro);
                String method = (String) obj(r.get("solver")).get("method");
                List<Mode> modes = method.equals("rk4")
                        ? List.of(new Mode(GradientMethod.DIRECT_BACKPROP, false),
                                new Mode(GradientMethod.CHECKPOINTED_ADJOINT, false))
                        : List.of(new Mode(GradientMethod.DIRECT_BACKPROP, false),
                                new Mode(GradientMethod.CHECKPOINTED_ADJOINT, false),
                                new Mode(GradientMethod.BACKSOLVE_ADJOINT, false),
                                new Mode(GradientMethod.BACKSOLVE_ADJOINT, true));
                for (Mode mode : modes) {
                    tests.add(DynamicTest.dynamicTest(c.get("name") + " " + method + " " + mode,
                            () -> compare(c, r, mode)));
                }
            }
        }
        assertTrue(tests.size() >= 10, "fixture has too few cases");
        return tests;
    }

    /** A gradient method, and for the backsolve adjoint whether its reverse solve uses the seminorm. */
    record Mode(GradientMethod method, boolean seminorm) {
        @Override
        public String toString() {
            return method.label() + (seminorm ? "+seminorm" : "");
        }
    }

    private static void compare(Map<String, Object> c, Map<String, Object> r, Mode mode) {
        GradientMethod g = mode.method();
        SolverConfig cfg = solver(obj(r.get("solver")));
        CnfSettings settings = CpuSettings.ffjordToy().withTrain(cfg).withEval(cfg).withGradient(g)
                .withAdjoint(new AdjointOptions(DOPRI5_TOL, DOPRI5_TOL, mode.seminorm()))
                .withDivergence(Divergence.EXACT).withTrainEndTime(true);
        CnfModel m = new CnfModel(architecture(c), settings);
        assertInstanceOf(CpuBackend.class, m.backend(), "double-precision numerics are compared here");
        double[] w = weights(c, m);
        int n = (int) num(c.get("n"));
        int d = m.dim();
        double[] x = doubles(c.get("x"));
        Tolerance tol = new Tolerance(c.get("name") + " " + obj(r.get("solver")).get("method") + " " + mode);

        LossGradient acc = new LossGradient(w.length);
        m.addLossGradient(w, x, n, 0, acc);
        tol.value("loss", acc.meanLoss(), num(r.get("loss")));
        tol.values("log_density", m.logLikelihood(w, x, n), doubles(r.get("log_density")));
        Map<String, Object> grads = obj(r.get("gradients"));
        for (NamedTensor t : m.layout().tensors()) {
            double[] mine = new double[t.size()];
            for (int k = 0; k < mine.length; k++) {
                mine[k] = acc.gradient()[t.offset() + k] / n;
            }
            tol.gradient(t.name(), mine, doubles(grads.get(t.name())));
        }

        // dL/dz0 and dL/dT: the same loss through the kernel and the gradient API the model uses.
        double[] theta = java.util.Arrays.copyOf(w, w.length - 1);
        double endTime = m.endTime(w);
        try (CnfKernel kernel = m.backend().cnfKernel(m.architecture(), theta, n, Probe.exact(d))) {
            double[] y0 = java.util.Arrays.copyOf(x, n * d + n);
            ForwardPass fp = Gradients.forward(kernel, y0, new double[] {0, endTime}, cfg, g, settings.adjoint());
            double[] yT = fp.solution().last();
            double[] dLdyT = new double[yT.length];
            for (int i = 0; i < n * d; i++) {
                dLdyT[i] = yT[i] / n;
            }
            for (int i = 0; i < n; i++) {
                dLdyT[n * d + i] = 1.0 / n;
            }
            Sensitivities sens = fp.backward(new double[][] {null, dLdyT});
            tol.gradient("z0", java.util.Arrays.copyOf(sens.y0(), n * d), doubles(r.get("grad_x")));
            tol.gradient("T", new double[] {sens.times()[1]}, new double[] {num(r.get("grad_end_time"))});
        }
        System.out.println(tol.summary());
        tol.assertPassed();
    }

    // ------------------------------------------------------------------------------------------ fixture -> model

    static SolverConfig solver(Map<String, Object> s) {
        String method = (String) s.get("method");
        if (method.equals("rk4")) {
            return SolverConfig.fixedSteps(Method.RK4, (int) num(s.get("steps")));
        }
        assertEquals("dopri5", method);
        assertTrue(num(s.get("rtol")) <= 1e-12 && num(s.get("atol")) <= 1e-12, "the reference must be tight");
        return SolverConfig.adaptive(Method.DOPRI5, DOPRI5_TOL, DOPRI5_TOL);
    }

    static CnfArchitecture architecture(Map<String, Object> c) {
        List<Object> h = list(c.get("hidden"));
        int[] hidden = new int[h.size()];
        for (int i = 0; i < hidden.length; i++) {
            hidden[i] = (int) num(h.get(i));
        }
        assertEquals("exact", c.get("divergence"));
        return new CnfArchitecture((int) num(c.get("dim")), hidden, LayerKind.parse((String) c.get("layer")),
                Activation.parse((String) c.get("activation")));
    }

    /** The flat w in the model's layout; the fixture's tensors must have the same names, shapes and order. */
    static double[] weights(Map<String, Object> c, CnfModel m) {
        List<NamedTensor> layout = m.layout().tensors();
        List<Object> tensors = list(c.get("tensors"));
        assertEquals(layout.size(), tensors.size(), "tensor count");
        double[] w = new double[m.parameterCount()];
        for (int k = 0; k < layout.size(); k++) {
            NamedTensor t = layout.get(k);
            Map<String, Object> f = obj(tensors.get(k));
            assertEquals(t.name(), f.get("name"), "tensor " + k);
            List<Object> shape = list(f.get("shape"));
            int[] s = new int[shape.size()];
            for (int i = 0; i < s.length; i++) {
                s[i] = (int) num(shape.get(i));
            }
            assertArrayEquals(t.shape(), s, t.name());
            double[] v = doubles(f.get("values"));
            assertEquals(t.size(), v.length, t.name());
            System.arraycopy(v, 0, w, t.offset(), v.length);
        }
        assertEquals(num(c.get("end_time")), m.endTime(w), 1e-15 * num(c.get("end_time")));
        return w;
    }

    // ------------------------------------------------------------------------------------------ JSON helpers

    static Map<String, Object> load() throws IOException {
        try (InputStream in = ReferenceFixtureTest.class.getResourceAsStream(FIXTURE)) {
            assertTrue(in != null, FIXTURE + " is not on the test class path");
            return obj(MiniJson.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> obj(Object o) {
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object o) {
        return (List<Object>) o;
    }

    static double num(Object o) {
        return (Double) o;
    }

    static double[] doubles(Object o) {
        List<Object> l = list(o);
        double[] a = new double[l.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = num(l.get(i));
        }
        return a;
    }

    /**
     * The comparison rules, collecting every violation (not just the first) and the largest errors.
     *
     * <p>Values (loss, log-densities): |a − r| ≤ 1e-9·|r|.
     *
     * <p>Gradients, per entry of each group (one tensor, dL/dT, or dL/dz0): err = |a − r| / max(|r|, 1e-4·G)
     * with G = max_k |r_k| over the group, and err ≤ 1e-6. So every entry at least 1e-4 of its group's largest
     * is held to 1e-6 of itself; an entry smaller than that (essentially zero next to its group, where neither
     * solver's tolerance resolves relative digits) is held to 1e-10·G absolute.
     */
    static final class Tolerance {
        static final double VALUE_REL = 1e-9;
        static final double GRAD_REL = 1e-6;
        static final double ZERO_FLOOR = 1e-4;

        private final String label;
        private final List<String> failures = new ArrayList<>();
        private double worstValue;
        private double worstGrad;
        private String worstGradAt = "";
        private int floored;

        Tolerance(String label) {
            this.label = label;
        }

        static double entryError(double a, double r, double groupMax) {
            return Math.abs(a - r) / Math.max(Math.abs(r), ZERO_FLOOR * groupMax);
        }

        void value(String what, double a, double r) {
            double e = Math.abs(a - r) / Math.abs(r);
            worstValue = Math.max(worstValue, e);
            if (!(e <= VALUE_REL)) {
                failures.add(String.format(Locale.ROOT, "%s: odeflow %.17g, reference %.17g, rel. error %.3g > %.0e",
                        what, a, r, e, VALUE_REL));
            }
        }

        void values(String what, double[] a, double[] r) {
            assertEquals(r.length, a.length, what);
            for (int i = 0; i < r.length; i++) {
                value(what + "[" + i + "]", a[i], r[i]);
            }
        }

        void gradient(String what, double[] a, double[] r) {
            assertEquals(r.length, a.length, what);
            double g = 0;
            for (double v : r) {
                g = Math.max(g, Math.abs(v));
            }
            for (int i = 0; i < r.length; i++) {
                if (Math.abs(r[i]) < ZERO_FLOOR * g) {
                    floored++;
                }
                double e = entryError(a[i], r[i], g);
                if (e > worstGrad || Double.isNaN(e)) {
                    worstGrad = e;
                    worstGradAt = what + "[" + i + "]";
                }
                if (!(e <= GRAD_REL)) {
                    failures.add(String.format(Locale.ROOT,
                            "d loss/d %s[%d]: odeflow %.17g, reference %.17g, error %.3g > %.0e", what, i, a[i], r[i],
                            e, GRAD_REL));
                }
            }
        }

        String summary() {
            return String.format(Locale.ROOT, "reference %-58s max value rel %.2e, max gradient err %.2e at %s"
                    + " (%d entries on the floor)", label, worstValue, worstGrad, worstGradAt, floored);
        }

        void assertPassed() {
            assertTrue(failures.isEmpty(), () -> label + ": " + failures.size() + " mismatches\n  "
                    + String.join("\n  ", failures.subList(0, Math.min(20, failures.size()))));
        }
    }
}
