package dev.odeflow.jobs.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.odeflow.driver.ClassifierResult;
import dev.odeflow.driver.TrainResult;
import dev.odeflow.driver.SeriesResult;
import dev.odeflow.driver.conf.JobConf;
import dev.odeflow.driver.conf.ModelKind;
import dev.odeflow.driver.conf.TrainKey;
import dev.odeflow.driver.metrics.RunStats;
import dev.odeflow.driver.output.OutputStore;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code summary.json} beside the model: the resolved job configuration (every key, defaults included), the
 * final figures in stated units, where the time went, the solver work, the Spark context and the versions, and
 * whether the run succeeded. Written atomically, also when training fails (with the error), so a scheduler can
 * read one file to know what happened. docs/cli.md lists the fields.
 */
public final class RunSummary {

    public static final String FILE = "summary.json";
    public static final int FORMAT_VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private RunSummary() {
    }

    /** Every training and jobs key with the value this run used (the job file's, an override's, or the default). */
    public static Map<String, String> resolvedConfig(JobConf conf) {
        Map<String, String> m = new TreeMap<>();
        for (TrainKey k : TrainKey.values()) {
            m.put(k.key(), conf.getString(k.key(), k.defaultValue()));
        }
        for (JobsKey k : JobsKey.values()) {
            m.put(k.key(), conf.getString(k.key(), k.defaultValue()));
        }
        conf.asMap().forEach((k, v) -> {
            if (k.startsWith("spark.")) {
                m.put(k, v);
            }
        });
        return m;
    }

    /** The summary of a run that finished; {@code outputDir} is where the model went. */
    public static String writeSucceeded(OutputStore outputDir, String jobFile, JobConf conf, SparkSession spark,
                                      TrainResult r) throws IOException {
        ObjectNode root = header("succeeded", jobFile, conf, spark);
        ObjectNode result = root.putObject("result");
        int d = r.columns().size();
        result.put("iterations", r.iterations());
        result.put("T", r.endTime());
        result.put("blocks", r.model().blocks());
        com.fasterxml.jackson.databind.node.ArrayNode perBlock = result.putArray("T_blocks");
        for (double t : r.model().endTimes(r.parameters())) {
            perBlock.add(t);
        }
        number(result, "train_loss_standardized_nats", r.finalLoss());
        number(result, "val_nll_nats", r.valNll());
        number(result, "test_nll_nats", r.testNll());
        number(result, "val_bits_per_dim", r.valNll() / (d * Math.log(2)));
        number(result, "test_bits_per_dim", r.testNll() / (d * Math.log(2)));
        result.put("dim", d);
        result.put("parameters", r.parameters().length);
        result.putPOJO("columns", r.columns());
        stats(root, r.stats(), "rows", r.lastCheckpoint());
        return write(outputDir, root);
    }

    /**
     * The summary of a time-series run that finished: its final metrics on each split ({@code train_rmse},
     * {@code val_rmse}, {@code test_rmse} for a trajectory fit; {@code ..._interp_rmse} and
     * {@code ..._extrap_rmse} for a latent ODE).
     */
    public static String writeSucceeded(OutputStore outputDir, String jobFile, JobConf conf, SparkSession spark,
                                        ModelKind kind, SeriesResult<?> r) throws IOException {
        ObjectNode root = header("succeeded", jobFile, conf, spark);
        ObjectNode result = root.putObject("result");
        result.put("kind", kind.label());
        result.put("iterations", r.iterations());
        number(result, "train_loss", r.finalLoss());
        String[] splits = {"train", "val", "test"};
        r.metrics().forEach((name, v) -> {
            for (int s = 0; s < 3; s++) {
                number(result, splits[s] + "_" + name, v[s]);
            }
        });
        result.put("dim", r.columns().size());
        result.put("parameters", r.parameters().length);
        result.putPOJO("columns", r.columns());
        stats(root, r.stats(), "series", r.lastCheckpoint());
        return write(outputDir, root);
    }

    /**
     * The summary of an image classifier that finished: the error, accuracy and mean cross-entropy on each split
     * ({@code train_error}, {@code val_accuracy}, {@code test_cross_entropy} ...) and the test error per class.
     */
    public static String writeSucceeded(OutputStore outputDir, String jobFile, JobConf conf, SparkSession spark,
                                        ClassifierResult r) throws IOException {
        ObjectNode root = header("succeeded", jobFile, conf, spark);
        ObjectNode result = root.putObject("result");
        result.put("kind", ModelKind.CLASSIFIER.label());
        result.put("block", r.model().arch().block().label());
        if (r.model().arch().block() == dev.odeflow.kernels.classifier.ClassifierBlock.ODE) {
            result.put("gradient", r.model().gradient().label()); // adjoint: the ODE-Net; direct: the RK-Net
        }
        result.put("iterations", r.iterations());
        number(result, "train_loss", r.finalLoss());
        String[] splits = {"train", "val", "test"};
        for (int s = 0; s < 3; s++) {
            number(result, splits[s] + "_error", r.scores().get(s).error());
            number(result, splits[s] + "_accuracy", 1 - r.scores().get(s).error());
            number(result, splits[s] + "_cross_entropy", r.scores().get(s).meanCrossEntropy());
        }
        com.fasterxml.jackson.databind.node.ArrayNode perClass = result.putArray("test_class_errors");
        for (double e : r.test().classErrors()) {
            if (Double.isFinite(e)) {
                perClass.add(e);
            } else {
                perClass.addNull();
            }
        }
        result.put("classes", r.model().arch().classes());
        var image = r.model().arch().input();
        result.putArray("image").add(image.height()).add(image.width()).add(image.channels());
        result.put("parameters", r.parameters().length);
        stats(root, r.stats(), "images", r.lastCheckpoint());
        return write(outputDir, root);
    }

    /** Where the time and the solver work went, the split sizes (in {@code units}) and the last checkpoint. */
    private static void stats(ObjectNode root, RunStats s, String units, java.util.Optional<String> lastCheckpoint) {
        ObjectNode rows = root.putObject(units);
        rows.put("train", s.rows()[0]);
        rows.put("val", s.rows()[1]);
        rows.put("test", s.rows()[2]);
        ObjectNode times = root.putObject("seconds");
        times.put("data_preparation", s.dataSeconds());
        times.put("training", s.trainSeconds());
        times.put("evaluation", s.evalSeconds());
        ObjectNode nfe = root.putObject("nfe");
        nfe.put("iterations", s.iterations());
        nfe.put("forward_total", s.nfeForward());
        nfe.put("backward_total", s.nfeBackward());
        nfe.put("forward_max_per_iteration", s.maxNfeForward());
        nfe.put("backward_max_per_iteration", s.maxNfeBackward());
        nfe.put("rejected_steps", s.rejectedSteps());
        lastCheckpoint.ifPresent(c -> root.put("last_checkpoint", c));
    }

    /** The summary of a run that failed, with the one-line error; the exit status is 1. */
    public static String writeFailed(OutputStore outputDir, String jobFile, JobConf conf, SparkSession spark, String error)
            throws IOException {
        ObjectNode root = header("failed", jobFile, conf, spark);
        root.put("error", error);
        return write(outputDir, root);
    }

    private static ObjectNode header(String status, String jobFile, JobConf conf, SparkSession spark) {
        ObjectNode root = JSON.createObjectNode();
        root.put("format_version", FORMAT_VERSION);
        root.put("status", status);
        root.put("exit_code", status.equals("succeeded") ? 0 : 1);
        root.put("job_file", jobFile);
        root.put("finished", java.time.Instant.now().toString());
        ObjectNode sp = root.putObject("spark");
        sp.put("master", spark.sparkContext().master());
        sp.put("app_id", spark.sparkContext().applicationId());
        sp.put("executors", Math.max(1, spark.sparkContext().getExecutorMemoryStatus().size() - 1));
        sp.put("default_parallelism", spark.sparkContext().defaultParallelism());
        ObjectNode v = root.putObject("versions");
        String odeflow = RunSummary.class.getPackage().getImplementationVersion();
        v.put("odeflow", odeflow == null ? "dev" : odeflow);
        v.put("spark", spark.version());
        v.put("java", System.getProperty("java.version"));
        v.put("kernels", dev.odeflow.kernels.dynamics.Gemm.kernels());
        root.putPOJO("config", resolvedConfig(conf));
        return root;
    }

    private static void number(ObjectNode o, String key, double v) {
        if (Double.isFinite(v)) {
            o.put(key, v);
        } else {
            o.putNull(key);
        }
    }

    private static String write(OutputStore outputDir, ObjectNode root) throws IOException {
        outputDir.writeFile(FILE, (JSON.writeValueAsString(root) + "\n").getBytes(StandardCharsets.UTF_8));
        return outputDir.path(FILE).toString();
    }
}
