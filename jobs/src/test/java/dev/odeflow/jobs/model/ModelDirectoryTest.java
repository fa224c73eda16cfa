package dev.odeflow.jobs.model;

import dev.odeflow.kernels.dynamics.LayerKind;
import dev.odeflow.kernels.dynamics.CnfArchitecture;
import dev.odeflow.kernels.model.CnfModel;
import dev.odeflow.kernels.dynamics.Activation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelDirectoryTest {

    private static final SavedFlow FLOW = TinyFlows.twoD(7);

    @Test
    void f64RoundTripIsExact(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("m");
        TestModels.write(dir, FLOW, TensorDtype.F64);
        SavedFlow back = TestModels.read(dir);
        assertArrayEquals(FLOW.weights(), back.weights());
        assertEquals(FLOW.model().architecture(), back.model().architecture());
        assertEquals(FLOW.model().settings(), back.model().settings());
        assertEquals(FLOW.scaling(), back.scaling());
        assertEquals(FLOW.columns(), back.columns());
        double[] x = TinyFlows.data(5, 1);
        assertArrayEquals(FLOW.logLikelihood(x, 5), back.logLikelihood(x, 5));
    }

    @Test
    void f32RoundTripRoundsToFloat(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("m");
        TestModels.write(dir, FLOW, TensorDtype.F32);
        SavedFlow back = TestModels.read(dir);
        double[] w = FLOW.weights();
        double[] got = back.weights();
        for (int i = 0; i < w.length; i++) {
            assertEquals((double) (float) w[i], got[i]);
        }
        assertTrue(new String(Files.readAllBytes(dir.resolve("model.json")), StandardCharsets.UTF_8)
                .contains("\"dtype\" : \"F32\""));
    }

    @Test
    void weightsFollowFfjordNamesAndShapes(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("m");
        TestModels.write(dir, FLOW, TensorDtype.F64);
        SafeTensors.Contents c = SafeTensors.decode(Files.readAllBytes(dir.resolve("weights.safetensors")), "w");
        List<String> expected = List.of("layers.0._layer.weight", "layers.0._layer.bias", "layers.0._hyper_bias.weight",
                "layers.0._hyper_gate.weight", "layers.0._hyper_gate.bias", "layers.1._layer.weight",
                "layers.1._layer.bias", "layers.1._hyper_bias.weight", "layers.1._hyper_gate.weight",
                "layers.1._hyper_gate.bias", "sqrt_end_time");
        assertEquals(expected, List.copyOf(c.tensors().keySet()));
        assertArrayEquals(new int[] {8, 2}, c.tensors().get("layers.0._layer.weight").shape());
        assertArrayEquals(new int[] {8, 1}, c.tensors().get("layers.0._hyper_bias.weight").shape());
        assertArrayEquals(new int[] {2, 8}, c.tensors().get("layers.1._layer.weight").shape());
        assertArrayEquals(new int[0], c.tensors().get("sqrt_end_time").shape());
        assertEquals(Math.sqrt(FLOW.endTime()), c.tensors().get("sqrt_end_time").values()[0], 1e-15);
    }

    @Test
    void loadsPytorchPrefixedNames() throws Exception {
        List<SafeTensor> prefixed = new ArrayList<>();
        double[] w = FLOW.weights();
        FLOW.model().layout().tensors().forEach(t -> prefixed.add(new SafeTensor(
                "chain.0.odefunc.odefunc.diffeq." + t.name(), TensorDtype.F32, t.shape(),
                Arrays.copyOfRange(w, t.offset(), t.offset() + t.size()))));
        byte[] bytes = SafeTensors.encode(prefixed, TensorDtype.F32, Map.of());
        double[] got = ModelDirectory.flatten(SafeTensors.decode(bytes, "pt"), FLOW.model().layout(), "pt");
        assertEquals((float) w[3], (float) got[3]);
        assertEquals((float) w[w.length - 1], (float) got[w.length - 1]);
    }

    @Test
    void missingWrongShapeAndWrongDtypeAreNamed(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("m");
        TestModels.write(dir, FLOW, TensorDtype.F64);
        byte[] json = Files.readAllBytes(dir.resolve("model.json"));
        double[] w = FLOW.weights();
        var layout = FLOW.model().layout();

        List<SafeTensor> missing = new ArrayList<>();
        layout.tensors().stream().filter(t -> !t.name().equals("layers.1._layer.bias")).forEach(t -> missing.add(
                new SafeTensor(t.name(), TensorDtype.F64, t.shape(), Arrays.copyOfRange(w, t.offset(), t.offset() + t.size()))));
        ModelFormatException e1 = assertThrows(ModelFormatException.class, () -> ModelDirectory.decode(json,
                SafeTensors.encode(missing, TensorDtype.F64, Map.of()), "dirX"));
        assertTrue(e1.getMessage().contains("dirX/weights.safetensors") && e1.getMessage().contains("layers.1._layer.bias")
                && e1.getMessage().contains("missing"), e1.getMessage());

        List<SafeTensor> reshaped = new ArrayList<>();
        layout.tensors().forEach(t -> {
            int[] shape = t.name().equals("layers.0._layer.weight") ? new int[] {2, 8} : t.shape();
            reshaped.add(new SafeTensor(t.name(), TensorDtype.F64, shape, Arrays.copyOfRange(w, t.offset(), t.offset() + t.size())));
        });
        ModelFormatException e2 = assertThrows(ModelFormatException.class, () -> ModelDirectory.decode(json,
                SafeTensors.encode(reshaped, TensorDtype.F64, Map.of()), "dirX"));
        assertTrue(e2.getMessage().contains("layers.0._layer.weight") && e2.getMessage().contains("[2, 8]")
                && e2.getMessage().contains("[8, 2]"), e2.getMessage());

        byte[] i32 = ("{\"sqrt_end_time\":{\"dtype\":\"I32\",\"shape\":[],\"data_offsets\":[0,4]}}").getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + i32.length + 4).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(i32.length).put(i32).putInt(1);
        ModelFormatException e3 = assertThrows(ModelFormatException.class, () -> ModelDirectory.decode(json, b.array(), "dirX"));
        assertTrue(e3.getMessage().contains("I32") && e3.getMessage().contains("sqrt_end_time"), e3.getMessage());
    }

    @Test
    void truncatedWeightsAndBadJsonFail(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("m");
        TestModels.write(dir, FLOW, TensorDtype.F32);
        Path weights = dir.resolve("weights.safetensors");
        byte[] full = Files.readAllBytes(weights);
        Files.write(weights, Arrays.copyOf(full, full.length - 3));
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> TestModels.read(dir));
        assertTrue(e.getMessage().contains(weights.toString()) && e.getMessage().contains("truncated"), e.getMessage());

        Files.write(weights, full);
        Path json = dir.resolve("model.json");
        String text = Files.readString(json);
        Files.writeString(json, text.replace("\"dim\" : 2", "\"dim\" : 3"));
        ModelFormatException dims = assertThrows(ModelFormatException.class, () -> TestModels.read(dir));
        assertTrue(dims.getMessage().contains("dimension 3"), dims.getMessage());

        Files.writeString(json, text.replace("\"end_times\" : [ ", "\"end_times\" : [ 9"));
        ModelFormatException t = assertThrows(ModelFormatException.class, () -> TestModels.read(dir));
        assertTrue(t.getMessage().contains("end_times[0]"), t.getMessage());

        Files.writeString(json, text.replace("\"format_version\" : 3", "\"format_version\" : 99"));
        assertThrows(ModelFormatException.class, () -> TestModels.read(dir));

        Files.delete(json);
        ModelFormatException none = assertThrows(ModelFormatException.class, () -> TestModels.read(dir));
        assertTrue(none.getMessage().contains("model.json"), none.getMessage());
    }

    @Test
    void rewriteReplacesAtomicallyWithoutLeftovers(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("m");
        TestModels.write(dir, FLOW, TensorDtype.F64);
        SavedFlow other = FLOW.withWeights(TinyFlows.twoD(99).weights());
        TestModels.write(dir, other, TensorDtype.F64);
        assertArrayEquals(other.weights(), TestModels.read(dir).weights());
        try (Stream<Path> s = Files.list(tmp)) {
            assertEquals(List.of(dir), s.toList());
        }
        assertThrows(java.io.IOException.class, () -> TestModels.write(dir.resolve("model.json").resolve("x"),
                FLOW, TensorDtype.F64));
    }

    @Test
    void weightLengthMustMatchTheArchitecture() {
        CnfModel bigger = new CnfModel(new CnfArchitecture(2, new int[] {9}, LayerKind.CONCATSQUASH, Activation.TANH),
                TinyFlows.fastSettings());
        SavedFlow wrong = new SavedFlow(bigger, FLOW.weights(), FLOW.scaling(), FLOW.columns());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ModelDirectory.encode(wrong, TensorDtype.F64));
        assertTrue(e.getMessage().contains("needs"), e.getMessage());
        assertNotEquals(0, FLOW.weights().length);
        assertFalse(FLOW.columns().isEmpty());
    }
}
