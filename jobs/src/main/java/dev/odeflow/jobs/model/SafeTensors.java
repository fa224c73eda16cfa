package dev.odeflow.jobs.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.ByteBuffer;
import dev.odeflow.driver.output.OutputStore;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The safetensors format (huggingface/safetensors): an 8-byte little-endian header length N, N bytes of JSON
 * {@code {name: {"dtype", "shape", "data_offsets": [begin, end]}, "__metadata__": {string: string}}}, then the
 * raw little-endian tensor data, offsets relative to the end of the header. The header is padded with spaces to
 * a multiple of 8 bytes, as the reference writer does.
 */
public final class SafeTensors {

    /** Headers above this size are rejected as corrupt (the reference implementation uses 100 MB). */
    static final long MAX_HEADER_BYTES = 100L * 1024 * 1024;

    private static final String METADATA = "__metadata__";
    private static final ObjectMapper JSON = new ObjectMapper();

    private SafeTensors() {
    }

    /** The tensors of a file in data order, and its string metadata. */
    public record Contents(Map<String, SafeTensor> tensors, Map<String, String> metadata) {

        public Contents {
            tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
            metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        }
    }

    /** Encodes tensors (each converted to {@code dtype}) in the given order, with optional metadata. */
    public static byte[] encode(List<SafeTensor> tensors, TensorDtype dtype, Map<String, String> metadata) {
        ObjectNode header = JSON.createObjectNode();
        if (metadata != null && !metadata.isEmpty()) {
            ObjectNode meta = header.putObject(METADATA);
            metadata.forEach(meta::put);
        }
        long offset = 0;
        for (SafeTensor t : tensors) {
            if (t.name().equals(METADATA) || header.has(t.name())) {
                throw new IllegalArgumentException("duplicate or reserved tensor name '" + t.name() + "'");
            }
            long bytes = (long) t.values().length * dtype.width();
            ObjectNode entry = header.putObject(t.name());
            entry.put("dtype", dtype.name());
            ArrayNode shape = entry.putArray("shape");
            for (int d : t.shape()) {
                shape.add(d);
            }
            entry.putArray("data_offsets").add(offset).add(offset + bytes);
            offset += bytes;
        }
        byte[] json;
        try {
            json = JSON.writeValueAsBytes(header);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize a safetensors header", e);
        }
        int padded = (json.length + 7) / 8 * 8;
        if (offset + padded + 8 > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("tensors too large for one in-memory safetensors file");
        }
        ByteBuffer out = ByteBuffer.allocate(8 + padded + (int) offset).order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(padded);
        out.put(json);
        for (int i = json.length; i < padded; i++) {
            out.put((byte) ' ');
        }
        for (SafeTensor t : tensors) {
            for (double v : t.values()) {
                if (dtype == TensorDtype.F32) {
                    out.putFloat((float) v);
                } else {
                    out.putDouble(v);
                }
            }
        }
        return out.array();
    }

    /** A tensor's header entry: dtype, shape and byte range [begin, end) relative to the data section. */
    public record Entry(String name, TensorDtype dtype, int[] shape, long begin, long end) {

        public Entry {
            shape = shape.clone();
        }

        @Override
        public int[] shape() {
            return shape.clone();
        }

        /** Number of elements (at most {@link #MAX_TENSOR_ELEMENTS}, checked when the header is read). */
        public int elements() {
            return (int) ((end - begin) / dtype.width());
        }
    }

    /**
     * A validated header: the tensors by name in header order, the metadata, and where the data section starts
     * and how long it is. Every declared range lies inside the data section, the ranges tile it exactly and every
     * shape matches its range, so nothing has been read beyond the header yet.
     */
    public record Header(Map<String, Entry> tensors, Map<String, String> metadata, long dataStart, long dataLength) {

        public Header {
            tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
            metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        }
    }

    /** The most elements one tensor may have: the longest Java array. */
    static final long MAX_TENSOR_ELEMENTS = Integer.MAX_VALUE - 8;

    /**
     * Decodes a whole file held in memory. {@code source} names it in errors (a path). Accepts F32 and F64
     * tensors; anything malformed (short file, bad header, offsets out of range, overlapping tensors, other
     * dtypes) is a {@link ModelFormatException} naming the file and the tensor.
     */
    public static Contents decode(byte[] bytes, String source) throws ModelFormatException {
        if (bytes.length < 8) {
            throw new ModelFormatException(source + ": truncated safetensors file: " + bytes.length
                    + " bytes, less than the 8-byte header length");
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long headerLength = checkHeaderLength(buf.getLong(0), bytes.length, source);
        Header h = parseHeader(Arrays.copyOfRange(bytes, 8, 8 + (int) headerLength), bytes.length, source);
        Map<String, SafeTensor> tensors = new LinkedHashMap<>();
        for (Entry e : inDataOrder(h)) {
            ByteBuffer data = buf.slice((int) (h.dataStart() + e.begin()), (int) (e.end() - e.begin()))
                    .order(ByteOrder.LITTLE_ENDIAN);
            tensors.put(e.name(), new SafeTensor(e.name(), e.dtype(), e.shape(), values(data, e)));
        }
        return new Contents(tensors, h.metadata());
    }

    /**
     * Reads and validates only the header of an open file: its 8-byte length first, checked against the file's
     * size before the header itself is read, then every declared tensor range against the file's size.
     */
    public static Header readHeader(OutputStore.Input file, String source) throws IOException {
        long size = file.size();
        if (size < 8) {
            throw new ModelFormatException(source + ": truncated safetensors file: " + size
                    + " bytes, less than the 8-byte header length");
        }
        ByteBuffer length = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        readFully(file, length, 0, source);
        long headerLength = checkHeaderLength(length.getLong(0), size, source);
        ByteBuffer json = ByteBuffer.allocate((int) headerLength);
        readFully(file, json, 8, source);
        return parseHeader(json.array(), size, source);
    }

    /** Reads one tensor's values from an open file whose header is {@code h}. */
    public static double[] readValues(OutputStore.Input file, Header h, Entry e, String source) throws IOException {
        ByteBuffer data = ByteBuffer.allocate(Math.toIntExact(e.end() - e.begin())).order(ByteOrder.LITTLE_ENDIAN);
        readFully(file, data, h.dataStart() + e.begin(), source);
        return values(data, e);
    }

    private static void readFully(OutputStore.Input file, ByteBuffer into, long position, String source)
            throws IOException {
        if (position + into.remaining() > file.size()) {
            throw new ModelFormatException(source + ": truncated safetensors file at byte " + file.size());
        }
        try {
            file.readFully(position, into.array());
        } catch (java.io.EOFException e) {
            throw new ModelFormatException(source + ": truncated safetensors file (" + e.getMessage() + ")", e);
        }
    }

    private static double[] values(ByteBuffer data, Entry e) {
        double[] values = new double[e.elements()];
        for (int i = 0; i < values.length; i++) {
            values[i] = e.dtype() == TensorDtype.F32 ? data.getFloat(i * 4) : data.getDouble(i * 8);
        }
        return values;
    }

    private static long checkHeaderLength(long headerLength, long fileSize, String source)
            throws ModelFormatException {
        if (headerLength < 2 || headerLength > MAX_HEADER_BYTES) {
            throw new ModelFormatException(source + ": not a safetensors file: header length " + headerLength
                    + " is out of range (at most " + MAX_HEADER_BYTES + " bytes)");
        }
        if (headerLength > fileSize - 8L) {
            throw new ModelFormatException(source + ": truncated safetensors file: header of " + headerLength
                    + " bytes but only " + (fileSize - 8) + " bytes follow the length field");
        }
        return headerLength;
    }

    /** Parses and validates header JSON against the size of the whole file. */
    private static Header parseHeader(byte[] json, long fileSize, String source) throws ModelFormatException {
        long dataStart = 8L + json.length;
        long dataLength = fileSize - dataStart;
        JsonNode header;
        try {
            header = JSON.readTree(new String(json, StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            throw new ModelFormatException(source + ": safetensors header is not valid JSON: "
                    + e.getOriginalMessage(), e);
        }
        if (header == null || !header.isObject()) {
            throw new ModelFormatException(source + ": safetensors header is not a JSON object");
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        Map<String, Entry> entries = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (field.getKey().equals(METADATA)) {
                readMetadata(field.getValue(), metadata, source);
            } else {
                entries.put(field.getKey(), readEntry(field.getKey(), field.getValue(), dataLength, source));
            }
        }
        Header h = new Header(entries, metadata, dataStart, dataLength);
        long expected = 0;
        for (Entry e : inDataOrder(h)) {
            if (e.begin() != expected) {
                throw new ModelFormatException(source + ": tensor '" + e.name() + "' starts at data byte "
                        + e.begin() + " but the previous tensor ends at " + expected
                        + " (tensors overlap or leave a gap)");
            }
            expected = e.end();
        }
        if (expected != dataLength) {
            throw new ModelFormatException(source + ": data section has " + dataLength + " bytes but the tensors"
                    + " cover " + expected + " (trailing bytes)");
        }
        return h;
    }

    private static List<Entry> inDataOrder(Header h) {
        List<Entry> byOffset = new ArrayList<>(h.tensors().values());
        byOffset.sort(Comparator.comparingLong(Entry::begin));
        return byOffset;
    }

    private static void readMetadata(JsonNode node, Map<String, String> into, String source)
            throws ModelFormatException {
        if (!node.isObject()) {
            throw new ModelFormatException(source + ": safetensors __metadata__ is not a JSON object");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            if (!f.getValue().isTextual()) {
                throw new ModelFormatException(source + ": safetensors __metadata__ value '" + f.getKey()
                        + "' is not a string");
            }
            into.put(f.getKey(), f.getValue().asText());
        }
    }

    private static Entry readEntry(String name, JsonNode node, long dataLength, String source)
            throws ModelFormatException {
        String where = source + ": tensor '" + name + "'";
        if (!node.isObject()) {
            throw new ModelFormatException(where + ": header entry is not a JSON object");
        }
        JsonNode dtypeNode = node.get("dtype");
        if (dtypeNode == null || !dtypeNode.isTextual()) {
            throw new ModelFormatException(where + ": missing dtype");
        }
        TensorDtype dtype;
        try {
            dtype = TensorDtype.parse(dtypeNode.asText());
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(where + ": dtype " + dtypeNode.asText()
                    + " is not supported (odeflow reads F32 and F64)");
        }
        JsonNode shapeNode = node.get("shape");
        if (shapeNode == null || !shapeNode.isArray()) {
            throw new ModelFormatException(where + ": missing shape");
        }
        int[] shape = new int[shapeNode.size()];
        for (int i = 0; i < shape.length; i++) {
            JsonNode d = shapeNode.get(i);
            if (!d.canConvertToInt() || !d.isIntegralNumber() || d.asInt() < 0) {
                throw new ModelFormatException(where + ": shape " + shapeNode + " has a bad dimension");
            }
            shape[i] = d.asInt();
        }
        JsonNode offsets = node.get("data_offsets");
        if (offsets == null || !offsets.isArray() || offsets.size() != 2 || !offsets.get(0).isIntegralNumber()
                || !offsets.get(1).isIntegralNumber()) {
            throw new ModelFormatException(where + ": data_offsets must be [begin, end]");
        }
        long begin = offsets.get(0).asLong();
        long end = offsets.get(1).asLong();
        if (begin < 0 || end < begin) {
            throw new ModelFormatException(where + ": bad data_offsets [" + begin + ", " + end + "]");
        }
        if (end > dataLength) {
            throw new ModelFormatException(where + " needs data bytes [" + begin + ", " + end + ") but the file's"
                    + " data section has only " + dataLength + " bytes (truncated file?)");
        }
        long elements;
        try {
            elements = SafeTensor.elementCount(shape);
        } catch (ArithmeticException e) {
            elements = Long.MAX_VALUE;
        }
        if (elements > MAX_TENSOR_ELEMENTS) {
            throw new ModelFormatException(where + ": shape " + Arrays.toString(shape) + " has more than "
                    + MAX_TENSOR_ELEMENTS + " elements (the limit for one tensor)");
        }
        long expected = elements * dtype.width();
        if (end - begin != expected) {
            throw new ModelFormatException(where + ": shape " + Arrays.toString(shape) + " of " + dtype + " needs "
                    + expected + " bytes but data_offsets span " + (end - begin));
        }
        return new Entry(name, dtype, shape, begin, end);
    }
}
