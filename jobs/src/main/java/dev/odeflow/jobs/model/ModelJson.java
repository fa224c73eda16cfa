package dev.odeflow.jobs.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.odeflow.driver.conf.CnfSettingsKeys;
import dev.odeflow.driver.conf.ConfigException;
import dev.odeflow.driver.conf.JobConf;
import dev.odeflow.driver.conf.TrainKey;
import dev.odeflow.driver.data.Standardization;
import dev.odeflow.kernels.dynamics.Activation;
import dev.odeflow.kernels.dynamics.CnfArchitecture;
import dev.odeflow.kernels.dynamics.LayerKind;
import dev.odeflow.kernels.dynamics.Precision;
import dev.odeflow.kernels.model.CnfModel;
import dev.odeflow.kernels.model.CnfSettings;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * {@code model.json}: everything about a saved flow except its weights. The layout is documented in
 * docs/model-format.md. Version {@link #FORMAT_VERSION} writes every setting under its job-file key
 * ({@link TrainKey}: {@code model.hidden}, {@code solver.rtol}, ...), read back by the same code that reads job
 * files ({@link CnfSettingsKeys}); versions 1 and 2, written before, are still read ({@link LegacyModelJson}).
 * The version changes whenever a reader of the old version could misread the file.
 */
public final class ModelJson {

    public static final String FORMAT = "odeflow-cnf";
    public static final int FORMAT_VERSION = 3;
    public static final String WEIGHTS_FILE = "weights.safetensors";

    /** The architecture keys of {@code settings}, besides {@link CnfSettingsKeys#KEYS}. */
    private static final List<TrainKey> ARCHITECTURE_KEYS = List.of(TrainKey.MODEL_LAYER, TrainKey.MODEL_HIDDEN,
            TrainKey.MODEL_ACTIVATION, TrainKey.MODEL_PRECISION, TrainKey.MODEL_BLOCKS);
    private static final Set<String> SETTINGS_KEYS = Stream.concat(ARCHITECTURE_KEYS.stream(),
            CnfSettingsKeys.KEYS.stream()).map(TrainKey::key).collect(Collectors.toUnmodifiableSet());

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ModelJson() {
    }

    /**
     * What model.json holds besides the weights' values.
     *
     * @param architecture each block's dynamics
     * @param blocks       number of CNF blocks K
     * @param endTimes     T_k of each block (informational: checked against the weights on load)
     */
    public record Header(CnfArchitecture architecture, int blocks, CnfSettings settings, double[] endTimes,
                         Standardization scaling, List<String> columns, TensorDtype weightsDtype) {

        public Header {
            columns = List.copyOf(columns);
            endTimes = endTimes.clone();
            if (blocks < 1 || endTimes.length != blocks) {
                throw new IllegalArgumentException(blocks + " blocks need as many end times, got " + endTimes.length);
            }
        }

        @Override
        public double[] endTimes() {
            return endTimes.clone();
        }
    }

    public static byte[] encode(Header h) {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        root.put("format_version", FORMAT_VERSION);
        root.put("dim", h.architecture().dim());
        h.columns().forEach(root.putArray("columns")::add);
        ObjectNode std = root.putObject("standardization");
        doubles(std.putArray("mean"), h.scaling().mean());
        doubles(std.putArray("std"), h.scaling().std());
        doubles(root.putArray("end_times"), h.endTimes());
        ObjectNode settings = root.putObject("settings");
        settings.put(TrainKey.MODEL_LAYER.key(), h.architecture().layer().label());
        ArrayNode hidden = settings.putArray(TrainKey.MODEL_HIDDEN.key());
        for (int w : h.architecture().hidden()) {
            hidden.add(w);
        }
        settings.put(TrainKey.MODEL_ACTIVATION.key(), h.architecture().activation().label());
        settings.put(TrainKey.MODEL_PRECISION.key(), h.architecture().precision().label());
        settings.put(TrainKey.MODEL_BLOCKS.key(), h.blocks());
        CnfSettingsKeys.write(h.settings()).forEach((k, v) -> put(settings, k.key(), v));
        ObjectNode weights = root.putObject("weights");
        weights.put("file", WEIGHTS_FILE);
        weights.put("dtype", h.weightsDtype().name());
        try {
            return JSON.writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize model.json", e);
        }
    }

    /** Parses model.json; {@code source} names the file in errors. */
    public static Header decode(byte[] bytes, String source) throws ModelFormatException {
        JsonNode root;
        try {
            root = JSON.readTree(new String(bytes, StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            throw new ModelFormatException(source + ": not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new ModelFormatException(source + ": expected a JSON object");
        }
        JsonFields r = new JsonFields(source);
        if (!FORMAT.equals(r.text(root, "format"))) {
            String format = root.path("format").asText();
            throw new ModelFormatException(source + ": format is '" + format + "', expected '" + FORMAT + "'"
                    + (TrajectoryModelJson.FORMAT.equals(format) ? "; this is a trajectory model (model.kind ="
                    + " trajectory): use it with odeflow predict" : "")
                    + (ClassifierModelJson.FORMAT.equals(format) ? "; this is an image classifier (model.kind ="
                    + " classifier): use it with odeflow classify" : ""));
        }
        int version = r.integer(root, "format_version");
        try {
            return switch (version) {
                case FORMAT_VERSION -> decodeCurrent(root, r);
                case LegacyModelJson.SINGLE_VERSION, LegacyModelJson.CHAIN_VERSION ->
                        LegacyModelJson.decode(root, version, r);
                default -> throw new ModelFormatException(source + ": format_version " + version + " is not supported"
                        + " (this odeflow reads versions " + LegacyModelJson.SINGLE_VERSION + " to " + FORMAT_VERSION
                        + ")");
            };
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(source + ": " + e.getMessage(), e);
        }
    }

    private static Header decodeCurrent(JsonNode root, JsonFields r) throws ModelFormatException {
        JsonNode s = r.object(root, "settings");
        Map<String, String> values = settingsText(s, r);
        JobConf conf = JobConf.of(r.source() + " settings", values, SETTINGS_KEYS);
        int blocks = r.integer(s, TrainKey.MODEL_BLOCKS.key());
        if (blocks < 1 || blocks > CnfModel.MAX_BLOCKS) {
            throw new ModelFormatException(r.source() + ": " + TrainKey.MODEL_BLOCKS.key() + " must be between 1 and "
                    + CnfModel.MAX_BLOCKS + ", got " + blocks);
        }
        CnfArchitecture arch;
        try {
            arch = new CnfArchitecture(r.integer(root, "dim"), r.ints(s, TrainKey.MODEL_HIDDEN.key()),
                    LayerKind.parse(r.text(s, TrainKey.MODEL_LAYER.key())),
                    Activation.parse(r.text(s, TrainKey.MODEL_ACTIVATION.key())), precision(s, r));
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(r.source() + ": architecture: " + e.getMessage(), e);
        }
        CnfSettings settings;
        try {
            settings = CnfSettingsKeys.read(conf);
        } catch (ConfigException e) {
            throw new ModelFormatException(e.getMessage(), e);
        }
        JsonNode st = r.object(root, "standardization");
        Standardization scaling = new Standardization(r.doubles(st, "mean"), r.doubles(st, "std"));
        List<String> columns = new ArrayList<>();
        for (JsonNode c : r.array(root, "columns")) {
            columns.add(c.asText());
        }
        return header(r, root, arch, blocks, settings, r.doubles(root, "end_times"), scaling, columns);
    }

    /**
     * {@code model.precision}: written by every writer since it existed; absent in the format-3 files written
     * before, which all trained in double, so absent reads as {@link Precision#FLOAT64}.
     */
    private static Precision precision(JsonNode s, JsonFields r) throws ModelFormatException {
        return s.has(TrainKey.MODEL_PRECISION.key())
                ? Precision.parse(r.text(s, TrainKey.MODEL_PRECISION.key())) : Precision.FLOAT64;
    }

    /**
     * The settings' values as job-file text, each checked against its key's {@link dev.odeflow.driver.conf.ValueType}.
     * Every key the writer writes must be there (the tolerances of a fixed-step solver excepted), so that a
     * default that changes in a later version never changes how a saved model reads; keys added to format 3 later
     * ({@link CnfSettingsKeys#ADDED_LATER}: the regularizers' weights, off in every model written before) may be
     * absent and read as their defaults.
     */
    private static Map<String, String> settingsText(JsonNode s, JsonFields r) throws ModelFormatException {
        Map<String, String> values = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = s.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            TrainKey key = TrainKey.of(e.getKey()).filter(k -> SETTINGS_KEYS.contains(k.key()))
                    .orElseThrow(() -> new ModelFormatException(r.source() + ": unknown setting '" + e.getKey()
                            + "'; model.json settings are " + new java.util.TreeSet<>(SETTINGS_KEYS)));
            if (key == TrainKey.MODEL_HIDDEN) {
                continue; // an array, read by the architecture
            }
            JsonNode v = e.getValue();
            boolean typed = switch (key.type()) {
                case TEXT -> v.isTextual();
                case INTEGER, LONG -> v.isIntegralNumber();
                case NUMBER -> v.isNumber();
                case BOOLEAN -> v.isBoolean();
                case LIST -> v.isArray();
            };
            if (!typed) {
                throw new ModelFormatException(r.source() + ": setting '" + key.key() + "' must be "
                        + key.type().expected() + ", got " + v);
            }
            values.put(key.key(), v.asText());
        }
        for (TrainKey k : CnfSettingsKeys.KEYS) {
            boolean toleranceOfFixedSolver = (k == TrainKey.SOLVER_RTOL || k == TrainKey.SOLVER_ATOL)
                    && fixed(values, TrainKey.SOLVER_STEPS) || (k == TrainKey.EVAL_RTOL || k == TrainKey.EVAL_ATOL)
                    && fixed(values, TrainKey.EVAL_STEPS);
            if (!values.containsKey(k.key()) && !toleranceOfFixedSolver && !CnfSettingsKeys.ADDED_LATER.contains(k)) {
                throw new ModelFormatException(r.source() + ": missing setting '" + k.key() + "'");
            }
        }
        return values;
    }

    private static boolean fixed(Map<String, String> values, TrainKey steps) {
        String v = values.get(steps.key());
        return v != null && !v.strip().equals("0");
    }

    /** The header, with the checks every version shares. */
    static Header header(JsonFields r, JsonNode root, CnfArchitecture arch, int blocks, CnfSettings settings,
                         double[] endTimes, Standardization scaling, List<String> columns)
            throws ModelFormatException {
        if (endTimes.length != blocks) {
            throw new ModelFormatException(r.source() + ": end_times has " + endTimes.length + " entries for "
                    + blocks + " blocks");
        }
        JsonNode w = r.object(root, "weights");
        if (!WEIGHTS_FILE.equals(r.text(w, "file"))) {
            throw new ModelFormatException(r.source() + ": weights.file must be " + WEIGHTS_FILE);
        }
        return new Header(arch, blocks, settings, endTimes, scaling, columns, TensorDtype.parse(r.text(w, "dtype")));
    }

    static void put(ObjectNode o, String key, Object v) {
        if (v instanceof String s) {
            o.put(key, s);
        } else if (v instanceof Integer i) {
            o.put(key, i);
        } else if (v instanceof Long l) {
            o.put(key, l);
        } else if (v instanceof Double d) {
            o.put(key, d);
        } else if (v instanceof Boolean b) {
            o.put(key, b);
        } else {
            throw new IllegalArgumentException("setting " + key + " has an untyped value " + v);
        }
    }

    private static void doubles(ArrayNode a, double[] v) {
        for (double x : v) {
            a.add(x);
        }
    }
}
