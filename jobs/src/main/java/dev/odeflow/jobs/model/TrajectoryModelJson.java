package dev.odeflow.jobs.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.odeflow.driver.conf.ModelKind;
import dev.odeflow.driver.conf.TrainKey;
import dev.odeflow.kernels.dynamics.Activation;
import dev.odeflow.kernels.model.CnfSettings;
import dev.odeflow.kernels.trajectory.InputTransform;
import dev.odeflow.kernels.trajectory.MlpField;
import dev.odeflow.kernels.trajectory.TrajectoryLoss;
import dev.odeflow.kernels.trajectory.TrajectoryModel;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The model directory of a trajectory fit ({@code model.kind = trajectory}): {@code model.json} with
 * {@code "format": "odeflow-trajectory"}, {@code "kind": "trajectory"} and the settings under their job-file keys
 * ({@link SeriesModelJson}), and {@code weights.safetensors} under the field's PyTorch names ({@code net.0.weight},
 * ...). A CNF's model.json ({@link ModelJson}, format 3) has no kind: absent means cnf. docs/model-format.md
 * documents both.
 */
public final class TrajectoryModelJson {

    public static final String FORMAT = "odeflow-trajectory";
    public static final int FORMAT_VERSION = 1;

    private static final List<TrainKey> MODEL_KEYS = List.of(TrainKey.MODEL_HIDDEN, TrainKey.MODEL_ACTIVATION,
            TrainKey.MODEL_INPUT, TrainKey.MODEL_LOSS);
    private static final Set<String> SETTINGS_KEYS = Stream.of(MODEL_KEYS, SeriesModelJson.SOLVER_KEYS,
            SeriesModelJson.LAYOUT_KEYS).flatMap(List::stream).map(TrainKey::key)
            .collect(Collectors.toUnmodifiableSet());

    private TrajectoryModelJson() {
    }

    /** Both files of the model directory. */
    public static ModelDirectory.EncodedModel encode(SavedTrajectory t, TensorDtype dtype) {
        TrajectoryModel m = t.model();
        ObjectNode root = SeriesModelJson.header(FORMAT, FORMAT_VERSION, ModelKind.TRAJECTORY, m.dim(), t.columns());
        ObjectNode settings = (ObjectNode) root.get("settings");
        ArrayNode hidden = settings.putArray(TrainKey.MODEL_HIDDEN.key());
        for (int h : m.field().hidden()) {
            hidden.add(h);
        }
        settings.put(TrainKey.MODEL_ACTIVATION.key(), m.field().activation().label());
        settings.put(TrainKey.MODEL_INPUT.key(), m.field().input().label());
        settings.put(TrainKey.MODEL_LOSS.key(), m.loss().label());
        SeriesModelJson.putLayout(settings, t.layout());
        SeriesModelJson.putSolvers(settings, m.train(), m.eval(), m.gradient(), m.adjoint());
        return new ModelDirectory.EncodedModel(SeriesModelJson.bytes(root, dtype),
                ModelDirectory.encodeWeights(m.field().layout(), t.weights(), dtype));
    }

    /** Decodes and validates both files; {@code dir} names the directory in errors. */
    public static SavedTrajectory decode(ModelDirectory.EncodedModel files, String dir) throws ModelFormatException {
        SeriesModelJson.Header<TrajectoryModel> h = header(files.modelJson(), dir);
        String weights = dir + "/" + ModelDirectory.WEIGHTS;
        return h.withWeights(ModelDirectory.flatten(SafeTensors.decode(files.weights(), weights),
                h.model().field().layout(), weights), SavedTrajectory::new);
    }

    /** Decodes and validates model.json; {@code dir} names the directory in errors. */
    static SeriesModelJson.Header<TrajectoryModel> header(byte[] modelJson, String dir) throws ModelFormatException {
        SeriesModelJson.Parsed p = SeriesModelJson.parse(modelJson, dir, FORMAT, FORMAT_VERSION,
                "a trajectory model", SETTINGS_KEYS);
        JsonFields r = p.r();
        JsonNode s = p.settings();
        try {
            CnfSettings solvers = p.solvers(SETTINGS_KEYS);
            MlpField field = new MlpField(r.integer(p.root(), "dim"), r.ints(s, TrainKey.MODEL_HIDDEN.key()),
                    Activation.parse(r.text(s, TrainKey.MODEL_ACTIVATION.key())),
                    InputTransform.parse(r.text(s, TrainKey.MODEL_INPUT.key())));
            TrajectoryModel model = new TrajectoryModel(field,
                    TrajectoryLoss.parse(r.text(s, TrainKey.MODEL_LOSS.key())), solvers.train(), solvers.eval(),
                    solvers.gradient(), solvers.adjoint());
            return new SeriesModelJson.Header<>(model, p.columns(), p.layout(), p.source());
        } catch (IllegalArgumentException e) { // a ConfigException too
            throw new ModelFormatException(p.source() + ": " + e.getMessage(), e);
        }
    }
}
