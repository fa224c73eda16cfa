package dev.odeflow.jobs.model;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SafeTensorsTest {

    private static byte[] file(String header, int... data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        out.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(h.length).array());
        out.writeBytes(h);
        for (int b : data) {
            out.write(b);
        }
        return out.toByteArray();
    }

    @Test
    void parsesHandBuiltBytes() throws Exception {
        String header = "{\"__metadata__\":{\"format\":\"pt\"},"
                + "\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F64\",\"shape\":[],\"data_offsets\":[8,16]}}";
        byte[] bytes = file(header,
                0x00, 0x00, 0x80, 0x3F,            // 1.0f
                0x00, 0x00, 0x20, 0xC0,            // -2.5f
                0, 0, 0, 0, 0, 0, 0x0A, 0x40);    // 3.25
        SafeTensors.Contents c = SafeTensors.decode(bytes, "mem");
        assertEquals(Map.of("format", "pt"), c.metadata());
        assertEquals(List.of("a", "b"), List.copyOf(c.tensors().keySet()));
        SafeTensor a = c.tensors().get("a");
        assertEquals(TensorDtype.F32, a.dtype());
        assertArrayEquals(new int[] {2}, a.shape());
        assertArrayEquals(new double[] {1.0, -2.5}, a.values());
        SafeTensor b = c.tensors().get("b");
        assertEquals(TensorDtype.F64, b.dtype());
        assertArrayEquals(new int[0], b.shape());
        assertArrayEquals(new double[] {3.25}, b.values());
    }

    @Test
    void encodesTheReferenceByteLayout() {
        byte[] bytes = SafeTensors.encode(List.of(new SafeTensor("t", TensorDtype.F64, new int[] {1}, new double[] {1.0})),
                TensorDtype.F32, Map.of());
        String json = "{\"t\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}";
        assertEquals(54, json.length());
        // header padded with spaces to 56 bytes, then 1.0f little-endian
        byte[] expected = file(json + "  ", 0x00, 0x00, 0x80, 0x3F);
        assertArrayEquals(expected, bytes);
        assertEquals(56, ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong(0));
    }

    @Test
    void roundTripsF32AndF64() throws Exception {
        double[] v = {Math.PI, -1e-7, 12345.678, 0};
        List<SafeTensor> tensors = List.of(new SafeTensor("w", TensorDtype.F64, new int[] {2, 2}, v),
                new SafeTensor("s", TensorDtype.F64, new int[0], new double[] {Math.E}));
        SafeTensors.Contents f64 = SafeTensors.decode(SafeTensors.encode(tensors, TensorDtype.F64, Map.of()), "f64");
        assertArrayEquals(v, f64.tensors().get("w").values());
        assertArrayEquals(new double[] {Math.E}, f64.tensors().get("s").values());
        SafeTensors.Contents f32 = SafeTensors.decode(SafeTensors.encode(tensors, TensorDtype.F32, Map.of()), "f32");
        double[] got = f32.tensors().get("w").values();
        for (int i = 0; i < v.length; i++) {
            assertEquals((double) (float) v[i], got[i]);
        }
        assertEquals(TensorDtype.F32, f32.tensors().get("w").dtype());
        assertArrayEquals(new int[] {2, 2}, f32.tensors().get("w").shape());
    }

    @Test
    void truncatedFilesNameTheFileAndTensor() {
        byte[] good = SafeTensors.encode(List.of(new SafeTensor("layers.0._layer.weight", TensorDtype.F64,
                new int[] {3}, new double[] {1, 2, 3})), TensorDtype.F64, Map.of());
        ModelFormatException e = assertThrows(ModelFormatException.class,
                () -> SafeTensors.decode(Arrays.copyOf(good, good.length - 5), "/m/weights.safetensors"));
        assertTrue(e.getMessage().contains("/m/weights.safetensors"), e.getMessage());
        assertTrue(e.getMessage().contains("layers.0._layer.weight"), e.getMessage());
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());

        ModelFormatException shortFile = assertThrows(ModelFormatException.class,
                () -> SafeTensors.decode(new byte[] {1, 2, 3}, "x.safetensors"));
        assertTrue(shortFile.getMessage().contains("truncated"), shortFile.getMessage());

        ModelFormatException shortHeader = assertThrows(ModelFormatException.class,
                () -> SafeTensors.decode(Arrays.copyOf(good, 20), "x.safetensors"));
        assertTrue(shortHeader.getMessage().contains("header"), shortHeader.getMessage());
    }

    @Test
    void corruptHeadersAreRejected() {
        assertThrows(ModelFormatException.class, () -> SafeTensors.decode(file("{not json"), "x"));
        ModelFormatException dtype = assertThrows(ModelFormatException.class, () -> SafeTensors.decode(
                file("{\"a\":{\"dtype\":\"BF16\",\"shape\":[1],\"data_offsets\":[0,2]}}", 0, 0), "x"));
        assertTrue(dtype.getMessage().contains("BF16") && dtype.getMessage().contains("'a'"), dtype.getMessage());
        ModelFormatException shape = assertThrows(ModelFormatException.class, () -> SafeTensors.decode(
                file("{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", 0, 0, 0, 0, 0, 0, 0, 0), "x"));
        assertTrue(shape.getMessage().contains("needs 12 bytes"), shape.getMessage());
        ModelFormatException overlap = assertThrows(ModelFormatException.class, () -> SafeTensors.decode(
                file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                        + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", 0, 0, 0, 0), "x"));
        assertTrue(overlap.getMessage().contains("overlap"), overlap.getMessage());
        byte[] huge = file("{}");
        ByteBuffer.wrap(huge).order(ByteOrder.LITTLE_ENDIAN).putLong(0, 1L << 40);
        assertThrows(ModelFormatException.class, () -> SafeTensors.decode(huge, "x"));
    }
}
