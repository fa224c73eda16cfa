package dev.odeflow.jobs.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.odeflow.driver.data.IdxImages;
import dev.odeflow.driver.output.OutputStore;
import dev.odeflow.jobs.OdeflowCliTest;
import dev.odeflow.jobs.SyntheticMnist;
import dev.odeflow.jobs.model.ClassifierModelJson;
import dev.odeflow.jobs.model.ModelDirectory;
import dev.odeflow.jobs.model.SavedClassifier;
import dev.odeflow.jobs.model.TensorDtype;
import dev.odeflow.kernels.classifier.ClassifierArchitecture;
import dev.odeflow.kernels.classifier.ClassifierBlock;
import dev.odeflow.kernels.classifier.ClassifierModel;
import dev.odeflow.kernels.classifier.GradientStep;
import dev.odeflow.kernels.classifier.ImageBatch;
import dev.odeflow.kernels.dynamics.NamedTensor;
import dev.odeflow.kernels.dynamics.Precision;
import dev.odeflow.kernels.gradient.AdjointOptions;
import dev.odeflow.kernels.gradient.GradientMethod;
import dev.odeflow.kernels.nn.MapShape;
import dev.odeflow.kernels.solver.Method;
import dev.odeflow.kernels.solver.SolverConfig;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code odeflow grad} on an image classifier's directory: the loss and every tensor's gradient are the model's own
 * (double products, the first --limit training images, the training solver or its overrides), so the JSON is what
 * an independent implementation checks against (benchmarks/torch_classifier_parity.py); flow-only options and
 * unlabelled input are refused by name.
 */
class ClassifierGradientTest {

    private static final int SIDE = 12;

    @TempDir
    static Path tmp;
    static Path mnist;
    static Path model;
    static SavedClassifier saved;

    @BeforeAll
    static void writeModel() throws Exception {
        mnist = SyntheticMnist.directory(tmp.resolve("mnist"), 40, 10, SIDE, 5);
        SolverConfig rk4 = SolverConfig.fixedSteps(Method.RK4, 2);
        ClassifierModel m = new ClassifierModel(new ClassifierArchitecture(ClassifierBlock.ODE,
                new MapShape(SIDE, SIDE, 1), 10, 4, 8, 1.0, Precision.FLOAT32), rk4, rk4,
                GradientMethod.BACKSOLVE_ADJOINT, AdjointOptions.like(1e-3, 1e-3));
        saved = new SavedClassifier(m, m.initialParameters(3), "label", "pixels");
        ModelDirectory.write(OutputStore.local(tmp), "model", ClassifierModelJson.encode(saved, TensorDtype.F64));
        model = tmp.resolve("model");
    }

    @AfterAll
    static void stopSpark() {
        SparkSession.getActiveSession().foreach(s -> {
            s.stop();
            return null;
        });
    }

    /** The gradient the model computes itself on the first n training images, with double products. */
    private static GradientStep expected(int n, GradientMethod method, int steps) {
        IdxImages images = SyntheticMnist.draw(40, SIDE, 5);
        int[] rows = new int[n];
        java.util.Arrays.setAll(rows, i -> i);
        SolverConfig rk4 = SolverConfig.fixedSteps(Method.RK4, steps);
        ClassifierModel m = new ClassifierModel(saved.model().arch().withPrecision(Precision.FLOAT64), rk4, rk4,
                method, saved.model().adjoint());
        return m.gradientStep(saved.weights(), ImageBatch.ofBytes(images.shape(), images.pixels(), images.labels(),
                rows));
    }

    private static void assertReport(JsonNode r, GradientStep want, int n) {
        assertEquals(n, r.get("images").asInt());
        assertEquals(want.lossSum() / n, r.get("loss").asDouble(), 0.0);
        for (NamedTensor t : saved.model().layout().tensors()) {
            JsonNode g = r.get("gradients").get(t.name());
            JsonNode first = g;
            while (first.isArray()) {
                first = first.get(0);
            }
            assertEquals(want.gradient()[t.offset()] / n, first.asDouble(), 0.0, t.name());
        }
        assertEquals(want.forward().nfe(), r.get("nfe").get("forward").asLong());
        assertEquals(want.backward().nfe(), r.get("nfe").get("backward").asLong());
    }

    @Test
    void theTrainingGradientOfTheFirstImagesInDouble() throws Exception {
        OdeflowCliTest.Result r = OdeflowCliTest.run("grad", "--model", model.toString(), "--input", mnist.toString(),
                "--limit", "6");
        assertEquals(0, r.code(), r.err());
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertReport(json, expected(6, GradientMethod.BACKSOLVE_ADJOINT, 2), 6);
        assertEquals("adjoint", json.get("gradient_method").asText());
        assertEquals(8, json.get("nfe").get("forward").asInt(), "2 rk4 steps");
    }

    @Test
    void overridesChangeTheSolverAndTheGradientMethod() throws Exception {
        OdeflowCliTest.Result r = OdeflowCliTest.run("grad", "--model", model.toString(), "--input",
                mnist.resolve("train-images-idx3-ubyte.gz").toString(), "--limit", "5", "gradient=direct",
                "solver.steps=3");
        assertEquals(0, r.code(), r.err());
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertReport(json, expected(5, GradientMethod.DIRECT_BACKPROP, 3), 5);
        assertEquals("direct", json.get("gradient_method").asText());
    }

    @Test
    void flowOptionsAndBadLimitsAreRefusedByName() {
        OdeflowCliTest.Result divergence = OdeflowCliTest.run("grad", "--model", model.toString(), "--input",
                mnist.toString(), "model.divergence=gaussian");
        assertEquals(2, divergence.code());
        assertTrue(divergence.err().contains("model.divergence is a flow's setting"), divergence.err());
        OdeflowCliTest.Result columns = OdeflowCliTest.run("grad", "--model", model.toString(), "--input",
                mnist.toString(), "--columns", "a,b");
        assertTrue(columns.code() != 0 && columns.err().contains("--columns is for a flow's table"), columns.err());
        OdeflowCliTest.Result limit = OdeflowCliTest.run("grad", "--model", model.toString(), "--input",
                mnist.toString(), "--limit", "0");
        assertTrue(limit.code() != 0 && limit.err().contains("--limit must be a positive number"), limit.err());
    }
}
