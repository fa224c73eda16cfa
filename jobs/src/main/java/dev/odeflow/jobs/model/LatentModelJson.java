package dev.odeflow.jobs.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.odeflow.driver.conf.ModelKind;
import dev.odeflow.driver.conf.TrainKey;
import dev.odeflow.kernels.dynamics.Activation;
import dev.odeflow.kernels.latent.LatentArchitecture;
import dev.odeflow.kernels.latent.LatentDynamics;
import dev.odeflow.kernels.latent.LatentOdeModel;
import dev.odeflow.kernels.model.CnfSettings;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The model directory of a latent ODE ({@code model.kind = latent_ode}): {@code model.json} with
 * {@code "format": "odeflow-latent"}, {@code "kind": "latent_ode"} and the settings under their job-file keys
 * ({@link SeriesModelJson}), and {@code weights.safetensors} under PyTorch's names ({@code encoder.gru.weight_ih},
 * {@code encoder.h2o.0.weight}, {@code func.net.0.weight} or {@code rnn.weight_ih}, {@code decoder.0.weight}, ...).
 * docs/model-format.md documents it.
 */
public final class LatentModelJson {

    public static final String FORMAT = "odeflow-latent";
    public static final int FORMAT_VERSION = 1;

    private static final List<TrainKey> MODEL_KEYS = List.of(TrainKey.MODEL_HIDDEN, TrainKey.MODEL_ACTIVATION,
            TrainKey.MODEL_LATENT, TrainKey.MODEL_ENCODER_HIDDEN, TrainKey.MODEL_DECODER_HIDDEN, TrainKey.MODEL_NOISE,
            TrainKey.MODEL_CONTEXT, TrainKey.MODEL_DYNAMICS);
    private static final Set<String> SETTINGS_KEYS = Stream.of(MODEL_KEYS, SeriesModelJson.SOLVER_KEYS,
            SeriesModelJson.LAYOUT_KEYS).flatMap(List::stream).map(TrainKey::key)
            .collect(Collectors.toUnmodifiableSet());

    private LatentModelJson() {
    }

    /** Both files of the model directory. */
    public static ModelDirectory.EncodedModel encode(SavedLatent saved, TensorDtype dtype) {
        LatentOdeModel m = saved.model();
        LatentArchitecture a = m.arch();
        ObjectNode root = SeriesModelJson.header(FORMAT, FORMAT_VERSION, ModelKind.LATENT_ODE, a.dim(),
                saved.columns());
        ObjectNode settings = (ObjectNode) root.get("settings");
        ints(settings.putArray(TrainKey.MODEL_HIDDEN.key()), a.fieldHidden());
        settings.put(TrainKey.MODEL_ACTIVATION.key(), a.activation().label());
        settings.put(TrainKey.MODEL_LATENT.key(), a.latent());
        settings.put(TrainKey.MODEL_ENCODER_HIDDEN.key(), a.encoderHidden());
        ints(settings.putArray(TrainKey.MODEL_DECODER_HIDDEN.key()), a.decoderHidden());
        settings.put(TrainKey.MODEL_NOISE.key(), m.noise());
        settings.put(TrainKey.MODEL_CONTEXT.key(), m.context());
        settings.put(TrainKey.MODEL_DYNAMICS.key(), a.dynamics().label());
        SeriesModelJson.putLayout(settings, saved.layout());
        SeriesModelJson.putSolvers(settings, m.train(), m.eval(), m.gradient(), m.adjoint());
        return new ModelDirectory.EncodedModel(SeriesModelJson.bytes(root, dtype),
                ModelDirectory.encodeWeights(a.layout(), saved.weights(), dtype));
    }

    private static void ints(ArrayNode a, int[] values) {
        for (int v : values) {
            a.add(v);
        }
    }

    /** Decodes and validates both files; {@code dir} names the directory in errors. */
    public static SavedLatent decode(ModelDirectory.EncodedModel files, String dir) throws ModelFormatException {
        SeriesModelJson.Header<LatentOdeModel> h = header(files.modelJson(), dir);
        String weights = dir + "/" + ModelDirectory.WEIGHTS;
        return h.withWeights(ModelDirectory.flatten(SafeTensors.decode(files.weights(), weights),
                h.model().arch().layout(), weights), SavedLatent::new);
    }

    /** Decodes and validates model.json; {@code dir} names the directory in errors. */
    static SeriesModelJson.Header<LatentOdeModel> header(byte[] modelJson, String dir) throws ModelFormatException {
        SeriesModelJson.Parsed p = SeriesModelJson.parse(modelJson, dir, FORMAT, FORMAT_VERSION, "a latent ODE",
                SETTINGS_KEYS);
        JsonFields r = p.r();
        JsonNode s = p.settings();
        try {
            CnfSettings solvers = p.solvers(SETTINGS_KEYS);
            LatentArchitecture arch = new LatentArchitecture(r.integer(p.root(), "dim"),
                    r.integer(s, TrainKey.MODEL_LATENT.key()), r.integer(s, TrainKey.MODEL_ENCODER_HIDDEN.key()),
                    r.ints(s, TrainKey.MODEL_HIDDEN.key()), r.ints(s, TrainKey.MODEL_DECODER_HIDDEN.key()),
                    Activation.parse(r.text(s, TrainKey.MODEL_ACTIVATION.key())),
                    LatentDynamics.parse(r.text(s, TrainKey.MODEL_DYNAMICS.key())));
            LatentOdeModel model = new LatentOdeModel(arch, r.number(s, TrainKey.MODEL_NOISE.key()),
                    r.number(s, TrainKey.MODEL_CONTEXT.key()), solvers.train(), solvers.eval(), solvers.gradient(),
                    solvers.adjoint());
            return new SeriesModelJson.Header<>(model, p.columns(), p.layout(), p.source());
        } catch (IllegalArgumentException e) { // a ConfigException too
            throw new ModelFormatException(p.source() + ": " + e.getMessage(), e);
        }
    }
}
