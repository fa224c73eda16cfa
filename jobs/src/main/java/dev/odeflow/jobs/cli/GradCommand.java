package dev.odeflow.jobs.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.odeflow.driver.output.OutputStore;
import dev.odeflow.jobs.ml.FlowScoring;
import dev.odeflow.jobs.model.ModelDirectory;
import dev.odeflow.jobs.model.SavedFlow;
import dev.odeflow.kernels.dynamics.NamedTensor;
import dev.odeflow.kernels.model.LossGradient;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * {@code grad --model DIR --input FILE [--columns a,b] [--format csv|parquet] [key=value ...]}: prints one JSON
 * object with the mean NLL over the input rows (data space), its gradient for every named tensor (in the
 * tensor's shape, computed in double) and the solver's work. key=value pairs override the model's training
 * solver settings ({@link SolverOverrides#KEYS}) and {@code seed} (Hutchinson noise). An image classifier's
 * directory takes IDX images instead ({@code --input FILE|DIR [--limit N]}, {@link ClassifierGradient}).
 */
public final class GradCommand {

    public static final String NAME = "grad";
    static final Set<String> FLAGS = Set.of("model", "input", "columns", "format", "limit");
    static final Set<String> EXTRA_KEYS = Set.of("seed");

    private GradCommand() {
    }

    /**
     * The mean loss and gradient over rows.
     *
     * @param loss     mean NLL in data space, −mean log p(x), plus the RNODE penalties when the model has them
     * @param gradient mean gradient with respect to the flat weights
     * @param work     the solver work counters (and sums) of the computation
     */
    public record Report(double loss, double[] gradient, LossGradient work) {
    }

    public static void run(List<String> args, PrintStream out) throws IOException {
        CommandLine cl = CommandLine.parse(NAME, args, FLAGS);
        cl.noPositionals(NAME);
        String modelDir = cl.required(NAME, "model");
        String input = cl.required(NAME, "input");
        List<String> requested = cl.flags().containsKey("columns")
                ? Arrays.stream(cl.flags().get("columns").split(",")).map(String::trim).toList() : List.of();
        SparkSession spark = SparkSessions.getOrCreate("odeflow grad");
        OutputStore dir = DataFiles.store(spark, modelDir, NAME + ": --model");
        if (ModelDirectory.isClassifier(dir)) {
            ClassifierGradient.run(cl, ModelDirectory.readClassifier(dir), input,
                    spark.sparkContext().hadoopConfiguration(), out);
            return;
        }
        if (cl.flags().containsKey("limit")) {
            throw new UsageException(NAME + ": --limit is for an image classifier's IDX images; a flow's gradient"
                    + " reads every row of --input");
        }
        DataFormat format = DataFormat.of(input, cl.optional("format", null),
                spark.sparkContext().hadoopConfiguration());
        SavedFlow stored = ModelDirectory.read(dir);
        SavedFlow flow = stored.withSettings(SolverOverrides.apply(stored.model().settings(), cl.overrides(),
                EXTRA_KEYS));
        long seed = cl.overrides().containsKey("seed")
                ? (long) SolverOverrides.number("seed", cl.overrides().get("seed")) : 0L;
        Dataset<Row> df = DataFiles.read(spark, input, format);
        double[] x = matrix(df, FlowScoring.featureColumns(df.schema(), requested, flow, input),
                input);
        int n = x.length / flow.dim();
        out.println(toJson(flow, compute(flow, x, n, seed)));
    }

    /** The mean data-space NLL of rows x (n×d) and its gradient, with the flow's training settings. */
    public static Report compute(SavedFlow flow, double[] x, int n, long seed) {
        LossGradient acc = flow.lossGradient(x, n, seed);
        double[] g = acc.gradient().clone();
        for (int i = 0; i < g.length; i++) {
            g[i] /= acc.count();
        }
        return new Report(acc.meanLoss() - flow.scaling().logDetJacobian(), g, acc);
    }

    /** Collects the feature columns to the driver; missing values and an empty input are errors. */
    static double[] matrix(Dataset<Row> df, List<String> cols, String source) {
        List<Row> rows = df.selectExpr(cols.stream().map(c -> "CAST(`" + c + "` AS DOUBLE)").toArray(String[]::new))
                .collectAsList();
        if (rows.isEmpty()) {
            throw new IllegalArgumentException(source + ": the input has no rows");
        }
        int d = cols.size();
        double[] x = new double[rows.size() * d];
        int bad = 0;
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            for (int j = 0; j < d; j++) {
                x[i * d + j] = r.isNullAt(j) ? Double.NaN : r.getDouble(j);
            }
            for (int j = 0; j < d; j++) {
                if (Double.isNaN(x[i * d + j])) {
                    bad++;
                    break;
                }
            }
        }
        if (bad > 0) {
            throw new IllegalArgumentException(source + ": " + bad + " of " + rows.size()
                    + " rows have a missing or NaN value in " + cols);
        }
        return x;
    }

    /** {"loss", "rows", "end_time" (Σ_k T_k), "end_times", "gradients": {name: nested array}, "nfe": {...}, "settings": "..."}. */
    public static String toJson(SavedFlow flow, Report r) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("loss", r.loss());
        root.put("rows", r.work().count());
        root.put("end_time", flow.endTime());
        var perBlock = root.putArray("end_times");
        for (double t : flow.endTimes()) {
            perBlock.add(t);
        }
        ObjectNode grads = root.putObject("gradients");
        for (NamedTensor t : flow.model().layout().tensors()) {
            grads.set(t.name(), nested(r.gradient(), t.offset(), t.shape(), 0));
        }
        ObjectNode nfe = root.putObject("nfe");
        nfe.put("forward", r.work().nfeForward());
        nfe.put("backward", r.work().nfeBackward());
        nfe.put("accepted_steps", r.work().accepted());
        nfe.put("rejected_steps", r.work().rejected());
        var s = flow.model().settings();
        if (s.regularization().active()) {
            long count = r.work().count();
            root.put("nll", r.work().nllSum() / count - flow.scaling().logDetJacobian());
            root.put("l2int", r.work().kineticSum() / count);
            root.put("JFrobint", r.work().jacobianSum() / count);
        }
        root.put("solver", s.train().toString());
        root.put("gradient_method", s.gradient().label());
        root.put("divergence", s.divergence().label());
        try {
            return new ObjectMapper().writeValueAsString(root);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The elements at {@code offset} in row-major {@code shape} as nested arrays; a scalar for shape []. */
    static JsonNode nested(double[] v, int offset, int[] shape, int axis) {
        if (axis == shape.length) {
            return JsonNodeFactory.instance.numberNode(v[offset]);
        }
        int stride = 1;
        for (int k = axis + 1; k < shape.length; k++) {
            stride *= shape[k];
        }
        ArrayNode a = JsonNodeFactory.instance.arrayNode(shape[axis]);
        for (int i = 0; i < shape[axis]; i++) {
            a.add(nested(v, offset + i * stride, shape, axis + 1));
        }
        return a;
    }
}
