package dev.odeflow.jobs.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.odeflow.driver.output.OutputStore;
import dev.odeflow.kernels.classifier.ClassifierArchitecture;
import dev.odeflow.kernels.classifier.ClassifierBlock;
import dev.odeflow.kernels.classifier.ClassifierModel;
import dev.odeflow.kernels.dynamics.Precision;
import dev.odeflow.kernels.gradient.AdjointOptions;
import dev.odeflow.kernels.gradient.GradientMethod;
import dev.odeflow.kernels.nn.MapShape;
import dev.odeflow.kernels.solver.Method;
import dev.odeflow.kernels.solver.SolverConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An image classifier's model directory: its settings under their job keys, an exact F64 round trip, no confusion. */
class ClassifierModelJsonTest {

    static SavedClassifier saved() {
        ClassifierArchitecture arch = new ClassifierArchitecture(ClassifierBlock.MLP, new MapShape(6, 5, 1), 4, 8, 7,
                1.5, Precision.FLOAT32);
        ClassifierModel m = new ClassifierModel(arch, SolverConfig.fixedSteps(Method.RK4, 3),
                SolverConfig.adaptive(Method.DOPRI5, 1e-4, 1e-6), GradientMethod.DIRECT_BACKPROP,
                new AdjointOptions(1e-5, 1e-7, false));
        return new SavedClassifier(m, m.initialParameters(5), "digit", "img");
    }

    @Test
    void roundTripsSettingsAndParametersExactly(@TempDir Path tmp) throws Exception {
        SavedClassifier s = saved();
        ModelDirectory.EncodedModel files = ClassifierModelJson.encode(s, TensorDtype.F64);
        var root = new ObjectMapper().readTree(files.modelJson());
        assertEquals("odeflow-classifier", root.get("format").asText());
        assertEquals("classifier", root.get("kind").asText());
        assertEquals(s.model().parameterCount(), root.get("parameters").asInt());
        var settings = root.get("settings");
        assertEquals("mlp", settings.get("model.block").asText());
        assertEquals("[7]", settings.get("model.hidden").toString());
        assertEquals(4, settings.get("model.classes").asInt());
        assertEquals("6x5x1", settings.get("data.image").asText());
        assertEquals("direct", settings.get("gradient").asText());
        assertEquals("float32", settings.get("model.precision").asText());
        assertEquals(List.of("1.weight", "1.bias", "3.weight", "3.bias"),
                List.copyOf(SafeTensors.decode(files.weights(), "w").tensors().keySet()));

        OutputStore dir = OutputStore.local(tmp);
        ModelDirectory.write(dir, "model", files);
        for (SavedClassifier back : List.of(ClassifierModelJson.decode(files, "mem"),
                ModelDirectory.readClassifier(dir.child("model")))) {
            assertEquals(s.model().arch(), back.model().arch());
            assertEquals(s.model().train(), back.model().train());
            assertEquals(s.model().eval(), back.model().eval());
            assertEquals(s.model().gradient(), back.model().gradient());
            assertEquals(s.model().adjoint(), back.model().adjoint());
            assertEquals("digit", back.labelColumn());
            assertEquals("img", back.pixelsColumn());
            assertArrayEquals(s.weights(), back.weights(), 0.0);
        }
    }

    /** A file written before classifiers had model.precision reads as float64. */
    @Test
    void aFileWithoutPrecisionIsFloat64() throws Exception {
        ModelDirectory.EncodedModel files = ClassifierModelJson.encode(saved(), TensorDtype.F64);
        ObjectNode root = (ObjectNode) new ObjectMapper().readTree(files.modelJson());
        ((ObjectNode) root.get("settings")).remove("model.precision");
        SavedClassifier older = ClassifierModelJson.decode(
                new ModelDirectory.EncodedModel(root.toString().getBytes(StandardCharsets.UTF_8), files.weights()),
                "dir");
        assertEquals(Precision.FLOAT64, older.model().arch().precision());
    }

    @Test
    void otherKindsAndBadSettingsAreNamed() throws Exception {
        ModelDirectory.EncodedModel files = ClassifierModelJson.encode(saved(), TensorDtype.F64);
        ModelFormatException asSeries = assertThrows(ModelFormatException.class,
                () -> ModelDirectory.decodeSeries(files, "dir"));
        assertTrue(asSeries.getMessage().contains("an image classifier") && asSeries.getMessage().contains("classify"),
                asSeries.getMessage());
        ModelFormatException asFlow = assertThrows(ModelFormatException.class,
                () -> ModelDirectory.decode(files.modelJson(), files.weights(), "dir"));
        assertTrue(asFlow.getMessage().contains("use it with odeflow classify"), asFlow.getMessage());
        ModelDirectory.EncodedModel latent = LatentModelJson.encode(
                LatentModelJsonTest.saved(dev.odeflow.kernels.latent.LatentDynamics.ODE), TensorDtype.F64);
        ModelFormatException fromLatent = assertThrows(ModelFormatException.class,
                () -> ClassifierModelJson.decode(latent, "dir"));
        assertTrue(fromLatent.getMessage().contains("not an image classifier"), fromLatent.getMessage());

        ObjectNode root = (ObjectNode) new ObjectMapper().readTree(files.modelJson());
        ((ObjectNode) root.get("settings")).put("model.block", "cnn");
        ModelFormatException block = assertThrows(ModelFormatException.class, () -> ClassifierModelJson.decode(
                new ModelDirectory.EncodedModel(root.toString().getBytes(StandardCharsets.UTF_8), files.weights()),
                "dir"));
        assertTrue(block.getMessage().contains("unknown classifier block 'cnn'"), block.getMessage());
        ((ObjectNode) root.get("settings")).put("model.block", "mlp");
        root.put("parameters", 3);
        ModelFormatException count = assertThrows(ModelFormatException.class, () -> ClassifierModelJson.decode(
                new ModelDirectory.EncodedModel(root.toString().getBytes(StandardCharsets.UTF_8), files.weights()),
                "dir"));
        assertTrue(count.getMessage().contains("parameters is 3"), count.getMessage());
    }
}
