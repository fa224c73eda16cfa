package dev.odeflow.jobs.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 13, findings 6 and 7 (model files): a small model.json or a large weights file that declares more than
 * odeflow accepts fails with one line naming the file and the limit, before the sizes are allocated.
 */
class ModelSizeLimitsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    /** A saved tiny flow whose model.json has been edited. */
    private Path model(String name, Consumer<ObjectNode> edit) throws Exception {
        Path dir = tmp.resolve(name);
        TestModels.write(dir, TinyFlows.twoD(3), TensorDtype.F32);
        ObjectNode root = (ObjectNode) JSON.readTree(dir.resolve(ModelDirectory.MODEL_JSON).toFile());
        edit.accept(root);
        Files.write(dir.resolve(ModelDirectory.MODEL_JSON), JSON.writeValueAsBytes(root));
        return dir;
    }

    private static void fails(Path dir, String fragment) {
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> TestModels.read(dir));
        assertTrue(e.getMessage().contains(fragment), "'" + e.getMessage() + "' should mention '" + fragment + "'");
        assertTrue(!e.getMessage().contains("\n"), e.getMessage());
    }

    private static Consumer<ObjectNode> hidden(long... widths) {
        return root -> {
            var a = ((ObjectNode) root.get("settings")).putArray("model.hidden");
            for (long w : widths) {
                a.add(w);
            }
        };
    }

    @Test
    void hugeHiddenWidthInModelJsonIsRefusedBeforeAllocation() throws Exception {
        fails(model("wide", hidden(100_000_000)), "model.json: architecture: hidden width 100000000 exceeds the"
                + " limit of 65536 units per layer");
    }

    @Test
    void widthsWhoseParameterCountOverflowsIntAreRefused() throws Exception {
        fails(model("overflow", hidden(50_000, 50_000)), "model.json: architecture: hidden widths [50000, 50000]"
                + " give 2500600009 parameters at data dimension 2, more than the limit of 33554432");
    }

    @Test
    void widthsBeyondIntRangeAreNotTruncated() throws Exception {
        fails(model("wrap", hidden(4_294_967_312L, 16)), "model.json: field 'model.hidden' must hold integers between"
                + " -2147483648 and 2147483647, got 4294967312");
    }

    @Test
    void fixedStepsBeyondTheStepBudgetAreRefusedBeforeTheGridIsAllocated() throws Exception {
        fails(model("steps", root -> ((ObjectNode) root.get("settings")).put("eval.steps", 2_000_000_000)),
                "model.json settings: eval.steps = '2000000000': exceeds the step budget eval.max_steps = 100000");
        fails(model("budget", root -> ((ObjectNode) root.get("settings")).put("eval.max_steps", 1e30)),
                "model.json: setting 'eval.max_steps' must be an integer, got 1.0E30");
    }

    @Test
    void weightsFileOverTwoGigabytesIsCheckedByItsHeaderFirst() throws Exception {
        Path dir = model("big", root -> { });
        Path weights = dir.resolve(ModelDirectory.WEIGHTS);
        try (RandomAccessFile f = new RandomAccessFile(weights.toFile(), "rw")) {
            f.setLength(2200L * 1024 * 1024); // sparse: no disk blocks for the tail
        }
        fails(dir, "weights.safetensors: data section has ");
        fails(dir, "(trailing bytes)");
    }

    @Test
    void shapeWhoseElementCountWrapsIsRefused() {
        String header = "{\"w\":{\"dtype\":\"F32\",\"shape\":[1073741824,1073741824,16],\"data_offsets\":[0,0]}}";
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + json.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(json.length).put(json);
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> SafeTensors.decode(b.array(), "x"));
        assertTrue(e.getMessage().contains("x: tensor 'w': shape [1073741824, 1073741824, 16] has more than"
                + " 2147483639 elements"), e.getMessage());
    }
}
