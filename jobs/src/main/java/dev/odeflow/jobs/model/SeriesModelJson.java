package dev.odeflow.jobs.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.odeflow.driver.conf.CnfSettingsKeys;
import dev.odeflow.driver.conf.JobConf;
import dev.odeflow.driver.conf.ModelKind;
import dev.odeflow.driver.conf.TrainKey;
import dev.odeflow.kernels.backend.BackendKind;
import dev.odeflow.kernels.gradient.AdjointOptions;
import dev.odeflow.kernels.gradient.GradientMethod;
import dev.odeflow.kernels.model.CnfSettings;
import dev.odeflow.kernels.solver.SolverConfig;
import dev.odeflow.kernels.trace.Divergence;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the model.json of the time-series kinds share ({@link TrajectoryModelJson}, {@link LatentModelJson}; the
 * image classifier's, {@link ClassifierModelJson}, shares all but the columns and the series layout): the
 * header ({@code format}, {@code format_version}, {@code kind}, {@code dim}, {@code columns}), the settings under
 * their job-file keys (the series layout among them) with the solver, gradient and adjoint keys written and read by the code a CNF's use
 * ({@link CnfSettingsKeys}), and the weights entry.
 */
final class SeriesModelJson {

    /** The kernel settings a series model uses: a CNF's without its trace, T and backend. */
    static final List<TrainKey> SOLVER_KEYS = CnfSettingsKeys.KEYS.stream().filter(k -> k
            != TrainKey.MODEL_DIVERGENCE && k != TrainKey.MODEL_TRAIN_T && k != TrainKey.BACKEND).toList();
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private SeriesModelJson() {
    }

    /**
     * The series layout ({@link SeriesLayout}); written since {@code predict} exists, read as the training defaults
     * (series, t, no delay) where absent.
     */
    static final List<TrainKey> LAYOUT_KEYS = List.of(TrainKey.DATA_SERIES, TrainKey.DATA_TIME, TrainKey.DATA_DELAY);

    /** A parsed model.json: its settings (scalars by key; lists are read from {@code settings}) and columns. */
    record Parsed(JsonFields r, JsonNode root, JsonNode settings, Map<String, String> values, List<String> columns) {

        String source() {
            return r.source();
        }

        /** The solvers, gradient method and adjoint settings. */
        CnfSettings solvers(Set<String> keys) {
            return CnfSettingsKeys.read(JobConf.of(source() + " settings", values, keys));
        }

        /** The series layout, checked against the columns. */
        SeriesLayout layout() throws ModelFormatException {
            int delay = settings.has(TrainKey.DATA_DELAY.key()) ? r.integer(settings, TrainKey.DATA_DELAY.key())
                    : SeriesLayout.DEFAULT.delay();
            SeriesLayout layout = new SeriesLayout(text(TrainKey.DATA_SERIES), text(TrainKey.DATA_TIME), delay);
            layout.observedColumns(columns);
            return layout;
        }

        /** A text setting, or its default where a model written before the setting was stored lacks it. */
        private String text(TrainKey key) throws ModelFormatException {
            return settings.has(key.key()) ? r.text(settings, key.key()) : key.defaultValue();
        }
    }

    /**
     * A decoded model.json of a series kind: all but the weights' values.
     *
     * @param model   the kernel model
     * @param columns the model's columns
     * @param layout  the series layout
     * @param source  model.json's location, for errors
     * @param <M>     the kernel model's type
     */
    record Header<M>(M model, List<String> columns, SeriesLayout layout, String source) {

        /** The saved model {@code make} builds with these weights; its refusal is a format error. */
        <S> S withWeights(double[] w, SavedMaker<M, S> make) throws ModelFormatException {
            try {
                return make.of(model, w, columns, layout);
            } catch (IllegalArgumentException e) {
                throw new ModelFormatException(source + ": " + e.getMessage(), e);
            }
        }
    }

    /** A saved model's constructor. */
    @FunctionalInterface
    interface SavedMaker<M, S> {
        S of(M model, double[] weights, List<String> columns, SeriesLayout layout);
    }

    /** Writes the series layout into {@code settings}. */
    static void putLayout(ObjectNode settings, SeriesLayout layout) {
        settings.put(TrainKey.DATA_SERIES.key(), layout.seriesColumn());
        settings.put(TrainKey.DATA_TIME.key(), layout.timeColumn());
        settings.put(TrainKey.DATA_DELAY.key(), layout.delay());
    }

    /** The header; the caller adds its settings to the returned root's {@code settings} object. */
    static ObjectNode header(String format, int version, ModelKind kind, int dim, List<String> columns) {
        ObjectNode root = root(format, version, kind);
        root.put("dim", dim);
        columns.forEach(root.putArray("columns")::add);
        root.putObject("settings");
        return root;
    }

    /** A model.json's first fields: format, format_version and kind. */
    static ObjectNode root(String format, int version, ModelKind kind) {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", format);
        root.put("format_version", version);
        root.put("kind", kind.label());
        return root;
    }

    /** Writes the solver, gradient and adjoint keys into {@code settings}. */
    static void putSolvers(ObjectNode settings, SolverConfig train, SolverConfig eval, GradientMethod gradient,
                           AdjointOptions adjoint) {
        CnfSettings solvers = new CnfSettings(train, eval, gradient, adjoint, Divergence.EXACT, false, BackendKind.CPU);
        CnfSettingsKeys.write(solvers).forEach((k, v) -> {
            if (SOLVER_KEYS.contains(k)) {
                ModelJson.put(settings, k.key(), v);
            }
        });
    }

    /** model.json's bytes with the weights entry added. */
    static byte[] bytes(ObjectNode root, TensorDtype dtype) {
        ObjectNode weights = root.putObject("weights");
        weights.put("file", ModelJson.WEIGHTS_FILE);
        weights.put("dtype", dtype.name());
        try {
            return JSON.writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize model.json", e);
        }
    }

    /** Parses and checks format, version, settings keys and columns; {@code what} names the kind in errors. */
    static Parsed parse(byte[] json, String dir, String format, int version, String what, Set<String> keys)
            throws ModelFormatException {
        Parsed p = parseSettings(json, dir, format, version, what, keys, "predict needs a model trained with"
                + " model.kind = trajectory or latent_ode");
        List<String> columns = new ArrayList<>();
        for (JsonNode c : p.r().array(p.root(), "columns")) {
            columns.add(c.asText());
        }
        return new Parsed(p.r(), p.root(), p.settings(), p.values(), columns);
    }

    /**
     * Parses and checks format, version and settings keys (no columns); {@code what} names the kind in errors and
     * {@code needs} what the command that reads it needs, when the file is a CNF's.
     */
    static Parsed parseSettings(byte[] json, String dir, String format, int version, String what, Set<String> keys,
                                String needs) throws ModelFormatException {
        String source = dir + "/" + ModelDirectory.MODEL_JSON;
        JsonNode root;
        try {
            root = JSON.readTree(new String(json, StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            throw new ModelFormatException(source + ": not valid JSON: " + e.getOriginalMessage(), e);
        }
        JsonFields r = new JsonFields(source);
        if (root != null && root.isObject() && ModelJson.FORMAT.equals(root.path("format").asText())) {
            throw new ModelFormatException(source + ": not " + what + " but a CNF (format '" + ModelJson.FORMAT
                    + "'), which score and sample use; " + needs);
        }
        if (root == null || !root.isObject() || !format.equals(r.text(root, "format"))) {
            boolean classifier = root != null && ClassifierModelJson.FORMAT.equals(root.path("format").asText());
            throw new ModelFormatException(source + ": not " + what + " (format '" + format + "')"
                    + (classifier ? " but an image classifier ('" + ClassifierModelJson.FORMAT + "'), which"
                    + " odeflow classify uses" : ""));
        }
        int v = r.integer(root, "format_version");
        if (v != version) {
            throw new ModelFormatException(source + ": format_version " + v + " is not supported (this odeflow"
                    + " reads version " + version + ")");
        }
        JsonNode s = r.object(root, "settings");
        Map<String, String> values = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = s.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!keys.contains(e.getKey())) {
                throw new ModelFormatException(source + ": unknown setting '" + e.getKey() + "'; the settings of "
                        + what + " are " + new java.util.TreeSet<>(keys));
            }
            if (!e.getValue().isArray()) {
                values.put(e.getKey(), e.getValue().asText());
            }
        }
        return new Parsed(r, root, s, values, List.of());
    }
}
