package dev.odeflow.driver.train;

import dev.odeflow.driver.checkpoint.Checkpoint;
import dev.odeflow.driver.checkpoint.CheckpointStore;
import dev.odeflow.driver.conf.ExistingCheckpoints;
import dev.odeflow.driver.conf.ResumePolicy;
import dev.odeflow.driver.conf.TrainConfig;
import dev.odeflow.driver.data.MinibatchPlan;
import dev.odeflow.driver.data.TrainingBlock;
import dev.odeflow.driver.metrics.IterationMetrics;
import dev.odeflow.driver.metrics.MetricsWriter;
import dev.odeflow.driver.metrics.ProgressReporter;
import dev.odeflow.driver.optim.GradientClipping;
import dev.odeflow.driver.optim.LearningRateSchedule;
import dev.odeflow.driver.optim.Optimizer;
import dev.odeflow.driver.optim.OptimizerState;
import dev.odeflow.kernels.model.LossGradient;
import dev.odeflow.kernels.regularization.Regularization;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The synchronous training loop on the driver. Per iteration: broadcast w, compute the summed loss and gradient
 * with {@link DistributedGradient}, destroy the broadcast, divide by the row count, clip, update with the
 * optimizer at the scheduled learning rate; then, when due, validate, write metrics and checkpoint.
 *
 * <p>Everything random is a pure function of (seed, iteration, partition) and the partition sums are combined
 * in a fixed order, so a run resumed from a checkpoint ends with bitwise the same parameters as an
 * uninterrupted one.
 */
public final class TrainLoop<B extends TrainingBlock> {

    private static final Logger LOG = LoggerFactory.getLogger(TrainLoop.class);

    /**
     * What the loop produced; {@code finalState} is the checkpoint of its last iteration, whether or not it was
     * written (a caller whose final write fails saves it, see {@link dev.odeflow.driver.checkpoint.RescueCheckpoint}).
     */
    public record Outcome(double[] parameters, OptimizerState optimizer, long iterations, double lastLoss,
                          double lastValNll, double wallSeconds, List<IterationMetrics> history,
                          Optional<String> metricsFile, Optional<String> lastCheckpoint, Checkpoint finalState) {
    }

    private final JavaSparkContext jsc;
    private final Objective<B> objective;
    private final JavaRDD<B> train;
    private final long[] trainUnits;
    private final JavaRDD<B> validation;
    private final TrainConfig cfg;
    private final Consumer<String> console;

    /**
     * @param trainUnits the units (rows, windows) of each training block, by partition
     * @param validation blocks for periodic validation, or null
     * @param console    receives progress lines
     */
    public TrainLoop(JavaSparkContext jsc, Objective<B> objective, JavaRDD<B> train, long[] trainUnits,
                     JavaRDD<B> validation, TrainConfig cfg, Consumer<String> console) {
        this.jsc = jsc;
        this.objective = objective;
        this.train = train;
        this.trainUnits = trainUnits.clone();
        this.validation = validation;
        this.cfg = cfg;
        this.console = console;
    }

    /** Runs from {@code initial} (or the latest checkpoint when resuming) to the configured iteration count. */
    public Outcome run(double[] initial) {
        return run(initial, Long.MAX_VALUE);
    }

    /**
     * Like {@link #run(double[])} but stops once {@code stopAfter} iterations are complete, as if the driver died
     * there (tests use it to check that resuming gives the same result).
     */
    public Outcome run(double[] initial, long stopAfter) {
        int dim = objective.paramDim();
        if (initial.length != dim) {
            throw new IllegalArgumentException("initial parameters have length " + initial.length + ", the model "
                    + dim);
        }
        int partitions = train.getNumPartitions();
        Optimizer optimizer = Optimizer.of(cfg.optimizer());
        LearningRateSchedule schedule = LearningRateSchedule.of(cfg.optimizer(), cfg.iterations());
        MinibatchPlan plan = MinibatchPlan.of(trainUnits, cfg.batchSize(), cfg.seed());
        CheckpointStore store = cfg.checkpoint().dir() == null ? null
                : new CheckpointStore(cfg.checkpoint().dir(), jsc.hadoopConfiguration(), cfg.checkpoint().keep());

        double[] w = initial.clone();
        OptimizerState state = optimizer.initialState(dim);
        long start = 0;
        String lastCheckpoint = null;
        java.util.SortedMap<String, String> fingerprint = cfg.fingerprint();
        String runId = null;
        Optional<org.apache.hadoop.fs.Path> latest = store == null ? Optional.empty() : store.latestPath();
        ResumePolicy policy = cfg.checkpoint().resume();
        List<String> problems = List.of();
        if (policy.mayResume() && latest.isPresent()) {
            Checkpoint c = store.read(latest.get());
            problems = incompatibilities(c, latest.get().toString(), dim, partitions, plan.globalBatch(),
                    optimizer.name(), cfg.seed(), fingerprint);
            if (problems.isEmpty()) {
                w = c.parameters();
                state = c.optimizer();
                start = c.iteration();
                runId = c.runId().isEmpty() ? null : c.runId();
                lastCheckpoint = latest.get().toString();
                LOG.info("resuming run {} from {} after iteration {} (resume={})", runId, latest.get(), start,
                        policy.label());
                console.accept("odeflow resuming from " + latest.get() + " (iteration " + start + ")");
            } else if (policy == ResumePolicy.ALWAYS) {
                throw new IllegalStateException("cannot resume from checkpoint " + latest.get() + ": "
                        + String.join("; ", problems));
            }
        }
        if (lastCheckpoint == null && latest.isPresent() && (!policy.mayResume() || !problems.isEmpty())) {
            handleExisting(store, latest.get(), policy, problems);
        } else if (lastCheckpoint == null && policy.mayResume()) {
            LOG.info("resume={} but no checkpoint in {}; starting fresh", policy.label(), cfg.checkpoint().dir());
        }
        if (runId == null) {
            runId = java.util.UUID.randomUUID().toString();
        }
        int[] frozen = objective.frozenParameters();
        long end = Math.min(cfg.iterations(), stopAfter);
        ProgressReporter progress = new ProgressReporter(console, cfg.logEvery(), cfg.iterations());
        List<IterationMetrics> history = new ArrayList<>();
        MetricsWriter metrics = cfg.outputDir() == null ? null
                : MetricsWriter.open(outputStore(), lastCheckpoint != null ? start : -1);
        long t0 = System.nanoTime();
        double lastLoss = Double.NaN;
        double lastVal = Double.NaN;
        try {
            for (long t = start; t < end; t++) {
                long it0 = System.nanoTime();
                jsc.setJobDescription("odeflow iteration " + (t + 1) + "/" + cfg.iterations());
                Broadcast<double[]> bw = jsc.broadcast(w.clone());
                LossGradient lg;
                try {
                    lg = DistributedGradient.compute(train, objective, bw, plan, cfg.seed(), t, cfg.aggregateDepth());
                } finally {
                    bw.destroy();
                }
                long count = lg.count();
                double loss = lg.lossSum() / count;
                double[] g = lg.gradient().clone();
                for (int i = 0; i < g.length; i++) {
                    g[i] /= count;
                }
                double gradNorm = GradientClipping.clipInPlace(g, cfg.optimizer().clipNorm());
                if (!Double.isFinite(loss) || !Double.isFinite(gradNorm)) {
                    throw new IllegalStateException("iteration " + (t + 1) + ": the loss (" + loss
                            + ") or the gradient norm (" + gradNorm + ") is not finite; lower optim.lr or the"
                            + " solver tolerances");
                }
                double lr = schedule.lr(t);
                double[] kept = new double[frozen.length];
                for (int i = 0; i < frozen.length; i++) {
                    kept[i] = w[frozen[i]];
                }
                state = optimizer.update(w, g, lr, state);
                for (int i = 0; i < frozen.length; i++) {
                    w[frozen[i]] = kept[i];
                }
                long done = t + 1;
                double val = Double.NaN;
                if (validation != null && cfg.evalEvery() > 0 && done % cfg.evalEvery() == 0 && done < cfg.iterations()) {
                    jsc.setJobDescription("odeflow validation at iteration " + done + "/" + cfg.iterations());
                    val = Evaluator.evaluate(jsc, validation, objective, w, cfg.aggregateDepth()).metric();
                    lastVal = val;
                }
                double now = (System.nanoTime() - t0) / 1e9;
                double iterSeconds = (System.nanoTime() - it0) / 1e9;
                Regularization reg = cfg.settings().regularization();
                IterationMetrics m = new IterationMetrics(done, loss, objective.batchMetric(lg.nllSum() / count),
                        lg.nfeForward(), lg.nfeBackward(), lg.accepted(), lg.rejected(), now, iterSeconds,
                        count / Math.max(iterSeconds, 1e-9), objective.reportedTime(w), lr, gradNorm, val,
                        objective.metricName(), reg.kinetic() ? lg.kineticSum() / count : Double.NaN,
                        reg.jacobian() ? lg.jacobianSum() / count : Double.NaN);
                history.add(m);
                if (metrics != null) {
                    metrics.write(m);
                }
                progress.report(m, done - start, now);
                lastLoss = loss;
                if (store != null && cfg.checkpoint().every() > 0 && done % cfg.checkpoint().every() == 0) {
                    lastCheckpoint = store.write(new Checkpoint(done, w, state, cfg.seed(), partitions,
                            plan.globalBatch(), runId, fingerprint)).toString();
                }
            }
        } finally {
            if (metrics != null) {
                metrics.close();
            }
        }
        double wall = (System.nanoTime() - t0) / 1e9;
        long done = Math.max(start, end);
        Checkpoint last = new Checkpoint(done, w, state, cfg.seed(), partitions, plan.globalBatch(), runId,
                fingerprint);
        return new Outcome(w, state, done, lastLoss, lastVal, wall, List.copyOf(history),
                metrics == null ? Optional.empty() : Optional.of(metrics.file()), Optional.ofNullable(lastCheckpoint),
                last);
    }

    private dev.odeflow.driver.output.OutputStore outputStore() {
        try {
            return dev.odeflow.driver.output.OutputStore.at(cfg.outputDir(), jsc.hadoopConfiguration());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot open output.dir " + cfg.outputDir() + ": " + e.getMessage(),
                    e);
        }
    }

    /**
     * A fresh start over checkpoints that this run does not continue: those of an earlier run
     * ({@code resume=false}), or of another configuration ({@code resume=auto}, {@code problems} names the
     * differences). {@code checkpoint.existing} decides: fail, or move them aside.
     */
    private void handleExisting(CheckpointStore store, org.apache.hadoop.fs.Path newest, ResumePolicy policy,
                                List<String> problems) {
        List<org.apache.hadoop.fs.Path> old = store.list();
        String whose = problems.isEmpty() ? "of an earlier run"
                : "of another configuration (" + String.join("; ", problems) + ")";
        if (cfg.checkpoint().existing() == ExistingCheckpoints.MOVE) {
            org.apache.hadoop.fs.Path aside = store.moveAside();
            console.accept("odeflow moved " + old.size() + " checkpoint(s) " + whose + " to " + aside);
        } else if (policy == ResumePolicy.AUTO) {
            throw new IllegalStateException("resume=auto: checkpoint.dir " + store.dir() + " holds " + old.size()
                    + " checkpoint(s) " + whose + ", newest " + newest.getName() + "; restore those settings to"
                    + " continue that run, set checkpoint.existing=move to move them aside and start fresh, or use"
                    + " another output.dir / checkpoint.dir");
        } else {
            throw new IllegalStateException("checkpoint.dir " + store.dir() + " already holds " + old.size()
                    + " checkpoint(s) " + whose + " (newest " + newest.getName() + "); set resume=true or"
                    + " resume=auto to continue that run, checkpoint.existing=move to move them aside, or use another"
                    + " output.dir / checkpoint.dir");
        }
    }

    /** Why checkpoint {@code c} cannot be continued by this run (empty: it can). */
    private static List<String> incompatibilities(Checkpoint c, String file, int dim, int partitions, int batch,
                                                  String opt, long seed,
                                                  java.util.SortedMap<String, String> fingerprint) {
        List<String> problems = new ArrayList<>();
        if (c.config().isEmpty()) {
            LOG.warn("checkpoint {} predates configuration fingerprints (format 1): only its seed, size, partitions,"
                    + " batch and optimizer can be checked", file);
        } else {
            problems.addAll(c.configDifferences(fingerprint));
        }
        if (c.seed() != seed && c.config().isEmpty()) {
            problems.add("it was written with seed " + c.seed() + ", this run's is " + seed);
        }
        if (c.parameters().length != dim) {
            problems.add("it has " + c.parameters().length + " parameters, the model " + dim);
        }
        if (c.partitions() != partitions) {
            problems.add("it was written with " + c.partitions() + " partitions, this run has " + partitions);
        }
        if (c.globalBatch() != batch && c.config().isEmpty()) {
            problems.add("its batch size is " + c.globalBatch() + ", this run's " + batch);
        }
        if (!c.optimizer().optimizer().equals(opt) && c.config().isEmpty()) {
            problems.add("its optimizer is " + c.optimizer().optimizer() + ", this run's " + opt);
        }
        return problems;
    }
}
