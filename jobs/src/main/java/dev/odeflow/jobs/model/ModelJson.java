package dev.odeflow.jobs.model;

import dev.odeflow.driver.data.Standardization;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.odeflow.kernels.backend.BackendKind;
import dev.odeflow.kernels.trace.Divergence;
import dev.odeflow.kernels.dynamics.Activation;
import dev.odeflow.kernels.dynamics.LayerKind;
import dev.odeflow.kernels.gradient.AdjointOptions;
import dev.odeflow.kernels.gradient.GradientMethod;
import dev.odeflow.kernels.dynamics.CnfArchitecture;
import dev.odeflow.kernels.model.CnfModel;
import dev.odeflow.kernels.model.CnfSettings;
import dev.odeflow.kernels.solver.ErrorNorm;
import dev.odeflow.kernels.solver.Method;
import dev.odeflow.kernels.solver.SolverConfig;
import dev.odeflow.kernels.solver.StepMode;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code model.json}: everything about a saved flow except its weights. The layout is documented in
 * docs/model-format.md; {@link #FORMAT_VERSION} changes whenever a reader of the old version could misread it.
 * A single CNF block is written as format version 1, exactly as before chains existed; a chain of K ≥ 2 blocks
 * as version {@link #CHAIN_FORMAT_VERSION}, which adds {@code architecture.blocks} and {@code end_times}, so a
 * reader that knows only version 1 refuses it instead of misreading it.
 */
public final class ModelJson {

    public static final String FORMAT = "odeflow-cnf";
    public static final int FORMAT_VERSION = 1;
    /** The version of a chain of CNF blocks. */
    public static final int CHAIN_FORMAT_VERSION = 2;
    public static final String WEIGHTS_FILE = "weights.safetensors";

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

        /** The total time Σ_k T_k, written as {@code end_time}. */
        public double endTime() {
            double t = 0;
            for (double x : endTimes) {
                t += x;
            }
            return t;
        }
    }

    public static byte[] encode(Header h) {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        boolean chain = h.blocks() > 1;
        root.put("format_version", chain ? CHAIN_FORMAT_VERSION : FORMAT_VERSION);
        ObjectNode arch = root.putObject("architecture");
        arch.put("dim", h.architecture().dim());
        ints(arch.putArray("hidden"), h.architecture().hidden());
        arch.put("layer", h.architecture().layer().label());
        arch.put("activation", h.architecture().activation().label());
        if (chain) {
            arch.put("blocks", h.blocks());
        }
        root.put("end_time", h.endTime());
        if (chain) {
            doubles(root.putArray("end_times"), h.endTimes());
        }
        ObjectNode std = root.putObject("standardization");
        doubles(std.putArray("mean"), h.scaling().mean());
        doubles(std.putArray("std"), h.scaling().std());
        ArrayNode cols = root.putArray("columns");
        h.columns().forEach(cols::add);
        CnfSettings s = h.settings();
        ObjectNode settings = root.putObject("settings");
        solver(settings.putObject("train_solver"), s.train());
        solver(settings.putObject("eval_solver"), s.eval());
        settings.put("gradient", s.gradient().label());
        ObjectNode adj = settings.putObject("adjoint");
        adj.put("rtol", s.adjoint().rtol());
        adj.put("atol", s.adjoint().atol());
        adj.put("seminorm", s.adjoint().seminorm());
        settings.put("divergence", s.divergence().label());
        settings.put("train_end_time", s.trainEndTime());
        settings.put("backend", s.backend().label());
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
        Reader r = new Reader(source);
        if (!FORMAT.equals(r.text(root, "format"))) {
            throw new ModelFormatException(source + ": format is '" + root.path("format").asText()
                    + "', expected '" + FORMAT + "'");
        }
        int version = r.integer(root, "format_version");
        if (version != FORMAT_VERSION && version != CHAIN_FORMAT_VERSION) {
            throw new ModelFormatException(source + ": format_version " + version + " is not supported (this odeflow"
                    + " reads versions " + FORMAT_VERSION + " and " + CHAIN_FORMAT_VERSION + ")");
        }
        try {
            JsonNode archNode = r.object(root, "architecture");
            CnfArchitecture arch = architecture(r, archNode);
            int blocks = version == FORMAT_VERSION ? 1 : r.integer(archNode, "blocks");
            if (version == CHAIN_FORMAT_VERSION && (blocks < 2 || blocks > CnfModel.MAX_BLOCKS)) {
                throw new ModelFormatException(source + ": architecture.blocks must be between 2 and "
                        + CnfModel.MAX_BLOCKS + " in format_version " + CHAIN_FORMAT_VERSION + ", got " + blocks);
            }
            double[] endTimes = version == FORMAT_VERSION ? new double[] {r.number(root, "end_time")}
                    : r.doubles(root, "end_times");
            if (endTimes.length != blocks) {
                throw new ModelFormatException(source + ": end_times has " + endTimes.length + " entries for "
                        + blocks + " blocks");
            }
            JsonNode st = r.object(root, "standardization");
            Standardization scaling = new Standardization(r.doubles(st, "mean"), r.doubles(st, "std"));
            List<String> columns = new ArrayList<>();
            for (JsonNode c : r.array(root, "columns")) {
                columns.add(c.asText());
            }
            JsonNode s = r.object(root, "settings");
            JsonNode adj = r.object(s, "adjoint");
            CnfSettings settings = new CnfSettings(solver(r, s, "train_solver"), solver(r, s, "eval_solver"),
                    GradientMethod.parse(r.text(s, "gradient")),
                    new AdjointOptions(r.number(adj, "rtol"), r.number(adj, "atol"), r.bool(adj, "seminorm")),
                    Divergence.parse(r.text(s, "divergence")), r.bool(s, "train_end_time"),
                    BackendKind.parse(r.text(s, "backend")));
            JsonNode w = r.object(root, "weights");
            if (!WEIGHTS_FILE.equals(r.text(w, "file"))) {
                throw new ModelFormatException(source + ": weights.file must be " + WEIGHTS_FILE);
            }
            return new Header(arch, blocks, settings, endTimes, scaling, columns,
                    TensorDtype.parse(r.text(w, "dtype")));
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(source + ": " + e.getMessage(), e);
        }
    }

    /** The architecture, checked against the size limits before anything is allocated for it. */
    private static CnfArchitecture architecture(Reader r, JsonNode a) throws ModelFormatException {
        int dim = r.integer(a, "dim");
        int[] hidden = r.ints(a, "hidden");
        LayerKind layer = LayerKind.parse(r.text(a, "layer"));
        Activation activation = Activation.parse(r.text(a, "activation"));
        try {
            return new CnfArchitecture(dim, hidden, layer, activation);
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(r.source + ": architecture: " + e.getMessage(), e);
        }
    }

    private static void solver(ObjectNode o, SolverConfig c) {
        o.put("method", c.method().label());
        o.put("mode", c.mode().name().toLowerCase(Locale.ROOT));
        switch (c.mode()) {
            case ADAPTIVE -> {
                o.put("rtol", c.rtol());
                o.put("atol", c.atol());
            }
            case FIXED_STEPS -> o.put("steps", c.steps());
            case FIXED_SIZE -> o.put("step_size", c.stepSize());
            case FIXED_GRID -> doubles(o.putArray("grid"), c.grid());
        }
        o.put("first_step", c.firstStep());
        o.put("min_step", c.minStep());
        o.put("max_steps", c.maxSteps());
        o.put("max_nfe", c.maxNfe());
        o.put("safety", c.safety());
        o.put("max_growth", c.maxGrowth());
        o.put("min_shrink", c.minShrink());
        if (c.norm().prefix() != Integer.MAX_VALUE) {
            o.put("norm_prefix", c.norm().prefix());
        }
        o.put("land_on_times", c.landOnTimes());
    }

    /** The solver in {@code settings.<field>}; an invalid one is an error naming the field. */
    private static SolverConfig solver(Reader r, JsonNode settings, String field) throws ModelFormatException {
        try {
            return solver(r, r.object(settings, field));
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(r.source + ": settings." + field + ": " + e.getMessage(), e);
        }
    }

    private static SolverConfig solver(Reader r, JsonNode o) throws ModelFormatException {
        StepMode mode;
        String m = r.text(o, "mode");
        try {
            mode = StepMode.valueOf(m.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(r.source + ": unknown solver mode '" + m
                    + "'; expected adaptive, fixed_steps, fixed_size or fixed_grid");
        }
        boolean adaptive = mode == StepMode.ADAPTIVE;
        return new SolverConfig(Method.parse(r.text(o, "method")), mode,
                adaptive ? r.number(o, "rtol") : 0, adaptive ? r.number(o, "atol") : 0,
                mode == StepMode.FIXED_STEPS ? r.integer(o, "steps") : 0,
                mode == StepMode.FIXED_SIZE ? r.number(o, "step_size") : 0,
                mode == StepMode.FIXED_GRID ? r.doubles(o, "grid") : null,
                o.path("first_step").asDouble(0), o.path("min_step").asDouble(0),
                r.optionalLong(o, "max_steps", SolverConfig.DEFAULT_MAX_STEPS),
                r.optionalLong(o, "max_nfe", SolverConfig.DEFAULT_MAX_NFE), o.path("safety").asDouble(0.9),
                o.path("max_growth").asDouble(10), o.path("min_shrink").asDouble(0.2),
                o.has("norm_prefix") ? new ErrorNorm(r.integer(o, "norm_prefix")) : ErrorNorm.RMS,
                o.path("land_on_times").asBoolean(false));
    }

    private static void ints(ArrayNode a, int[] v) {
        for (int x : v) {
            a.add(x);
        }
    }

    private static void doubles(ArrayNode a, double[] v) {
        for (double x : v) {
            a.add(x);
        }
    }

    /** Field access with errors that name the file and the field. */
    private record Reader(String source) {

        JsonNode field(JsonNode o, String name) throws ModelFormatException {
            JsonNode v = o.get(name);
            if (v == null || v.isNull()) {
                throw new ModelFormatException(source + ": missing field '" + name + "'");
            }
            return v;
        }

        JsonNode object(JsonNode o, String name) throws ModelFormatException {
            JsonNode v = field(o, name);
            if (!v.isObject()) {
                throw new ModelFormatException(source + ": field '" + name + "' must be an object");
            }
            return v;
        }

        JsonNode array(JsonNode o, String name) throws ModelFormatException {
            JsonNode v = field(o, name);
            if (!v.isArray()) {
                throw new ModelFormatException(source + ": field '" + name + "' must be an array");
            }
            return v;
        }

        String text(JsonNode o, String name) throws ModelFormatException {
            JsonNode v = field(o, name);
            if (!v.isTextual()) {
                throw new ModelFormatException(source + ": field '" + name + "' must be a string");
            }
            return v.asText();
        }

        double number(JsonNode o, String name) throws ModelFormatException {
            JsonNode v = field(o, name);
            if (!v.isNumber()) {
                throw new ModelFormatException(source + ": field '" + name + "' must be a number");
            }
            return v.asDouble();
        }

        int integer(JsonNode o, String name) throws ModelFormatException {
            JsonNode v = field(o, name);
            if (!v.isIntegralNumber() || !v.canConvertToInt()) {
                throw new ModelFormatException(source + ": field '" + name + "' must be an integer between "
                        + Integer.MIN_VALUE + " and " + Integer.MAX_VALUE + ", got " + v);
            }
            return v.asInt();
        }

        /** An optional integer field of long range; a fraction or a larger number is an error, not truncated. */
        long optionalLong(JsonNode o, String name, long absent) throws ModelFormatException {
            JsonNode v = o.get(name);
            if (v == null || v.isNull()) {
                return absent;
            }
            if (!v.isIntegralNumber() || !v.canConvertToLong()) {
                throw new ModelFormatException(source + ": field '" + name + "' must be an integer, got " + v);
            }
            return v.asLong();
        }

        boolean bool(JsonNode o, String name) throws ModelFormatException {
            JsonNode v = field(o, name);
            if (!v.isBoolean()) {
                throw new ModelFormatException(source + ": field '" + name + "' must be true or false");
            }
            return v.asBoolean();
        }

        int[] ints(JsonNode o, String name) throws ModelFormatException {
            JsonNode a = array(o, name);
            int[] v = new int[a.size()];
            for (int i = 0; i < v.length; i++) {
                if (!a.get(i).isIntegralNumber() || !a.get(i).canConvertToInt()) {
                    throw new ModelFormatException(source + ": field '" + name + "' must hold integers between "
                            + Integer.MIN_VALUE + " and " + Integer.MAX_VALUE + ", got " + a.get(i));
                }
                v[i] = a.get(i).asInt();
            }
            return v;
        }

        double[] doubles(JsonNode o, String name) throws ModelFormatException {
            JsonNode a = array(o, name);
            double[] v = new double[a.size()];
            for (int i = 0; i < v.length; i++) {
                if (!a.get(i).isNumber()) {
                    throw new ModelFormatException(source + ": field '" + name + "' must hold numbers");
                }
                v[i] = a.get(i).asDouble();
            }
            return v;
        }
    }
}
