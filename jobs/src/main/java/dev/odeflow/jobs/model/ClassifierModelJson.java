package dev.odeflow.jobs.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.odeflow.driver.conf.ClassifierOptions;
import dev.odeflow.driver.conf.ModelKind;
import dev.odeflow.driver.conf.TrainKey;
import dev.odeflow.kernels.classifier.ClassifierArchitecture;
import dev.odeflow.kernels.classifier.ClassifierBlock;
import dev.odeflow.kernels.classifier.ClassifierModel;
import dev.odeflow.kernels.dynamics.Precision;
import dev.odeflow.kernels.model.CnfSettings;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The model directory of an image classifier ({@code model.kind = classifier}): {@code model.json} with
 * {@code "format": "odeflow-classifier"}, {@code "kind": "classifier"}, the parameter count and the settings under
 * their job-file keys (the network: {@code model.block}, {@code model.channels}, {@code model.hidden},
 * {@code model.classes}, {@code model.T}, {@code model.precision} (training's products; absent in files written
 * before it existed: float64); the images: {@code data.image}, {@code data.label},
 * {@code data.pixels}; the solvers as the series kinds write them, {@link SeriesModelJson}), and
 * {@code weights.safetensors} under the names PyTorch gives odenet_mnist.py's modules. docs/model-format.md
 * documents it.
 */
public final class ClassifierModelJson {

    public static final String FORMAT = "odeflow-classifier";
    public static final int FORMAT_VERSION = 1;

    private static final List<TrainKey> MODEL_KEYS = List.of(TrainKey.MODEL_BLOCK, TrainKey.MODEL_CHANNELS,
            TrainKey.MODEL_HIDDEN, TrainKey.MODEL_CLASSES, TrainKey.MODEL_T, TrainKey.MODEL_PRECISION, TrainKey.DATA_IMAGE, TrainKey.DATA_LABEL,
            TrainKey.DATA_PIXELS);
    private static final Set<String> SETTINGS_KEYS = Stream.of(MODEL_KEYS, SeriesModelJson.SOLVER_KEYS)
            .flatMap(List::stream).map(TrainKey::key).collect(Collectors.toUnmodifiableSet());

    private ClassifierModelJson() {
    }

    /** Both files of the model directory. */
    public static ModelDirectory.EncodedModel encode(SavedClassifier saved, TensorDtype dtype) {
        ClassifierModel m = saved.model();
        ClassifierArchitecture a = m.arch();
        ObjectNode root = SeriesModelJson.root(FORMAT, FORMAT_VERSION, ModelKind.CLASSIFIER);
        root.put("parameters", m.parameterCount());
        ObjectNode settings = root.putObject("settings");
        settings.put(TrainKey.MODEL_BLOCK.key(), a.block().label());
        settings.put(TrainKey.MODEL_CHANNELS.key(), a.channels());
        settings.putArray(TrainKey.MODEL_HIDDEN.key()).add(a.hidden());
        settings.put(TrainKey.MODEL_CLASSES.key(), a.classes());
        settings.put(TrainKey.MODEL_T.key(), a.endTime());
        settings.put(TrainKey.MODEL_PRECISION.key(), a.precision().label());
        settings.put(TrainKey.DATA_IMAGE.key(), ClassifierOptions.imageText(a.input()));
        settings.put(TrainKey.DATA_LABEL.key(), saved.labelColumn());
        settings.put(TrainKey.DATA_PIXELS.key(), saved.pixelsColumn());
        SeriesModelJson.putSolvers(settings, m.train(), m.eval(), m.gradient(), m.adjoint());
        return new ModelDirectory.EncodedModel(SeriesModelJson.bytes(root, dtype),
                ModelDirectory.encodeWeights(m.layout(), saved.weights(), dtype));
    }

    /** Decodes and validates both files; {@code dir} names the directory in errors. */
    public static SavedClassifier decode(ModelDirectory.EncodedModel files, String dir) throws ModelFormatException {
        Header h = header(files.modelJson(), dir);
        String weights = dir + "/" + ModelDirectory.WEIGHTS;
        return h.withWeights(ModelDirectory.flatten(SafeTensors.decode(files.weights(), weights),
                h.model().layout(), weights));
    }

    /**
     * A decoded model.json: all but the weights' values.
     *
     * @param model        the classifier
     * @param labelColumn  data.label
     * @param pixelsColumn data.pixels
     * @param source       model.json's location, for errors
     */
    record Header(ClassifierModel model, String labelColumn, String pixelsColumn, String source) {

        /** The saved classifier with these weights; a refusal is a format error. */
        SavedClassifier withWeights(double[] w) throws ModelFormatException {
            try {
                return new SavedClassifier(model, w, labelColumn, pixelsColumn);
            } catch (IllegalArgumentException e) {
                throw new ModelFormatException(source + ": " + e.getMessage(), e);
            }
        }
    }

    /** Decodes and validates model.json; {@code dir} names the directory in errors. */
    static Header header(byte[] modelJson, String dir) throws ModelFormatException {
        SeriesModelJson.Parsed p = SeriesModelJson.parseSettings(modelJson, dir, FORMAT, FORMAT_VERSION,
                "an image classifier", SETTINGS_KEYS, "classify needs a model trained with model.kind = classifier");
        JsonFields r = p.r();
        JsonNode s = p.settings();
        try {
            CnfSettings solvers = p.solvers(SETTINGS_KEYS);
            int[] hidden = r.ints(s, TrainKey.MODEL_HIDDEN.key());
            if (hidden.length != 1) {
                throw new IllegalArgumentException(TrainKey.MODEL_HIDDEN.key() + " must hold one width, got "
                        + java.util.Arrays.toString(hidden));
            }
            ClassifierArchitecture arch = new ClassifierArchitecture(
                    ClassifierBlock.parse(r.text(s, TrainKey.MODEL_BLOCK.key())),
                    ClassifierOptions.parseImage(r.text(s, TrainKey.DATA_IMAGE.key())),
                    r.integer(s, TrainKey.MODEL_CLASSES.key()), r.integer(s, TrainKey.MODEL_CHANNELS.key()),
                    hidden[0], r.number(s, TrainKey.MODEL_T.key()),
                    s.has(TrainKey.MODEL_PRECISION.key()) // written by every version since classifiers trained in float32
                            ? Precision.parse(r.text(s, TrainKey.MODEL_PRECISION.key())) : Precision.FLOAT64);
            ClassifierModel model = new ClassifierModel(arch, solvers.train(), solvers.eval(), solvers.gradient(),
                    solvers.adjoint());
            int declared = r.integer(p.root(), "parameters");
            if (declared != model.parameterCount()) {
                throw new IllegalArgumentException("parameters is " + declared + ", but the settings give a "
                        + arch.block().label() + " classifier of " + model.parameterCount());
            }
            return new Header(model, r.text(s, TrainKey.DATA_LABEL.key()), r.text(s, TrainKey.DATA_PIXELS.key()),
                    p.source());
        } catch (IllegalArgumentException e) { // a ConfigException too
            throw new ModelFormatException(p.source() + ": " + e.getMessage(), e);
        }
    }
}
