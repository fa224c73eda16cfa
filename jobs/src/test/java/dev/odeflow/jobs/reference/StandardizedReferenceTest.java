package dev.odeflow.jobs.reference;

import dev.odeflow.jobs.model.TestModels;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.odeflow.driver.data.Standardization;
import dev.odeflow.jobs.cli.GradCommand;
import dev.odeflow.jobs.model.ModelDirectory;
import dev.odeflow.jobs.model.SavedFlow;
import dev.odeflow.jobs.model.TensorDtype;
import dev.odeflow.kernels.backend.BackendKind;
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
import dev.odeflow.kernels.solver.Method;
import dev.odeflow.kernels.solver.SolverConfig;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The data-space half of the outside reference (see executor-kernels' {@code ReferenceFixtureTest} and
 * {@code executor-kernels/src/test/reference/README.md}): {@code reference/cnf_reference_standardized.json}
 * holds a flow under the standardization x' = (x − mean)/std with non-identity std, its data-space
 * log-densities log p(x) = log p'(x') − Σ log std, the mean data-space NLL and its gradients, written by the
 * same PyTorch script. The flow is written to a model directory (F64) and read back, then compared through the
 * product's data-space entry points: {@link SavedFlow#logLikelihood}, {@link GradCommand#compute} (loss and
 * gradient of {@code odeflow grad}). Rules as in the kernels' test: values 1e-9 relative; gradient entries
 * |a − r| / max(|r|, 1e-4·G) ≤ 1e-6 with G the largest |r| of the entry's group. The gradient with respect to
 * the data-space x has no jobs API: it is dL/dz0 from the kernels' gradient API times ∂x'/∂x = 1/std.
 */
class StandardizedReferenceTest {

    static final String FIXTURE = "/reference/cnf_reference_standardized.json";
    static final Path SCRIPT = Path.of("..", "executor-kernels", "src", "test", "reference", "make_cnf_reference.py");
    static final double DOPRI5_TOL = 1e-12;
    static final double VALUE_REL = 1e-9;
    static final double GRAD_REL = 1e-6;
    static final double ZERO_FLOOR = 1e-4;

    @TempDir
    Path tmp;

    static JsonNode load() throws IOException {
        try (InputStream in = StandardizedReferenceTest.class.getResourceAsStream(FIXTURE)) {
            assertTrue(in != null, FIXTURE + " is not on the test class path");
            return new ObjectMapper().readTree(in);
        }
    }

    @Test
    void fixtureWasWrittenByTheCommittedScript() throws IOException, NoSuchAlgorithmException {
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(SCRIPT)));
        assertEquals(sha, load().path("provenance").path("script_sha256").asText(),
                "the fixture's script_sha256 does not match " + SCRIPT + ": rerun the script and commit its output");
    }

    @TestFactory
    List<DynamicTest> dataSpaceValuesMatchTheReference() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode c : load().path("cases")) {
            assertTrue(c.has("standardization"), c.path("name").asText());
            for (JsonNode r : c.path("results")) {
                String method = r.path("solver").path("method").asText();
                List<GradientMethod> modes = method.equals("rk4")
                        ? List.of(GradientMethod.DIRECT_BACKPROP, GradientMethod.CHECKPOINTED_ADJOINT)
                        : List.of(GradientMethod.DIRECT_BACKPROP, GradientMethod.CHECKPOINTED_ADJOINT,
                                GradientMethod.BACKSOLVE_ADJOINT);
                for (GradientMethod g : modes) {
                    tests.add(DynamicTest.dynamicTest(c.path("name").asText() + " " + method + " " + g.label(),
                            () -> compare(c, r, g)));
                }
            }
        }
        assertTrue(tests.size() >= 5);
        return tests;
    }

    private void compare(JsonNode c, JsonNode r, GradientMethod g) throws IOException {
        JsonNode sv = r.path("solver");
        SolverConfig cfg;
        if (sv.path("method").asText().equals("rk4")) {
            cfg = SolverConfig.fixedSteps(Method.RK4, sv.path("steps").asInt());
        } else {
            assertEquals("dopri5", sv.path("method").asText());
            assertTrue(sv.path("rtol").asDouble() <= 1e-12 && sv.path("atol").asDouble() <= 1e-12);
            cfg = SolverConfig.adaptive(Method.DOPRI5, DOPRI5_TOL, DOPRI5_TOL);
        }
        CnfSettings settings = new CnfSettings(cfg, cfg, g, new AdjointOptions(DOPRI5_TOL, DOPRI5_TOL, false),
                Divergence.EXACT, true, BackendKind.CPU);
        int[] hidden = ints(c.path("hidden"));
        CnfModel model = new CnfModel(new CnfArchitecture(c.path("dim").asInt(), hidden,
                LayerKind.parse(c.path("layer").asText()), Activation.parse(c.path("activation").asText())), settings);
        double[] w = new double[model.parameterCount()];
        List<NamedTensor> layout = model.layout().tensors();
        assertEquals(layout.size(), c.path("tensors").size());
        for (int k = 0; k < layout.size(); k++) {
            NamedTensor t = layout.get(k);
            JsonNode f = c.path("tensors").get(k);
            assertEquals(t.name(), f.path("name").asText());
            assertArrayEquals(t.shape(), ints(f.path("shape")), t.name());
            double[] v = doubles(f.path("values"));
            assertEquals(t.size(), v.length);
            System.arraycopy(v, 0, w, t.offset(), v.length);
        }
        double[] mean = doubles(c.path("standardization").path("mean"));
        double[] std = doubles(c.path("standardization").path("std"));
        SavedFlow written = new SavedFlow(model, w, new Standardization(mean, std),
                SavedFlow.defaultColumns(model.dim()));
        Path dir = tmp.resolve(g.label() + "-" + sv.path("method").asText());
        TestModels.write(dir, written, TensorDtype.F64);
        SavedFlow flow = TestModels.read(dir);
        assertArrayEquals(w, flow.weights(), 0, "F64 weights round-trip exactly");
        assertInstanceOf(CpuBackend.class, flow.model().backend());

        int n = c.path("n").asInt();
        int d = flow.dim();
        double[] x = doubles(c.path("x"));
        List<String> failures = new ArrayList<>();
        double[] worst = new double[2];

        GradCommand.Report rep = GradCommand.compute(flow, x, n, 0);
        value("loss", rep.loss(), r.path("loss").asDouble(), failures, worst);
        double[] ll = flow.logLikelihood(x, n);
        double[] llRef = doubles(r.path("log_density"));
        for (int i = 0; i < n; i++) {
            value("log_density[" + i + "]", ll[i], llRef[i], failures, worst);
        }
        for (NamedTensor t : flow.model().layout().tensors()) {
            gradient(t.name(), Arrays.copyOfRange(rep.gradient(), t.offset(), t.offset() + t.size()),
                    doubles(r.path("gradients").path(t.name())), failures, worst);
        }

        double[] theta = Arrays.copyOf(w, w.length - 1);
        double[] z0 = flow.scaling().apply(x);
        try (CnfKernel kernel = flow.model().backend().cnfKernel(flow.model().architecture(), theta, n,
                Probe.exact(d))) {
            ForwardPass fp = Gradients.forward(kernel, Arrays.copyOf(z0, n * d + n),
                    new double[] {0, flow.endTime()}, cfg, g, settings.adjoint());
            double[] yT = fp.solution().last();
            double[] dLdyT = new double[yT.length];
            for (int i = 0; i < n * d; i++) {
                dLdyT[i] = yT[i] / n;
            }
            for (int i = 0; i < n; i++) {
                dLdyT[n * d + i] = 1.0 / n;
            }
            Sensitivities sens = fp.backward(new double[][] {null, dLdyT});
            double[] gx = new double[n * d];
            for (int i = 0; i < gx.length; i++) {
                gx[i] = sens.y0()[i] / std[i % d];
            }
            gradient("x", gx, doubles(r.path("grad_x")), failures, worst);
            gradient("T", new double[] {sens.times()[1]}, new double[] {r.path("grad_end_time").asDouble()},
                    failures, worst);
        }
        System.out.printf(Locale.ROOT, "reference %s %s %s (data space): max value rel %.2e, max gradient err %.2e%n",
                c.path("name").asText(), sv.path("method").asText(), g.label(), worst[0], worst[1]);
        assertTrue(failures.isEmpty(), () -> failures.size() + " mismatches\n  "
                + String.join("\n  ", failures.subList(0, Math.min(20, failures.size()))));
    }

    private static void value(String what, double a, double r, List<String> failures, double[] worst) {
        double e = Math.abs(a - r) / Math.abs(r);
        worst[0] = Math.max(worst[0], e);
        if (!(e <= VALUE_REL)) {
            failures.add(String.format(Locale.ROOT, "%s: odeflow %.17g, reference %.17g, rel. error %.3g", what, a,
                    r, e));
        }
    }

    private static void gradient(String what, double[] a, double[] r, List<String> failures, double[] worst) {
        assertEquals(r.length, a.length, what);
        double gmax = 0;
        for (double v : r) {
            gmax = Math.max(gmax, Math.abs(v));
        }
        for (int i = 0; i < r.length; i++) {
            double e = Math.abs(a[i] - r[i]) / Math.max(Math.abs(r[i]), ZERO_FLOOR * gmax);
            worst[1] = Math.max(worst[1], e);
            if (!(e <= GRAD_REL)) {
                failures.add(String.format(Locale.ROOT, "d loss/d %s[%d]: odeflow %.17g, reference %.17g, error %.3g",
                        what, i, a[i], r[i], e));
            }
        }
    }

    private static double[] doubles(JsonNode a) {
        double[] v = new double[a.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = a.get(i).asDouble();
        }
        return v;
    }

    private static int[] ints(JsonNode a) {
        int[] v = new int[a.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = a.get(i).asInt();
        }
        return v;
    }
}
