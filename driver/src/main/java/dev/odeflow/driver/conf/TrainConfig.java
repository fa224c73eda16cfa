package dev.odeflow.driver.conf;

import dev.odeflow.kernels.classifier.ClassifierArchitecture;
import dev.odeflow.kernels.classifier.ClassifierModel;
import dev.odeflow.kernels.dynamics.Activation;
import dev.odeflow.kernels.dynamics.LayerKind;
import dev.odeflow.kernels.dynamics.CnfArchitecture;
import dev.odeflow.kernels.dynamics.Precision;
import dev.odeflow.kernels.model.CnfModel;
import dev.odeflow.kernels.model.CnfSettings;
import dev.odeflow.kernels.dynamics.SizeLimits;
import dev.odeflow.kernels.latent.LatentArchitecture;
import dev.odeflow.kernels.latent.LatentOdeModel;
import dev.odeflow.kernels.nn.MapShape;
import dev.odeflow.kernels.trajectory.MlpField;
import dev.odeflow.kernels.trajectory.TrajectoryModel;

import java.io.Serializable;
import java.util.List;
import java.util.Locale;

import static dev.odeflow.driver.conf.KeyReads.at;
import static dev.odeflow.driver.conf.KeyReads.atLeastOne;
import static dev.odeflow.driver.conf.KeyReads.dbl;
import static dev.odeflow.driver.conf.KeyReads.integer;
import static dev.odeflow.driver.conf.KeyReads.nonNegative;
import static dev.odeflow.driver.conf.KeyReads.positive;
import static dev.odeflow.driver.conf.KeyReads.str;

/**
 * The validated, immutable configuration of one training run. Build it with {@link #from(JobConf)}; the
 * model's dimension comes from the data, so {@link #hidden()} holds the hidden layers (possibly multiples of the
 * dimension) and {@link #architectureFor(int)} and {@link #modelFor(int)} complete them.
 *
 * @param data             data source and preparation
 * @param hidden           hidden widths of each block's dynamics, fixed or multiples of the data dimension
 * @param blocks           number of CNF blocks in the chain (FFJORD's --num_blocks)
 * @param layer            layer type
 * @param activation       activation
 * @param precision        arithmetic of the dynamics network's training evaluations
 * @param settings         solvers, gradient method, divergence, trainable T, backend and the RNODE regularizers
 *                         (kernel settings)
 * @param gradientMemoryMb MiB of stage evaluations direct backprop keeps per block solve
 * @param initialEndTime   T at initialization
 * @param optimizer        optimizer and schedule
 * @param iterations       synchronous iterations
 * @param batchSize        global minibatch size
 * @param partitions       partitions; 0 = Spark's default parallelism
 * @param aggregateDepth   treeAggregate depth
 * @param evalEvery        validation every N iterations; 0 = only at the end
 * @param evalRows         rows of the validation split used periodically; 0 = all
 * @param nonFiniteMetrics what a NaN or infinite final validation/test NLL does
 * @param logEvery         console progress every N iterations
 * @param seed             seed of every random choice
 * @param checkpoint       checkpointing
 * @param outputDir        local directory for metrics.jsonl, or null
 * @param gpuLocalDevices  GPU ordinals for tasks that Spark assigned none, by partition index
 * @param kind             what the run trains (the CNF-only components are ignored by the other kinds)
 * @param trajectory       the series table's layout and the settings of {@code model.kind = trajectory}
 *                         (defaults for the other kinds)
 * @param latent           the settings of {@code model.kind = latent_ode} (defaults for the other kinds)
 * @param classifier       the settings of {@code model.kind = classifier} (defaults for the other kinds)
 */
public record TrainConfig(DataConfig data, HiddenWidths hidden, int blocks, LayerKind layer, Activation activation,
                          Precision precision, CnfSettings settings, int gradientMemoryMb,
                          double initialEndTime,
                          OptimizerConfig optimizer, int iterations, int batchSize, int partitions,
                          int aggregateDepth, int evalEvery, int evalRows,
                          NonFiniteMetrics nonFiniteMetrics, int logEvery, long seed,
                          CheckpointConfig checkpoint, String outputDir, List<Integer> gpuLocalDevices,
                          ModelKind kind, TrajectoryOptions trajectory, LatentOptions latent,
                          ClassifierOptions classifier)
        implements Serializable {

    public TrainConfig {
        if (data == null || hidden == null || layer == null || activation == null || precision == null
                || settings == null
                || optimizer == null || checkpoint == null || gpuLocalDevices == null || nonFiniteMetrics == null
                || kind == null || trajectory == null || latent == null || classifier == null) {
            throw new IllegalArgumentException("incomplete training configuration");
        }
        if (blocks < 1 || blocks > CnfModel.MAX_BLOCKS) {
            throw new IllegalArgumentException("number of CNF blocks must be between 1 and " + CnfModel.MAX_BLOCKS
                    + ", got " + blocks);
        }
        gpuLocalDevices = List.copyOf(gpuLocalDevices);
        if (!(initialEndTime > 0) || !Double.isFinite(initialEndTime)) {
            throw new IllegalArgumentException("initial T must be > 0, got " + initialEndTime);
        }
        if (gradientMemoryMb < 0) {
            throw new IllegalArgumentException("gradient.memory_mb must be >= 0, got " + gradientMemoryMb);
        }
        if (iterations < 0 || batchSize < 1 || partitions < 0 || aggregateDepth < 1 || evalEvery < 0
                || evalRows < 0 || logEvery < 1) {
            throw new IllegalArgumentException("need iterations >= 0, batch_size >= 1, partitions >= 0, "
                    + "aggregate.depth >= 1, eval.every >= 0, eval.rows >= 0, log.every >= 1");
        }
        if (outputDir != null && outputDir.isBlank()) {
            outputDir = null;
        }
    }

    /**
     * The settings that decide a run's trajectory, by job key, in canonical form (typed values printed, so
     * {@code 1e-2} and {@code 0.01} agree): what a checkpoint records and a resume must match. Output, logging,
     * evaluation, checkpointing, {@code aggregate.depth} and GPU placement are left out; they do not change the
     * parameters a run reaches.
     */
    public java.util.SortedMap<String, String> fingerprint() {
        java.util.SortedMap<String, String> f = new java.util.TreeMap<>();
        f.put(TrainKey.DATA.key(), data.describe());
        if (!data.isToy()) {
            f.put(TrainKey.DATA_FORMAT.key(), String.valueOf(data.format()));
            f.put(TrainKey.DATA_COLUMNS.key(), String.join(",", data.columns()));
        } else {
            f.put(TrainKey.DATA_N.key(), Integer.toString(data.toySamples()));
        }
        f.put(TrainKey.DATA_SPLITS.key(), data.splits().toString());
        f.put(TrainKey.DATA_NAN.key(), String.valueOf(data.nanPolicy()));
        f.put(TrainKey.DATA_STANDARDIZE.key(), Boolean.toString(data.standardize()));
        f.put(TrainKey.MODEL_LAYER.key(), layer.label());
        f.put(TrainKey.MODEL_HIDDEN.key(), hidden.toString());
        if (blocks != 1) { // checkpoints written before model.blocks existed are of one block: leave it out then
            f.put(TrainKey.MODEL_BLOCKS.key(), Integer.toString(blocks));
        }
        f.put(TrainKey.MODEL_ACTIVATION.key(), activation.label());
        if (precision != Precision.FLOAT64) { // checkpoints written before model.precision existed are float64
            f.put(TrainKey.MODEL_PRECISION.key(), precision.label());
        }
        f.put(TrainKey.MODEL_DIVERGENCE.key(), settings.divergence().label());
        f.put(TrainKey.MODEL_T.key(), Double.toString(initialEndTime));
        f.put(TrainKey.MODEL_TRAIN_T.key(), Boolean.toString(settings.trainEndTime()));
        f.put("solver", settings.train().toString());
        f.put(TrainKey.GRADIENT.key(), settings.gradient().name());
        f.put("adjoint", settings.adjoint().toString());
        f.put(TrainKey.OPTIM.key(), optimizer.toString());
        f.put(TrainKey.ITERATIONS.key(), Integer.toString(iterations));
        f.put(TrainKey.BATCH_SIZE.key(), Integer.toString(batchSize));
        f.put(TrainKey.SEED.key(), Long.toString(seed));
        f.put(TrainKey.BACKEND.key(), settings.backend().name());
        // left out at 0, so that checkpoints written before the regularizers existed still match
        if (settings.regularization().kinetic()) {
            f.put(TrainKey.REGULARIZATION_L2INT.key(), Double.toString(settings.regularization().kineticEnergy()));
        }
        if (settings.regularization().jacobian()) {
            f.put(TrainKey.REGULARIZATION_JFROBINT.key(),
                    Double.toString(settings.regularization().jacobianFrobenius()));
        }
        if (kind == ModelKind.CLASSIFIER) {
            f.put(TrainKey.MODEL_KIND.key(), kind.label());
            f.put(TrainKey.MODEL_BLOCK.key(), classifier.block().label());
            f.put(TrainKey.MODEL_CHANNELS.key(), Integer.toString(classifier.channels()));
            f.put(TrainKey.MODEL_HIDDEN.key(), Integer.toString(classifier.hidden()));
            f.put(TrainKey.MODEL_CLASSES.key(), Integer.toString(classifier.classes()));
            f.put(TrainKey.MODEL_T.key(), Double.toString(classifier.endTime()));
            f.put(TrainKey.DATA_LABEL.key(), classifier.labelColumn());
            f.put(TrainKey.DATA_PIXELS.key(), classifier.pixelsColumn());
            f.put(TrainKey.DATA_IMAGE.key(), classifier.imageSet() ? ClassifierOptions.imageText(classifier.image())
                    : "");
            f.put(TrainKey.DATA_LIMIT.key(), Integer.toString(classifier.limit()));
        } else if (kind != ModelKind.CNF) { // a CNF's fingerprint is what it was before model.kind existed
            f.put(TrainKey.MODEL_KIND.key(), kind.label());
            f.put(TrainKey.DATA_SERIES.key(), trajectory.seriesColumn());
            f.put(TrainKey.DATA_TIME.key(), trajectory.timeColumn());
            if (trajectory.delay() > 0) {
                f.put(TrainKey.DATA_DELAY.key(), Integer.toString(trajectory.delay()));
            }
        }
        if (kind == ModelKind.TRAJECTORY) {
            f.put(TrainKey.MODEL_WINDOW.key(), Integer.toString(trajectory.window()));
            f.put(TrainKey.MODEL_LOSS.key(), trajectory.loss().label());
            f.put(TrainKey.MODEL_INPUT.key(), trajectory.input().label());
        }
        if (kind == ModelKind.LATENT_ODE) {
            f.put(TrainKey.MODEL_LATENT.key(), Integer.toString(latent.latent()));
            f.put(TrainKey.MODEL_ENCODER_HIDDEN.key(), Integer.toString(latent.encoderHidden()));
            f.put(TrainKey.MODEL_DECODER_HIDDEN.key(), latent.decoderText());
            f.put(TrainKey.MODEL_NOISE.key(), Double.toString(latent.noise()));
            f.put(TrainKey.MODEL_CONTEXT.key(), Double.toString(latent.context()));
            f.put(TrainKey.MODEL_DYNAMICS.key(), latent.dynamics().label());
        }
        return f;
    }

    /** Each block's architecture for data of dimension {@code dim}; an error names {@code model.hidden}. */
    public CnfArchitecture architectureFor(int dim) {
        try {
            return new CnfArchitecture(dim, hidden.at(dim), layer, activation, precision);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(TrainKey.MODEL_HIDDEN.key() + " = " + hidden + " at data dimension "
                    + dim + ": " + e.getMessage(), e);
        }
    }

    /** The model (a chain of {@link #blocks()} CNF blocks) for data of dimension {@code dim}. */
    public CnfModel modelFor(int dim) {
        CnfArchitecture arch = architectureFor(dim);
        try {
            return new CnfModel(arch, blocks, settings).withKeepBudget((long) gradientMemoryMb << 20);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(TrainKey.MODEL_BLOCKS.key() + " = " + blocks + " at data dimension "
                    + dim + ": " + e.getMessage(), e);
        }
    }

    /** The trajectory model ({@code model.kind = trajectory}) for series of dimension {@code dim}. */
    public TrajectoryModel trajectoryModelFor(int dim) {
        return new TrajectoryModel(new MlpField(dim, hiddenAt(dim), activation, trajectory.input()),
                trajectory.loss(), settings.train(), settings.eval(), settings.gradient(), settings.adjoint());
    }

    /** The latent ODE ({@code model.kind = latent_ode}) for series of dimension {@code dim}. */
    public LatentOdeModel latentModelFor(int dim) {
        LatentArchitecture arch = new LatentArchitecture(dim, latent.latent(), latent.encoderHidden(),
                hiddenAt(latent.latent()), latent.decoderWidths(), activation, latent.dynamics());
        return new LatentOdeModel(arch, latent.noise(), latent.context(), settings.train(), settings.eval(),
                settings.gradient(), settings.adjoint());
    }

    /**
     * The image classifier ({@code model.kind = classifier}) for images of shape {@code input} and {@code classes}
     * classes (those of {@link ClassifierOptions#classes()} when set, else the data's).
     */
    public ClassifierModel classifierModelFor(int classes, MapShape input) {
        ClassifierArchitecture arch = new ClassifierArchitecture(classifier.block(), input, classes,
                classifier.channels(), classifier.hidden(), classifier.endTime(), precision);
        return new ClassifierModel(arch, settings.train(), settings.eval(), settings.gradient(), settings.adjoint());
    }

    /** The hidden widths at dimension {@code dim}; an error names {@code model.hidden}. */
    private int[] hiddenAt(int dim) {
        try {
            return hidden.at(dim);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(TrainKey.MODEL_HIDDEN.key() + " = " + hidden + " at data dimension "
                    + dim + ": " + e.getMessage(), e);
        }
    }

    /** A copy with other settings (e.g. for tests and benchmarks). */
    public TrainConfig withIterations(int n) {
        return new TrainConfig(data, hidden, blocks, layer, activation, precision, settings, gradientMemoryMb,
                initialEndTime, optimizer, n, batchSize, partitions, aggregateDepth, evalEvery, evalRows,
                nonFiniteMetrics, logEvery, seed, checkpoint, outputDir, gpuLocalDevices, kind, trajectory, latent,
                classifier);
    }

    /** A copy with another checkpoint configuration. */
    public TrainConfig withCheckpoint(CheckpointConfig c) {
        return new TrainConfig(data, hidden, blocks, layer, activation, precision, settings, gradientMemoryMb,
                initialEndTime, optimizer, iterations, batchSize, partitions, aggregateDepth, evalEvery, evalRows,
                nonFiniteMetrics, logEvery, seed, c, outputDir, gpuLocalDevices, kind, trajectory, latent, classifier);
    }

    /** A copy writing metrics to another directory (null = none). */
    public TrainConfig withOutputDir(String dir) {
        return new TrainConfig(data, hidden, blocks, layer, activation, precision, settings, gradientMemoryMb,
                initialEndTime, optimizer, iterations, batchSize, partitions, aggregateDepth, evalEvery, evalRows,
                nonFiniteMetrics, logEvery, seed, checkpoint, dir, gpuLocalDevices, kind, trajectory, latent, classifier);
    }

    /** Builds and validates the configuration; every error names the key and where it was set. */
    public static TrainConfig from(JobConf c) {
        ModelKind kind = at(c, TrainKey.MODEL_KIND, () -> ModelKind.parse(str(c, TrainKey.MODEL_KIND)));
        ClassifierOptions.refuseForeignKeys(c, kind);
        TrajectoryOptions trajectory = TrajectoryOptions.read(c);
        DataConfig data = at(c, TrainKey.DATA, () -> data(c, kind));
        LayerKind layer = at(c, TrainKey.MODEL_LAYER, () -> LayerKind.parse(str(c, TrainKey.MODEL_LAYER)));
        HiddenWidths hidden = at(c, TrainKey.MODEL_HIDDEN, () -> {
            HiddenWidths h;
            try {
                h = HiddenWidths.parse(c.getStringList(TrainKey.MODEL_HIDDEN.key(),
                        TrainKey.MODEL_HIDDEN.defaultValue()));
            } catch (NumberFormatException e) {
                throw c.bad(TrainKey.MODEL_HIDDEN.key(), str(c, TrainKey.MODEL_HIDDEN),
                        "a comma-separated list of integers (units) or multiples of the data dimension (20d)");
            }
            // The data (and its dimension) is not known yet: dimension 1 gives the smallest parameter count.
            SizeLimits.checkHidden(h.at(1), layer, 1);
            return h;
        });
        Activation act = at(c, TrainKey.MODEL_ACTIVATION, () -> Activation.parse(str(c, TrainKey.MODEL_ACTIVATION)));
        int blocks = at(c, TrainKey.MODEL_BLOCKS, () -> {
            int k = integer(c, TrainKey.MODEL_BLOCKS);
            CnfModel.checkBlocks(new CnfArchitecture(1, hidden.at(1), layer, act), k);
            return k;
        });
        Precision precision = at(c, TrainKey.MODEL_PRECISION,
                () -> Precision.parse(str(c, TrainKey.MODEL_PRECISION)));
        double t0 = at(c, TrainKey.MODEL_T, () -> positive(dbl(c, TrainKey.MODEL_T)));
        CnfSettings settings = CnfSettingsKeys.read(c);
        if (kind != ModelKind.CNF && settings.regularization().active()) {
            TrainKey set = settings.regularization().kinetic() ? TrainKey.REGULARIZATION_L2INT
                    : TrainKey.REGULARIZATION_JFROBINT;
            throw c.invalid(set.key(), "the RNODE regularizers are for model.kind=cnf, not " + kind.label());
        }
        int memoryMb = nonNegative(c, TrainKey.GRADIENT_MEMORY_MB);

        OptimizerConfig opt = at(c, TrainKey.OPTIM, () -> new OptimizerConfig(
                OptimizerKind.parse(str(c, TrainKey.OPTIM)), dbl(c, TrainKey.OPTIM_LR),
                dbl(c, TrainKey.OPTIM_WEIGHT_DECAY), dbl(c, TrainKey.OPTIM_BETA1), dbl(c, TrainKey.OPTIM_BETA2),
                dbl(c, TrainKey.OPTIM_EPS), dbl(c, TrainKey.OPTIM_MOMENTUM), dbl(c, TrainKey.OPTIM_CLIP_NORM),
                at(c, TrainKey.OPTIM_SCHEDULE, () -> ScheduleKind.parse(str(c, TrainKey.OPTIM_SCHEDULE))),
                integer(c, TrainKey.OPTIM_WARMUP), dbl(c, TrainKey.OPTIM_MIN_LR), integer(c, TrainKey.OPTIM_STEP_SIZE),
                dbl(c, TrainKey.OPTIM_GAMMA)));

        String out = str(c, TrainKey.OUTPUT_DIR).strip();
        if (!out.isEmpty()) {
            at(c, TrainKey.OUTPUT_DIR, () -> new org.apache.hadoop.fs.Path(out));
        }
        String ckDir = str(c, TrainKey.CHECKPOINT_DIR).strip();
        if (ckDir.isEmpty() && !out.isEmpty()) {
            ckDir = out.replaceAll("/+$", "") + "/checkpoints";
        }
        String dir = ckDir.isEmpty() ? null : ckDir;
        ExistingCheckpoints existing = at(c, TrainKey.CHECKPOINT_EXISTING,
                () -> ExistingCheckpoints.parse(str(c, TrainKey.CHECKPOINT_EXISTING)));
        CheckpointConfig ck = at(c, TrainKey.CHECKPOINT_EVERY, () -> new CheckpointConfig(dir,
                integer(c, TrainKey.CHECKPOINT_EVERY), integer(c, TrainKey.CHECKPOINT_KEEP),
                at(c, TrainKey.RESUME, () -> ResumePolicy.parse(str(c, TrainKey.RESUME))), existing));
        List<Integer> gpus = at(c, TrainKey.GPU_LOCAL_DEVICES, () -> {
            List<Integer> g = c.getIntList(TrainKey.GPU_LOCAL_DEVICES.key(), TrainKey.GPU_LOCAL_DEVICES.defaultValue());
            if (g.stream().anyMatch(x -> x < 0)) {
                throw new IllegalArgumentException("GPU ordinals must be >= 0");
            }
            return g;
        });
        int iterations = nonNegative(c, TrainKey.ITERATIONS);
        int batch = at(c, TrainKey.BATCH_SIZE, () -> atLeastOne(integer(c, TrainKey.BATCH_SIZE)));
        int partitions = nonNegative(c, TrainKey.PARTITIONS);
        int depth = at(c, TrainKey.AGGREGATE_DEPTH, () -> atLeastOne(integer(c, TrainKey.AGGREGATE_DEPTH)));
        int evalEvery = nonNegative(c, TrainKey.EVAL_EVERY);
        int evalRows = nonNegative(c, TrainKey.EVAL_ROWS);
        NonFiniteMetrics nonFinite = at(c, TrainKey.EVAL_NONFINITE,
                () -> NonFiniteMetrics.parse(str(c, TrainKey.EVAL_NONFINITE)));
        int logEvery = at(c, TrainKey.LOG_EVERY, () -> atLeastOne(integer(c, TrainKey.LOG_EVERY)));
        long seed = c.getLong(TrainKey.SEED.key(), TrainKey.SEED.defaultValue());
        if (data.isToy() && kind == ModelKind.CNF) { // a table's split sizes are known once it is read (CnfTrainer checks them then)
            SplitSizes sizes = SplitSizes.ofToy(data.toySamples(), data.splits());
            at(c, sizes.hasEmptySplit(data.splits()) ? TrainKey.DATA_N : TrainKey.BATCH_SIZE, () -> {
                sizes.check(data.splits(), batch, data.describe());
                return sizes;
            });
        }
        ClassifierOptions classifier = ClassifierOptions.read(c, kind);
        if (kind == ModelKind.CLASSIFIER && classifier.limit() > 0 && data.format() != DataFormat.IDX) {
            throw c.invalid(TrainKey.DATA_LIMIT.key(), "takes the first images of IDX files (data.format=idx); select"
                    + " the rows of a table before training");
        }
        return new TrainConfig(data, hidden, blocks, layer, act, precision, settings, memoryMb, t0, opt, iterations,
                batch, partitions, depth, evalEvery, evalRows, nonFinite, logEvery, seed, ck, out.isEmpty() ? null : out,
                gpus, kind, trajectory, LatentOptions.read(c), classifier);
    }

    /** Reads only overrides, e.g. {@code fromOverrides("data=toy:moons", "iterations=50")}. */
    public static TrainConfig fromOverrides(String... overrides) {
        return from(JobConf.ofOverrides(List.of(overrides), TrainKey.names()));
    }

    private static DataConfig data(JobConf c, ModelKind kind) {
        String src = str(c, TrainKey.DATA).strip();
        Splits splits = at(c, TrainKey.DATA_SPLITS, () -> {
            double[] s = c.getDoubleList(TrainKey.DATA_SPLITS.key(), TrainKey.DATA_SPLITS.defaultValue());
            if (s.length != 3) {
                throw new IllegalArgumentException("expected three fractions train,val,test");
            }
            return new Splits(s[0], s[1], s[2]);
        });
        NanPolicy nan = at(c, TrainKey.DATA_NAN, () -> NanPolicy.parse(str(c, TrainKey.DATA_NAN)));
        String std = str(c, TrainKey.DATA_STANDARDIZE).strip().toLowerCase(Locale.ROOT);
        List<String> cols = c.getStringList(TrainKey.DATA_COLUMNS.key(), TrainKey.DATA_COLUMNS.defaultValue());
        if (src.isEmpty()) {
            throw new IllegalArgumentException("a data source is required");
        }
        if (src.startsWith("toy:")) {
            if (kind == ModelKind.CLASSIFIER) {
                throw new IllegalArgumentException("the classifier has no toy data: name a Parquet table of images or,"
                        + " with data.format=idx, a directory of MNIST's IDX files");
            }
            String name = src.substring(4).strip();
            if (kind == ModelKind.CNF) {
                ToySet.parse(name);
            } else {
                SeriesToy.parse(name);
            }
            int n = at(c, TrainKey.DATA_N, () -> atLeastOne(integer(c, TrainKey.DATA_N)));
            boolean s = !std.equals("auto") && c.getBoolean(TrainKey.DATA_STANDARDIZE.key(), "auto");
            return new DataConfig(name, null, null, List.of(), n, splits, nan, s);
        }
        DataFormat fmt = at(c, TrainKey.DATA_FORMAT, () -> {
            DataFormat f = DataFormat.resolve(str(c, TrainKey.DATA_FORMAT), src);
            if ((f == DataFormat.IDX) != (kind == ModelKind.CLASSIFIER) && f != DataFormat.PARQUET) {
                throw new IllegalArgumentException(f == DataFormat.IDX ? "IDX files are images, for"
                        + " model.kind=classifier" : "the classifier reads parquet (a pixel-array column) or idx");
            }
            return f;
        });
        boolean s = std.equals("auto") || c.getBoolean(TrainKey.DATA_STANDARDIZE.key(), "auto");
        return new DataConfig(null, src, fmt, cols, 0, splits, nan, s);
    }
}
