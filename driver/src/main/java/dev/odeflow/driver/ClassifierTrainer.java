package dev.odeflow.driver;

import dev.odeflow.driver.conf.ModelKind;
import dev.odeflow.driver.conf.TrainConfig;
import dev.odeflow.driver.data.ImageBlock;
import dev.odeflow.driver.data.ImageData;
import dev.odeflow.driver.data.MinibatchPlan;
import dev.odeflow.driver.data.Seeds;
import dev.odeflow.driver.metrics.EvalProgress;
import dev.odeflow.driver.metrics.RunStats;
import dev.odeflow.driver.output.RunLock;
import dev.odeflow.driver.train.ClassifierObjective;
import dev.odeflow.driver.train.ImageScores;
import dev.odeflow.driver.train.TrainLoop;
import dev.odeflow.kernels.classifier.ClassifierModel;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.LongAccumulator;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Trains an image classifier ({@code model.kind = classifier}: the seeds' ODE-Net, RK-Net, ResNet or MLP)
 * data-parallel on Spark: loads the labelled images as one block per partition ({@link ImageData}), runs the
 * shared loop ({@link TrainLoop}) on the summed cross-entropy, validates the error periodically on
 * {@code eval.rows} validation images, and scores every split at the end (error, cross-entropy, confusion counts)
 * with the evaluation solver. Writing the model directory is the caller's job.
 */
public final class ClassifierTrainer {

    private ClassifierTrainer() {
    }

    /** Trains, sending progress lines to {@code console}. */
    public static ClassifierResult train(SparkSession spark, TrainConfig cfg, Consumer<String> console) {
        if (cfg.kind() != ModelKind.CLASSIFIER) {
            throw new IllegalArgumentException("model.kind is " + cfg.kind().label() + ", not classifier");
        }
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        CnfTrainer.checkWritable(cfg, jsc);
        try (RunLock lock = CnfTrainer.lockOutputs(cfg, jsc.hadoopConfiguration())) {
            long start = System.nanoTime();
            ImageData data = ImageData.load(spark, cfg.data(), cfg.classifier(), cfg.partitions(), cfg.batchSize(),
                    cfg.seed());
            double dataSeconds = (System.nanoTime() - start) * 1e-9;
            try {
                return trainOn(jsc, data, dataSeconds, cfg, console);
            } finally {
                data.unpersist();
            }
        }
    }

    private static ClassifierResult trainOn(JavaSparkContext jsc, ImageData data, double dataSeconds, TrainConfig cfg,
                                            Consumer<String> console) {
        ClassifierModel model = cfg.classifierModelFor(data.classes(), data.shape());
        ClassifierObjective objective = new ClassifierObjective(model);
        TrainLoop<ImageBlock> loop = new TrainLoop<>(jsc, objective, data.train(), data.trainImages(),
                validationSubset(data, cfg), cfg, console);
        TrainLoop.Outcome out = loop.run(model.initialParameters(Seeds.derive(cfg.seed(), Seeds.INIT)));
        double[] w = out.parameters();
        long evalStart = System.nanoTime();
        String[] names = {"train", "validation", "test"};
        List<JavaRDD<ImageBlock>> splits = List.of(data.train(), data.val(), data.test());
        List<ImageScores> scores = new ArrayList<>();
        List<FinalMetrics.Value> finals = new ArrayList<>();
        for (int s = 0; s < 3; s++) {
            ImageScores sc = score(jsc, names[s], splits.get(s), data.images()[s], objective, w, data.classes(),
                    console);
            scores.add(sc);
            finals.add(new FinalMetrics.Value(names[s] + " cross-entropy", sc.meanCrossEntropy(), sc.images(),
                    "images"));
        }
        RunStats stats = RunStats.of(dataSeconds, out.wallSeconds(), (System.nanoTime() - evalStart) * 1e-9,
                out.history(), data.images());
        String line = String.format(Locale.ROOT, "error train %.4f, val %.4f, test %.4f; test cross-entropy %.4f",
                scores.get(0).error(), scores.get(1).error(), scores.get(2).error(),
                scores.get(2).meanCrossEntropy());
        console.accept(String.format(Locale.ROOT, "odeflow done: %d iterations in %.1f s, %s", out.iterations(),
                out.wallSeconds(), line));
        FinalMetrics.check(finals, cfg.nonFiniteMetrics(), data.source(), console);
        return new ClassifierResult(w, model, out.lastLoss(), scores, line, out.iterations(), out.wallSeconds(),
                out.metricsFile(), out.lastCheckpoint(), out.finalState(), stats, data.source());
    }

    /** The scores of one split ({@code images} of them), with a progress line every 15 s. */
    private static ImageScores score(JavaSparkContext jsc, String split, JavaRDD<ImageBlock> blocks, long images,
                                     ClassifierObjective objective, double[] w, int classes,
                                     Consumer<String> console) {
        jsc.setJobDescription("odeflow " + split + " evaluation");
        try (EvalProgress progress = EvalProgress.start(jsc, split, images, console)) {
            LongAccumulator done = progress.rows();
            Broadcast<double[]> bw = jsc.broadcast(w);
            try {
                ImageScores sum = ImageScores.none(classes);
                for (ImageScores s : blocks.map(b -> objective.score(bw.value(), b, done::add)).collect()) {
                    sum = sum.plus(s); // in partition order: the same sums on every run
                }
                return sum;
            } finally {
                bw.destroy();
            }
        }
    }

    /** The first eval.rows validation images (spread over partitions by their sizes), all of them, or null. */
    private static JavaRDD<ImageBlock> validationSubset(ImageData data, TrainConfig cfg) {
        long total = data.images()[1];
        if (total == 0) {
            return null;
        }
        if (cfg.evalRows() == 0 || cfg.evalRows() >= total) {
            return data.val();
        }
        MinibatchPlan shares = MinibatchPlan.of(data.valImages(), cfg.evalRows(), cfg.seed());
        return data.val().mapPartitionsWithIndex((p, it) -> {
            List<ImageBlock> out = new ArrayList<>();
            it.forEachRemaining(b -> out.add(b.head(shares.share(p))));
            return out.iterator();
        }, true);
    }
}
