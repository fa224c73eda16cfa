package dev.odeflow.jobs.model;

import dev.odeflow.driver.output.OutputStore;
import dev.odeflow.kernels.dynamics.NamedTensor;
import dev.odeflow.kernels.dynamics.ParameterLayout;
import dev.odeflow.kernels.latent.LatentOdeModel;
import dev.odeflow.kernels.model.CnfModel;
import dev.odeflow.kernels.trajectory.TrajectoryModel;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Reads and writes a model directory: {@code model.json} and {@code weights.safetensors}. Writing is atomic (the
 * directory is built under a temporary name and renamed); reading validates every tensor against the layout the
 * architecture implies.
 */
public final class ModelDirectory {

    public static final String MODEL_JSON = "model.json";
    public static final String WEIGHTS = ModelJson.WEIGHTS_FILE;

    /** model.json holds settings, names and per-column statistics: anything larger is not one. */
    public static final long MAX_MODEL_JSON_BYTES = 16L * 1024 * 1024;

    /** Relative tolerance between model.json's end times and sqrt_end_time² (F32 weights round s). */
    private static final double END_TIME_TOLERANCE = 1e-5;

    private ModelDirectory() {
    }

    /** The two files of a model directory, encoded: also the form in which a flow is shipped to executors. */
    public record EncodedModel(byte[] modelJson, byte[] weights) implements java.io.Serializable {

        /** Decodes the flow again; {@code source} names it in errors. */
        public SavedFlow decode(String source) throws ModelFormatException {
            return ModelDirectory.decode(modelJson, weights, source);
        }
    }

    /**
     * Writes {@code flow} as the directory {@code name} of {@code parent} atomically: a reader sees the old model or
     * the complete new one (the store builds it under a temporary name and swaps it in).
     */
    public static void write(OutputStore parent, String name, SavedFlow flow, TensorDtype dtype) throws IOException {
        write(parent, name, encode(flow, dtype));
    }

    /** Writes already encoded files as the directory {@code name} of {@code parent}, atomically. */
    public static void write(OutputStore parent, String name, EncodedModel files) throws IOException {
        parent.writeDirectory(name, tmp -> {
            tmp.writeFile(MODEL_JSON, files.modelJson());
            tmp.writeFile(WEIGHTS, files.weights());
        });
    }

    /**
     * Reads and validates the model directory {@code dir} (on any file system the store reaches): model.json first
     * (at most {@link #MAX_MODEL_JSON_BYTES}), then only the weights file's header, checked against the file's size
     * and the tensor shapes the architecture needs, and only then the needed tensors' values.
     */
    public static SavedFlow read(OutputStore dir) throws IOException {
        String where = dir.uri();
        ModelJson.Header h = header(readModelJson(dir), where);
        CnfModel model = model(h, where);
        return flow(model, readWeights(dir, model.layout()), h, where + "/" + WEIGHTS);
    }

    /**
     * Reads and validates the directory of a time-series model (a trajectory fit or a latent ODE) as {@link #read}
     * does a flow's; a CNF's directory is refused, naming what it is.
     */
    public static SavedSeries readSeries(OutputStore dir) throws IOException {
        byte[] json = readModelJson(dir);
        if (isLatent(json)) {
            SeriesModelJson.Header<LatentOdeModel> h = LatentModelJson.header(json, dir.uri());
            return h.withWeights(readWeights(dir, h.model().arch().layout()), SavedLatent::new);
        }
        SeriesModelJson.Header<TrajectoryModel> h = TrajectoryModelJson.header(json, dir.uri());
        return h.withWeights(readWeights(dir, h.model().field().layout()), SavedTrajectory::new);
    }

    /** Reads and validates the directory of an image classifier as {@link #read} does a flow's. */
    public static SavedClassifier readClassifier(OutputStore dir) throws IOException {
        ClassifierModelJson.Header h = ClassifierModelJson.header(readModelJson(dir), dir.uri());
        return h.withWeights(readWeights(dir, h.model().layout()));
    }

    /** Decodes a time-series model's two files, whichever kind; {@code dir} names them in errors. */
    public static SavedSeries decodeSeries(EncodedModel files, String dir) throws ModelFormatException {
        return isLatent(files.modelJson()) ? LatentModelJson.decode(files, dir)
                : TrajectoryModelJson.decode(files, dir);
    }

    /** Both files of a time-series model. */
    public static EncodedModel encodeSeries(SavedSeries model, TensorDtype dtype) {
        return model instanceof SavedLatent l ? LatentModelJson.encode(l, dtype)
                : TrajectoryModelJson.encode((SavedTrajectory) model, dtype);
    }

    /** Whether model.json names the latent ODE's format (anything else is checked as a trajectory model's). */
    private static boolean isLatent(byte[] json) {
        return LatentModelJson.FORMAT.equals(format(json));
    }

    /**
     * Whether the directory's model.json names an image classifier's format (commands that read several kinds
     * choose their path by it; anything else is read, and checked, as their other kind).
     */
    public static boolean isClassifier(OutputStore dir) throws IOException {
        return ClassifierModelJson.FORMAT.equals(format(readModelJson(dir)));
    }

    /** model.json's "format", or "" when it is not JSON (the reader that follows names the problem). */
    private static String format(byte[] json) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(json).path("format").asText();
        } catch (IOException e) {
            return "";
        }
    }

    /** model.json (at most {@link #MAX_MODEL_JSON_BYTES}), after checking that the directory has both files. */
    private static byte[] readModelJson(OutputStore dir) throws IOException {
        String where = dir.uri();
        if (!dir.isDirectory()) {
            throw new NoSuchFileException(where, null, "model directory does not exist");
        }
        for (String f : List.of(MODEL_JSON, WEIGHTS)) {
            if (!dir.isFile(f)) {
                throw new ModelFormatException(where + ": model directory has no " + f);
            }
        }
        try {
            return dir.readFile(MODEL_JSON, MAX_MODEL_JSON_BYTES);
        } catch (IOException e) {
            throw new ModelFormatException(e.getMessage() + " for model.json", e);
        }
    }

    /**
     * The weights {@code layout} needs from weights.safetensors: only the file's header first, checked against the
     * file's size and the shapes, and only then the needed tensors' values.
     */
    private static double[] readWeights(OutputStore dir, ParameterLayout layout) throws IOException {
        String source = dir.uri() + "/" + WEIGHTS;
        try (OutputStore.Input file = dir.open(WEIGHTS)) {
            SafeTensors.Header sh = SafeTensors.readHeader(file, source);
            return gather(sh.tensors(), SafeTensors.Entry::shape, SafeTensors.Entry::name,
                    e -> SafeTensors.readValues(file, sh, e, source), layout, source);
        }
    }

    /** Encodes both files of a model directory. */
    public static EncodedModel encode(SavedFlow flow, TensorDtype dtype) {
        CnfModel model = flow.model();
        ParameterLayout layout = model.layout();
        double[] w = flow.weights();
        if (w.length != layout.size()) {
            throw new IllegalArgumentException("weights have " + w.length + " elements but the architecture "
                    + model.architecture() + " needs " + layout.size());
        }
        byte[] weights = encodeWeights(layout, w, dtype);
        byte[] json = ModelJson.encode(new ModelJson.Header(model.architecture(), model.blocks(), model.settings(),
                flow.endTimes(), flow.scaling(), flow.columns(), dtype));
        return new EncodedModel(json, weights);
    }

    /** weights.safetensors of the flat vector w, one tensor per entry of {@code layout}, under its name. */
    public static byte[] encodeWeights(ParameterLayout layout, double[] w, TensorDtype dtype) {
        List<SafeTensor> tensors = new ArrayList<>();
        for (NamedTensor t : layout.tensors()) {
            tensors.add(new SafeTensor(t.name(), TensorDtype.F64, t.shape(),
                    Arrays.copyOfRange(w, t.offset(), t.offset() + t.size())));
        }
        return SafeTensors.encode(tensors, dtype, Map.of("format", "pt", "producer", "odeflow"));
    }

    /** Decodes and validates a model directory's two files; {@code dir} names it in errors. */
    public static SavedFlow decode(byte[] modelJson, byte[] weights, String dir) throws ModelFormatException {
        ModelJson.Header h = header(modelJson, dir);
        CnfModel model = model(h, dir);
        String source = dir + "/" + WEIGHTS;
        return flow(model, flatten(SafeTensors.decode(weights, source), model.layout(), source), h, source);
    }

    /** model.json's contents, with its dimension checked against the standardization and the column names. */
    private static ModelJson.Header header(byte[] modelJson, String dir) throws ModelFormatException {
        ModelJson.Header h = ModelJson.decode(modelJson, dir + "/" + MODEL_JSON);
        if (h.scaling().dim() != h.architecture().dim() || h.columns().size() != h.architecture().dim()) {
            throw new ModelFormatException(dir + "/" + MODEL_JSON + ": architecture has dimension "
                    + h.architecture().dim() + " but standardization has " + h.scaling().dim() + " columns and "
                    + "columns lists " + h.columns().size());
        }
        return h;
    }

    /** The chain model.json describes; a chain too large for the limits is a format error. */
    private static CnfModel model(ModelJson.Header h, String dir) throws ModelFormatException {
        try {
            return new CnfModel(h.architecture(), h.blocks(), h.settings());
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(dir + "/" + MODEL_JSON + ": " + e.getMessage(), e);
        }
    }

    private static SavedFlow flow(CnfModel model, double[] w, ModelJson.Header h, String source)
            throws ModelFormatException {
        double[] t = model.endTimes(w);
        double[] declared = h.endTimes();
        for (int k = 0; k < t.length; k++) {
            if (!(Math.abs(t[k] - declared[k]) <= END_TIME_TOLERANCE * Math.max(1, Math.abs(declared[k])))) {
                throw new ModelFormatException(source + ": " + (t.length == 1 ? "" : "chain." + k + ".")
                        + "sqrt_end_time² = " + t[k] + " disagrees with end_times[" + k + "] " + declared[k] + " in "
                        + MODEL_JSON);
            }
        }
        return new SavedFlow(model, w, h.scaling(), h.columns());
    }

    /**
     * Gathers the layout's tensors from a file into a flat vector. A tensor is found by its exact name or, for
     * files written by PyTorch with a module prefix (e.g. {@code chain.0.odefunc.odefunc.diffeq.} before a single
     * block's names, or {@code module.} before a chain's), by a unique name ending in "." + its name.
     */
    public static double[] flatten(SafeTensors.Contents contents, ParameterLayout layout, String source)
            throws ModelFormatException {
        try {
            return gather(contents.tensors(), SafeTensor::shape, SafeTensor::name, SafeTensor::values, layout,
                    source);
        } catch (ModelFormatException e) {
            throw e;
        } catch (IOException e) {
            throw new ModelFormatException(source + ": " + e.getMessage(), e);
        }
    }

    /** Reads a tensor's values (from memory or from a file). */
    private interface Values<T> {
        double[] of(T tensor) throws IOException;
    }

    /** Finds each layout tensor, checks its shape, and only then reads its values. */
    private static <T> double[] gather(Map<String, T> tensors, Function<T, int[]> shapeOf, Function<T, String> nameOf,
                                       Values<T> values, ParameterLayout layout, String source) throws IOException {
        double[] w = new double[layout.size()];
        for (NamedTensor t : layout.tensors()) {
            T s = find(tensors, nameOf, t, source);
            int[] shape = shapeOf.apply(s);
            boolean scalarAsVector = t.shape().length == 0 && Arrays.equals(shape, new int[] {1});
            if (!Arrays.equals(shape, t.shape()) && !scalarAsVector) {
                throw new ModelFormatException(source + ": tensor '" + nameOf.apply(s) + "' has shape "
                        + Arrays.toString(shape) + " but the architecture needs " + Arrays.toString(t.shape()));
            }
            double[] v = values.of(s);
            for (double x : v) {
                if (!Double.isFinite(x)) {
                    throw new ModelFormatException(source + ": tensor '" + nameOf.apply(s) + "' contains " + x);
                }
            }
            System.arraycopy(v, 0, w, t.offset(), v.length);
        }
        return w;
    }

    private static <T> T find(Map<String, T> tensors, Function<T, String> nameOf, NamedTensor t, String source)
            throws ModelFormatException {
        T exact = tensors.get(t.name());
        if (exact != null) {
            return exact;
        }
        List<T> suffix = tensors.values().stream().filter(s -> nameOf.apply(s).endsWith("." + t.name())).toList();
        if (suffix.size() == 1) {
            return suffix.get(0);
        }
        if (suffix.size() > 1) {
            throw new ModelFormatException(source + ": tensor '" + t.name() + "' is ambiguous: "
                    + suffix.stream().map(nameOf).toList());
        }
        throw new ModelFormatException(source + ": missing tensor '" + t.name() + "' (shape "
                + Arrays.toString(t.shape()) + "); the file has " + tensors.keySet());
    }
}
