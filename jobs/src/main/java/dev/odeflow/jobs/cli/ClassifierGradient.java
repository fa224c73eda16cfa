package dev.odeflow.jobs.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.odeflow.driver.conf.TrainKey;
import dev.odeflow.driver.data.IdxFiles;
import dev.odeflow.driver.data.IdxImages;
import dev.odeflow.jobs.model.SavedClassifier;
import dev.odeflow.kernels.classifier.ClassifierModel;
import dev.odeflow.kernels.classifier.GradientStep;
import dev.odeflow.kernels.classifier.ImageBatch;
import dev.odeflow.kernels.dynamics.NamedTensor;
import dev.odeflow.kernels.dynamics.Precision;
import dev.odeflow.kernels.model.CnfSettings;
import org.apache.hadoop.conf.Configuration;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code grad} for an image classifier ({@code model.kind = classifier}): the mean softmax cross-entropy of the first
 * {@code --limit} labelled images of an IDX images file (its labels file beside it) or of a directory's training
 * files, and its gradient for every named tensor, computed in double with the model's training solver and gradient
 * method, or with the solver overrides ({@link SolverOverrides#KEYS} but the flow-only {@code model.divergence} and
 * {@code backend}). What an independent implementation (benchmarks/torch_classifier_parity.py) checks against.
 */
final class ClassifierGradient {

    /** Overrides a classifier's gradient does not read. */
    private static final Set<String> FLOW_ONLY = Set.of(TrainKey.MODEL_DIVERGENCE.key(), "divergence",
            TrainKey.BACKEND.key());

    private ClassifierGradient() {
    }

    static void run(CommandLine cl, SavedClassifier stored, String input, Configuration conf, java.io.PrintStream out)
            throws IOException {
        for (String flag : List.of("columns", "format")) {
            if (cl.flags().containsKey(flag)) {
                throw new UsageException(GradCommand.NAME + ": --" + flag + " is for a flow's table; an image"
                        + " classifier reads IDX files");
            }
        }
        ClassifierModel model = withOverrides(stored.model(), cl.overrides());
        IdxImages images = IdxFiles.isImagesFile(input) ? IdxFiles.readImagesFile(input, conf)
                : IdxFiles.read(input, IdxFiles.Part.TRAIN, conf);
        if (images.labels() == null) {
            throw new UsageException(GradCommand.NAME + ": " + images.source() + " has no labels file beside it; a"
                    + " gradient needs labelled images");
        }
        int n = limit(cl, images.n());
        int[] rows = new int[n];
        java.util.Arrays.setAll(rows, i -> i);
        GradientStep step = model.gradientStep(stored.weights(),
                ImageBatch.ofBytes(images.shape(), images.pixels(), images.labels(), rows));
        out.println(toJson(model, step, n));
    }

    /** The model with double products and the overrides applied to its training solver and gradient. */
    static ClassifierModel withOverrides(ClassifierModel m, Map<String, String> overrides) {
        for (String k : overrides.keySet()) {
            if (FLOW_ONLY.contains(k)) {
                throw new UsageException(GradCommand.NAME + ": " + k + " is a flow's setting; an image classifier's"
                        + " gradient takes " + SolverOverrides.KEYS.stream().filter(s -> !FLOW_ONLY.contains(s))
                        .toList());
            }
        }
        // The overrides read and write a flow's settings record: the classifier's solvers, gradient and adjoint ride
        // in it (its divergence, trained T and backend, refused above, stay unused).
        CnfSettings s = SolverOverrides.apply(CnfSettings.ffjordToy().withTrain(m.train()).withEval(m.eval())
                .withGradient(m.gradient()).withAdjoint(m.adjoint()), overrides, Set.of());
        return new ClassifierModel(m.arch().withPrecision(Precision.FLOAT64), s.train(), s.eval(), s.gradient(),
                s.adjoint());
    }

    private static int limit(CommandLine cl, int available) {
        String v = cl.optional("limit", null);
        if (v == null) {
            return available;
        }
        try {
            int n = Integer.parseInt(v.trim());
            if (n >= 1) {
                return Math.min(n, available);
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new UsageException(GradCommand.NAME + ": --limit must be a positive number of images, got '" + v + "'");
    }

    /** {"loss", "images", "gradients": {name: nested array}, "nfe": {...}, "solver", "gradient_method"}. */
    static String toJson(ClassifierModel model, GradientStep step, int n) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("loss", step.lossSum() / n);
        root.put("images", n);
        ObjectNode grads = root.putObject("gradients");
        double[] g = step.gradient();
        double[] mean = new double[g.length];
        for (int i = 0; i < g.length; i++) {
            mean[i] = g[i] / n;
        }
        for (NamedTensor t : model.layout().tensors()) {
            grads.set(t.name(), GradCommand.nested(mean, t.offset(), t.shape(), 0));
        }
        ObjectNode nfe = root.putObject("nfe");
        nfe.put("forward", step.forward().nfe());
        nfe.put("backward", step.backward().nfe());
        nfe.put("accepted_steps", step.forward().accepted() + step.backward().accepted());
        nfe.put("rejected_steps", step.forward().rejected() + step.backward().rejected());
        root.put("solver", model.train().toString());
        root.put("gradient_method", model.gradient().label());
        try {
            return new ObjectMapper().writeValueAsString(root);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
