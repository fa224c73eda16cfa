package dev.odeflow.jobs.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Model directories of a chain of CNF blocks: FFJORD's SequentialFlow names, model.json version 2, round trips. */
class ChainDirectoryTest {

    private static final SavedFlow CHAIN = TinyFlows.chain(7, 3);

    @Test
    void chainRoundTripKeepsEveryBlock(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("m");
        TestModels.write(dir, CHAIN, TensorDtype.F64);
        SavedFlow back = TestModels.read(dir);
        assertEquals(3, back.model().blocks());
        assertArrayEquals(CHAIN.weights(), back.weights());
        assertArrayEquals(CHAIN.endTimes(), back.endTimes());
        assertEquals(CHAIN.model().architecture(), back.model().architecture());
        double[] x = TinyFlows.data(5, 1);
        assertArrayEquals(CHAIN.logLikelihood(x, 5), back.logLikelihood(x, 5));

        JsonNode json = new ObjectMapper().readTree(Files.readString(dir.resolve("model.json")));
        assertEquals(ModelJson.FORMAT_VERSION, json.get("format_version").asInt());
        assertEquals(3, json.get("settings").get("model.blocks").asInt());
        assertEquals(3, json.get("end_times").size());
        assertEquals(0.6, json.get("end_times").get(1).asDouble(), 1e-12);
    }

    @Test
    void chainWeightsCarryFfjordSequentialFlowNames(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("m");
        TestModels.write(dir, CHAIN, TensorDtype.F32);
        SafeTensors.Contents c = SafeTensors.decode(Files.readAllBytes(dir.resolve("weights.safetensors")), "w");
        List<String> names = List.copyOf(c.tensors().keySet());
        assertEquals(33, names.size(), names.toString());
        assertEquals("chain.0.odefunc.odefunc.diffeq.layers.0._layer.weight", names.get(0));
        assertEquals("chain.0.odefunc.odefunc.diffeq.layers.1._hyper_gate.bias", names.get(9));
        assertEquals("chain.0.sqrt_end_time", names.get(10));
        assertEquals("chain.2.odefunc.odefunc.diffeq.layers.0._hyper_bias.weight", names.get(24));
        assertEquals("chain.2.sqrt_end_time", names.get(32));
        assertArrayEquals(new int[0], c.tensors().get("chain.1.sqrt_end_time").shape());
        assertEquals((float) Math.sqrt(0.6), (float) c.tensors().get("chain.1.sqrt_end_time").values()[0]);
    }

    @Test
    void ffjordStateDictsLoadWithOrWithoutADataParallelPrefix() throws Exception {
        double[] w = CHAIN.weights();
        for (String prefix : List.of("", "module.")) {
            List<SafeTensor> tensors = new ArrayList<>();
            CHAIN.model().layout().tensors().forEach(t -> tensors.add(new SafeTensor(prefix + t.name(),
                    TensorDtype.F64, t.shape(), Arrays.copyOfRange(w, t.offset(), t.offset() + t.size()))));
            byte[] bytes = SafeTensors.encode(tensors, TensorDtype.F64, Map.of());
            assertArrayEquals(w, ModelDirectory.flatten(SafeTensors.decode(bytes, "pt"), CHAIN.model().layout(),
                    "pt"), prefix);
        }
    }

    @Test
    void aChainDoesNotLoadAsOneBlockNorOneBlockAsAChain(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("m");
        TestModels.write(dir, CHAIN, TensorDtype.F64);
        byte[] chainWeights = Files.readAllBytes(dir.resolve("weights.safetensors"));
        SavedFlow single = TinyFlows.twoD(7);
        ModelDirectory.EncodedModel one = ModelDirectory.encode(single, TensorDtype.F64);
        ModelFormatException ambiguous = assertThrows(ModelFormatException.class,
                () -> ModelDirectory.decode(one.modelJson(), chainWeights, "d"));
        assertTrue(ambiguous.getMessage().contains("ambiguous"), ambiguous.getMessage());
        byte[] chainJson = Files.readAllBytes(dir.resolve("model.json"));
        ModelFormatException missing = assertThrows(ModelFormatException.class,
                () -> ModelDirectory.decode(chainJson, one.weights(), "d"));
        assertTrue(missing.getMessage().contains("missing tensor 'chain.0."), missing.getMessage());
    }

    @Test
    void endTimesThatDisagreeWithTheWeightsAreNamed(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("m");
        TestModels.write(dir, CHAIN, TensorDtype.F64);
        ObjectMapper mapper = new ObjectMapper();
        com.fasterxml.jackson.databind.node.ObjectNode root = (com.fasterxml.jackson.databind.node.ObjectNode)
                mapper.readTree(Files.readString(dir.resolve("model.json")));
        ((com.fasterxml.jackson.databind.node.ArrayNode) root.get("end_times")).set(1, 0.9);
        byte[] bad = mapper.writeValueAsBytes(root);
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelDirectory.decode(bad,
                Files.readAllBytes(dir.resolve("weights.safetensors")), "d"));
        assertTrue(e.getMessage().contains("chain.1.sqrt_end_time") && e.getMessage().contains("end_times[1]"),
                e.getMessage());
        ((com.fasterxml.jackson.databind.node.ArrayNode) root.get("end_times")).set(1, CHAIN.endTimes()[1]);
        ((com.fasterxml.jackson.databind.node.ObjectNode) root.get("settings")).put("model.blocks", 2);
        byte[] wrongCount = mapper.writeValueAsBytes(root);
        ModelFormatException c = assertThrows(ModelFormatException.class, () -> ModelDirectory.decode(wrongCount,
                Files.readAllBytes(dir.resolve("weights.safetensors")), "d"));
        assertTrue(c.getMessage().contains("end_times has 3 entries for 2 blocks"), c.getMessage());
    }
}
