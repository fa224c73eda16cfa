package dev.odeflow.jobs.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.odeflow.driver.conf.CnfSettingsKeys;
import dev.odeflow.driver.conf.JobConf;
import dev.odeflow.driver.conf.ModelKind;
import dev.odeflow.driver.conf.TrainKey;
import dev.odeflow.kernels.backend.BackendKind;
import dev.odeflow.kernels.dynamics.Activation;
import dev.odeflow.kernels.model.CnfSettings;
import dev.odeflow.kernels.trace.Divergence;
import dev.odeflow.kernels.trajectory.InputTransform;
import dev.odeflow.kernels.trajectory.MlpField;
import dev.odeflow.kernels.trajectory.TrajectoryLoss;
import dev.odeflow.kernels.trajectory.TrajectoryModel;

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
 * The model directory of a trajectory fit ({@code model.kind = trajectory}): {@code model.json} with
 * {@code "format": "odeflow-trajectory"}, {@code "kind": "trajectory"} and the settings under their job-file keys
 * (the solver, gradient and adjoint keys written and read by the code a CNF's use, {@link CnfSettingsKeys}), and
 * {@code weights.safetensors} under the field's PyTorch names ({@code net.0.weight}, ...). A CNF's model.json
 * ({@link ModelJson}, format 3) has no kind: absent means cnf. docs/model-format.md documents both.
 */
public final class TrajectoryModelJson {

    public static final String FORMAT = "odeflow-trajectory";
    public static final int FORMAT_VERSION = 1;

    /** The kernel settings a trajectory model uses: a CNF's without its trace, T and backend. */
    private static final List<TrainKey> SOLVER_KEYS = CnfSettingsKeys.KEYS.stream().filter(k -> k
            != TrainKey.MODEL_DIVERGENCE && k != TrainKey.MODEL_TRAIN_T && k != TrainKey.BACKEND).toList();
    private static final List<TrainKey> MODEL_KEYS = List.of(TrainKey.MODEL_HIDDEN, TrainKey.MODEL_ACTIVATION,
            TrainKey.MODEL_INPUT, TrainKey.MODEL_LOSS);
    /**
     * The series layout ({@link SeriesLayout}); written since {@code predict} exists, read as the training defaults
     * (series, t, no delay) where absent.
     */
    private static final List<TrainKey> LAYOUT_KEYS = List.of(TrainKey.DATA_SERIES, TrainKey.DATA_TIME,
            TrainKey.DATA_DELAY);
    private static final Set<String> SETTINGS_KEYS = Stream.of(MODEL_KEYS, SOLVER_KEYS, LAYOUT_KEYS)
            .flatMap(List::stream).map(TrainKey::key).collect(Collectors.toUnmodifiableSet());
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private TrajectoryModelJson() {
    }

    /** Both files of the model directory. */
    public static ModelDirectory.EncodedModel encode(SavedTrajectory t, TensorDtype dtype) {
        TrajectoryModel m = t.model();
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        root.put("format_version", FORMAT_VERSION);
        root.put("kind", ModelKind.TRAJECTORY.label());
        root.put("dim", m.dim());
        t.columns().forEach(root.putArray("columns")::add);
        ObjectNode settings = root.putObject("settings");
        ArrayNode hidden = settings.putArray(TrainKey.MODEL_HIDDEN.key());
        for (int h : m.field().hidden()) {
            hidden.add(h);
        }
        settings.put(TrainKey.MODEL_ACTIVATION.key(), m.field().activation().label());
        settings.put(TrainKey.MODEL_INPUT.key(), m.field().input().label());
        settings.put(TrainKey.MODEL_LOSS.key(), m.loss().label());
        settings.put(TrainKey.DATA_SERIES.key(), t.layout().seriesColumn());
        settings.put(TrainKey.DATA_TIME.key(), t.layout().timeColumn());
        settings.put(TrainKey.DATA_DELAY.key(), t.layout().delay());
        CnfSettings solvers = new CnfSettings(m.train(), m.eval(), m.gradient(), m.adjoint(), Divergence.EXACT, false,
                BackendKind.CPU);
        CnfSettingsKeys.write(solvers).forEach((k, v) -> {
            if (SOLVER_KEYS.contains(k)) {
                ModelJson.put(settings, k.key(), v);
            }
        });
        ObjectNode weights = root.putObject("weights");
        weights.put("file", ModelJson.WEIGHTS_FILE);
        weights.put("dtype", dtype.name());
        try {
            return new ModelDirectory.EncodedModel(JSON.writeValueAsBytes(root),
                    ModelDirectory.encodeWeights(m.field().layout(), t.weights(), dtype));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize model.json", e);
        }
    }

    /** Decodes and validates both files; {@code dir} names the directory in errors. */
    public static SavedTrajectory decode(ModelDirectory.EncodedModel files, String dir) throws ModelFormatException {
        Header h = header(files.modelJson(), dir);
        String weights = dir + "/" + ModelDirectory.WEIGHTS;
        return h.withWeights(ModelDirectory.flatten(SafeTensors.decode(files.weights(), weights),
                h.model().field().layout(), weights));
    }

    /**
     * model.json of a trajectory model, decoded: all but the weights' values.
     *
     * @param model   the field, loss and solvers
     * @param columns the model's columns
     * @param layout  the series layout
     * @param source  model.json's location, for errors
     */
    record Header(TrajectoryModel model, List<String> columns, SeriesLayout layout, String source) {

        /** The saved model with these weights (in the field's layout order). */
        SavedTrajectory withWeights(double[] w) throws ModelFormatException {
            try {
                return new SavedTrajectory(model, w, columns, layout);
            } catch (IllegalArgumentException e) {
                throw new ModelFormatException(source + ": " + e.getMessage(), e);
            }
        }
    }

    /** Decodes and validates model.json; {@code dir} names the directory in errors. */
    static Header header(byte[] modelJson, String dir) throws ModelFormatException {
        String source = dir + "/" + ModelDirectory.MODEL_JSON;
        JsonNode root;
        try {
            root = JSON.readTree(new String(modelJson, StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            throw new ModelFormatException(source + ": not valid JSON: " + e.getOriginalMessage(), e);
        }
        JsonFields r = new JsonFields(source);
        if (root != null && root.isObject() && ModelJson.FORMAT.equals(root.path("format").asText())) {
            throw new ModelFormatException(source + ": not a trajectory model but a CNF (format '" + ModelJson.FORMAT
                    + "'), which score and sample use; predict needs a model trained with model.kind = trajectory");
        }
        if (root == null || !root.isObject() || !FORMAT.equals(r.text(root, "format"))) {
            throw new ModelFormatException(source + ": not a trajectory model (format '" + FORMAT + "')");
        }
        int version = r.integer(root, "format_version");
        if (version != FORMAT_VERSION) {
            throw new ModelFormatException(source + ": format_version " + version + " is not supported (this odeflow"
                    + " reads version " + FORMAT_VERSION + ")");
        }
        JsonNode s = r.object(root, "settings");
        Map<String, String> values = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = s.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!SETTINGS_KEYS.contains(e.getKey())) {
                throw new ModelFormatException(source + ": unknown setting '" + e.getKey() + "'; the settings of a"
                        + " trajectory model are " + new java.util.TreeSet<>(SETTINGS_KEYS));
            }
            if (!e.getValue().isArray()) {
                values.put(e.getKey(), e.getValue().asText());
            }
        }
        List<String> columns = new ArrayList<>();
        for (JsonNode c : r.array(root, "columns")) {
            columns.add(c.asText());
        }
        try {
            CnfSettings solvers = CnfSettingsKeys.read(JobConf.of(source + " settings", values, SETTINGS_KEYS));
            MlpField field = new MlpField(r.integer(root, "dim"), r.ints(s, TrainKey.MODEL_HIDDEN.key()),
                    Activation.parse(r.text(s, TrainKey.MODEL_ACTIVATION.key())),
                    InputTransform.parse(r.text(s, TrainKey.MODEL_INPUT.key())));
            TrajectoryModel model = new TrajectoryModel(field,
                    TrajectoryLoss.parse(r.text(s, TrainKey.MODEL_LOSS.key())), solvers.train(), solvers.eval(),
                    solvers.gradient(), solvers.adjoint());
            int delay = s.has(TrainKey.DATA_DELAY.key()) ? r.integer(s, TrainKey.DATA_DELAY.key())
                    : SeriesLayout.DEFAULT.delay();
            SeriesLayout layout = new SeriesLayout(text(s, r, TrainKey.DATA_SERIES), text(s, r, TrainKey.DATA_TIME),
                    delay);
            layout.observedColumns(columns);
            return new Header(model, columns, layout, source);
        } catch (IllegalArgumentException e) { // a ConfigException too
            throw new ModelFormatException(source + ": " + e.getMessage(), e);
        }
    }

    /** A text setting, or its default where a model written before the setting was stored lacks it. */
    private static String text(JsonNode s, JsonFields r, TrainKey key) throws ModelFormatException {
        return s.has(key.key()) ? r.text(s, key.key()) : key.defaultValue();
    }
}
