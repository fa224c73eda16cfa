package dev.odeflow.driver.conf;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Every training key a job file or a {@code key=value} override may set, with its default and meaning.
 * {@code driver/DRIVER.md} documents the same list; an empty default means "unset".
 */
public enum TrainKey {
    DATA(ValueType.TEXT, "data", "toy:8gaussians",
            "Data source: toy:<name> (8gaussians, pinwheel, 2spirals, checkerboard, moons, circles, rings, swissroll;"
                    + " with model.kind=trajectory or latent_ode: spiral, pendulum, bispirals) or a Parquet/CSV path"
                    + " (local, file:, hdfs:); model.kind=classifier: a Parquet table of images or, with"
                    + " data.format=idx, a directory of MNIST's IDX files"),
    DATA_FORMAT(ValueType.TEXT, "data.format", "auto",
            "auto (from the path's extension), parquet or csv (CSV needs a header row); model.kind=classifier:"
                    + " parquet or idx (a directory holding train-images-idx3-ubyte, train-labels-idx1-ubyte,"
                    + " t10k-images-idx3-ubyte and t10k-labels-idx1-ubyte, each possibly .gz; read on the driver)"),
    DATA_COLUMNS(ValueType.LIST, "data.columns", "",
            "Comma-separated numeric columns to model; empty = every column of the table (for time series: every"
                    + " column but data.series and data.time)"),
    DATA_SERIES(ValueType.TEXT, "data.series", "series",
            "model.kind=trajectory or latent_ode: the column naming each observation's series (a long table: series, t, values)"),
    DATA_TIME(ValueType.TEXT, "data.time", "t",
            "model.kind=trajectory or latent_ode: the column of observation times"),
    DATA_DELAY(ValueType.INTEGER, "data.delay", "0",
            "model.kind=trajectory: a time-delay embedding (Takens): with k > 0 each observation j of a series"
                    + " becomes (v_{j-k}, v_j), its values k observations earlier beside its own (the lecture notes'"
                    + " (θ(t-Δ), θ(t)) for a pendulum observed through θ alone), doubling the columns and dropping"
                    + " each series' first k observations; 0 = off"),
    DATA_N(ValueType.INTEGER, "data.n", "100000", "Number of samples drawn from a toy generator (before"
            + " the split); toy:spiral: observations of its one series; toy:pendulum: observations of each series;"
            + " toy:bispirals: spirals"),
    DATA_SPLITS(ValueType.LIST, "data.splits", "0.8,0.1,0.1",
            "train,validation,test fractions (each >= 0, train > 0, sum 1); data.format=idx: the training files"
                    + " are cut into train and validation in the ratio of the first two (0.9,0.1,0 holds out a"
                    + " tenth) and the test split is the t10k files"),
    DATA_NAN(ValueType.TEXT, "data.nan", "fail",
            "Rows with NaN or missing values: fail (error with their count) or drop (logged)"),
    DATA_STANDARDIZE(ValueType.TEXT, "data.standardize", "auto",
            "Standardize columns with the training split's mean and std: true, false, or auto (tables yes, toys no)"),
    DATA_LABEL(ValueType.TEXT, "data.label", "label",
            "model.kind=classifier: the Parquet table's integer label column (classes 0 .. model.classes-1)"),
    DATA_PIXELS(ValueType.TEXT, "data.pixels", "pixels",
            "model.kind=classifier: the Parquet table's pixel column, an array of integers 0-255 per image,"
                    + " channels-last (h, w, c), scaled by 1/255 as MNIST's bytes are"),
    DATA_IMAGE(ValueType.TEXT, "data.image", "28x28x1",
            "model.kind=classifier: one image's height x width x channels; with data.format=idx the files'"
                    + " headers give it (h x w x 1) and a value set here must agree"),
    DATA_LIMIT(ValueType.INTEGER, "data.limit", "0",
            "model.kind=classifier with data.format=idx: train and validate on only the first N images of the"
                    + " training files (the test split stays the whole t10k); 0 = all"),

    MODEL_KIND(ValueType.TEXT, "model.kind", "cnf",
            "What to train: cnf (a continuous normalizing flow on rows), trajectory (a vector field fitted to"
                    + " time series, torchdiffeq's ode_demo), latent_ode (Chen et al. 2018's latent ODE on time"
                    + " series) or classifier (an image classifier: the seeds' ODE-Net, RK-Net, ResNet or MLP)"),
    MODEL_LAYER(ValueType.TEXT, "model.layer", "concatsquash", "Layer type: concatsquash or concat"),
    MODEL_HIDDEN(ValueType.LIST, "model.hidden", "64,64,64",
            "Hidden widths of each block's dynamics network, each a number of units or a multiple of the data"
                    + " dimension d written <k>d (FFJORD's hdim_factor: 20d,20d is 860,860 for 43 columns): at most 64"
                    + " layers of at most 65536 units, 2^25 parameters in all; model.kind=classifier: the one hidden"
                    + " width of model.block=mlp (unset: 300, the seeds' MLP)"),
    MODEL_BLOCKS(ValueType.INTEGER, "model.blocks", "1",
            "Number of CNF blocks in the chain (FFJORD's num_blocks), each with its own dynamics and its own T;"
                    + " at most 64"),
    MODEL_ACTIVATION(ValueType.TEXT, "model.activation", "tanh", "Activation: tanh, softplus, elu or swish"),
    MODEL_PRECISION(ValueType.TEXT, "model.precision", "float64",
            "Arithmetic of the dynamics network's training evaluations: float64, or float32 (the layers' products"
                    + " and activations in float, twice the SIMD lanes; solver, state, time, parameters and"
                    + " evaluation stay in double); model.kind=classifier: the convolutions' and linear layers'"
                    + " products in training (im2col matrix and weights in float; normalization, evaluation and"
                    + " classify in double)"),
    MODEL_DIVERGENCE(ValueType.TEXT, "model.divergence", "exact",
            "Trace during training: exact, rademacher or gaussian (evaluation always uses the exact trace)"),
    MODEL_T(ValueType.NUMBER, "model.T", "0.5",
            "Initial end time T of every block (stored as sqrt_end_time = sqrt(T)); model.kind=classifier: the"
                    + " ODE block's fixed end time (unset: 1, as odenet_mnist.py)"),
    MODEL_TRAIN_T(ValueType.BOOLEAN, "model.train_T", "true",
            "Whether each block's T is trained (through the t1 gradient of the adjoint)"),
    REGULARIZATION_L2INT(ValueType.NUMBER, "regularization.l2int", "0",
            "RNODE kinetic-energy weight (FFJORD's l2int): the training loss adds l2int times the batch mean of"
                    + " ∫‖f(z,t)‖² dt, integrated per block over [0, T] and summed over blocks; 0 = off; >= 0;"
                    + " not on CUDA"),
    REGULARIZATION_JFROBINT(ValueType.NUMBER, "regularization.JFrobint", "0",
            "RNODE Jacobian-norm weight (FFJORD's JFrobint): the training loss adds JFrobint times the batch mean"
                    + " of ∫‖∂f/∂z‖²_F dt (exact with model.divergence=exact, else Hutchinson's ‖(∂f/∂z)ε‖² with"
                    + " the trace's noise), per block, summed; 0 = off; >= 0; not on CUDA"),
    MODEL_WINDOW(ValueType.INTEGER, "model.window", "10",
            "model.kind=trajectory: consecutive observations per training window (ode_demo's batch_time); a"
                    + " shorter series is one window; batch_size counts windows"),
    MODEL_LOSS(ValueType.TEXT, "model.loss", "l1",
            "model.kind=trajectory: l1 (ode_demo) or l2, summed over every observed value of each window"),
    MODEL_INPUT(ValueType.TEXT, "model.input", "identity",
            "model.kind=trajectory: what the field's network sees of y: identity or cube (ode_demo's y**3)"),
    MODEL_LATENT(ValueType.INTEGER, "model.latent", "4",
            "model.kind=latent_ode: size of the latent state z (the field's widths are model.hidden)"),
    MODEL_ENCODER_HIDDEN(ValueType.INTEGER, "model.encoder_hidden", "25",
            "model.kind=latent_ode: hidden size of the GRU encoder that reads each series' context backwards"),
    MODEL_DECODER_HIDDEN(ValueType.LIST, "model.decoder_hidden", "20",
            "model.kind=latent_ode: hidden widths of the decoder z(t) -> x(t) (empty = one linear layer)"),
    MODEL_NOISE(ValueType.NUMBER, "model.noise", "0.3",
            "model.kind=latent_ode: the Gaussian likelihood's fixed standard deviation in the negative ELBO"),
    MODEL_CONTEXT(ValueType.NUMBER, "model.context", "0.5",
            "model.kind=latent_ode: share of each series' time span the encoder reads (its first observations up"
                    + " to that time); the loss covers every observation, later ones are extrapolated"),
    MODEL_DYNAMICS(ValueType.TEXT, "model.dynamics", "ode",
            "model.kind=latent_ode: ode (the latent ODE) or gru (the RNN baseline: a GRU cell fed the time gaps"
                    + " moves z between observations)"),
    MODEL_BLOCK(ValueType.TEXT, "model.block", "ode",
            "model.kind=classifier: the feature block after odenet_mnist.py's downsampling: ode (one ODE block:"
                    + " the seeds' ODE-Net with gradient=adjoint, their RK-Net with gradient=direct), resnet (six"
                    + " residual blocks) or mlp (no convolutions: one hidden layer of model.hidden units)"),
    MODEL_CHANNELS(ValueType.INTEGER, "model.channels", "64",
            "model.kind=classifier: channels of the convolutional network (odenet_mnist.py: 64)"),
    MODEL_CLASSES(ValueType.INTEGER, "model.classes", "",
            "model.kind=classifier: number of classes; unset = the data's largest label + 1"),

    SOLVER_METHOD(ValueType.TEXT, "solver.method", "dopri5",
            "Training solver: euler, midpoint, rk4, bosh3, dopri5 or tsit5"),
    SOLVER_RTOL(ValueType.NUMBER, "solver.rtol", "1e-5", "Training solver relative tolerance (adaptive methods)"),
    SOLVER_ATOL(ValueType.NUMBER, "solver.atol", "1e-5", "Training solver absolute tolerance (adaptive methods)"),
    SOLVER_STEPS(ValueType.INTEGER, "solver.steps", "0",
            "Fixed steps over [0, T] for the training solver; 0 = adaptive"),
    SOLVER_MAX_STEPS(ValueType.LONG, "solver.max_steps", "100000",
            "Step budget of one training solve (accepted + rejected steps, forward and reverse); at most 10000000"),
    SOLVER_MAX_NFE(ValueType.LONG, "solver.max_nfe", "2000000", "Function-evaluation budget of one training solve"),
    GRADIENT(ValueType.TEXT, "gradient", "adjoint", "Gradient method: adjoint (backsolve), checkpoint or direct"),
    GRADIENT_MEMORY_MB(ValueType.INTEGER, "gradient.memory_mb", "256",
            "MiB of each block solve's stage evaluations (the layer activations) that gradient=direct keeps for the"
                    + " backward pass instead of evaluating them again; beyond it stages are re-evaluated (the same"
                    + " gradient either way); 0 = keep none"),
    ADJOINT_RTOL(ValueType.NUMBER, "adjoint.rtol", "", "Reverse solve relative tolerance; empty = solver.rtol"),
    ADJOINT_ATOL(ValueType.NUMBER, "adjoint.atol", "", "Reverse solve absolute tolerance; empty = solver.atol"),
    ADJOINT_SEMINORM(ValueType.BOOLEAN, "adjoint.seminorm", "false",
            "Leave the parameter adjoints out of the reverse error norm"),

    EVAL_METHOD(ValueType.TEXT, "eval.method", "dopri5", "Evaluation (log-likelihood) solver method"),
    EVAL_RTOL(ValueType.NUMBER, "eval.rtol", "1e-8", "Evaluation solver relative tolerance"),
    EVAL_ATOL(ValueType.NUMBER, "eval.atol", "1e-8", "Evaluation solver absolute tolerance"),
    EVAL_STEPS(ValueType.INTEGER, "eval.steps", "0", "Fixed steps for the evaluation solver; 0 = adaptive"),
    EVAL_MAX_STEPS(ValueType.LONG, "eval.max_steps", "100000", "Step budget of one evaluation solve; at most 10000000"),
    EVAL_MAX_NFE(ValueType.LONG, "eval.max_nfe", "2000000", "Function-evaluation budget of one evaluation solve"),
    EVAL_EVERY(ValueType.INTEGER, "eval.every", "100", "Validation NLL every N iterations (0 = only at the end)"),
    EVAL_ROWS(ValueType.INTEGER, "eval.rows", "1000",
            "Validation rows used by the periodic evaluation; 0 = the whole split (the final one always uses all)"),
    EVAL_NONFINITE(ValueType.TEXT, "eval.nonfinite", "fail",
            "A NaN or infinite final validation/test NLL: fail (the job exits non-zero, no model) or accept"),

    OPTIM(ValueType.TEXT, "optim", "adam", "Optimizer: adam or sgd"),
    OPTIM_LR(ValueType.NUMBER, "optim.lr", "1e-3", "Learning rate"),
    OPTIM_WEIGHT_DECAY(ValueType.NUMBER, "optim.weight_decay", "1e-5",
            "L2 weight decay added to the gradient (torch.optim style)"),
    OPTIM_BETA1(ValueType.NUMBER, "optim.beta1", "0.9", "Adam beta1"),
    OPTIM_BETA2(ValueType.NUMBER, "optim.beta2", "0.999", "Adam beta2"),
    OPTIM_EPS(ValueType.NUMBER, "optim.eps", "1e-8", "Adam epsilon"),
    OPTIM_MOMENTUM(ValueType.NUMBER, "optim.momentum", "0.9", "SGD momentum (0 = plain SGD)"),
    OPTIM_CLIP_NORM(ValueType.NUMBER, "optim.clip_norm", "0", "Clip the mean gradient to this global L2 norm; 0 = off"),
    OPTIM_SCHEDULE(ValueType.TEXT, "optim.schedule", "none", "Learning-rate schedule: none, cosine or step"),
    OPTIM_WARMUP(ValueType.INTEGER, "optim.warmup", "0", "Linear warm-up iterations before the schedule"),
    OPTIM_MIN_LR(ValueType.NUMBER, "optim.min_lr", "0", "Cosine schedule: final learning rate"),
    OPTIM_STEP_SIZE(ValueType.INTEGER, "optim.step_size", "1000", "Step schedule: iterations between decays"),
    OPTIM_GAMMA(ValueType.NUMBER, "optim.gamma", "0.5", "Step schedule: decay factor"),

    ITERATIONS(ValueType.INTEGER, "iterations", "1000", "Number of synchronous iterations"),
    BATCH_SIZE(ValueType.INTEGER, "batch_size", "100",
            "Global minibatch size (split across partitions by their row counts)"),
    PARTITIONS(ValueType.INTEGER, "partitions", "0",
            "Partitions (cached dense blocks); 0 = Spark's default parallelism"),
    AGGREGATE_DEPTH(ValueType.INTEGER, "aggregate.depth", "2", "treeAggregate depth"),
    SEED(ValueType.LONG, "seed", "0", "Seed of every random choice (data, splits, init, minibatches, noise)"),

    CHECKPOINT_DIR(ValueType.TEXT, "checkpoint.dir", "",
            "Checkpoint directory (Hadoop FileSystem path: local, file:, hdfs:); empty = <output.dir>/checkpoints"),
    CHECKPOINT_EVERY(ValueType.INTEGER, "checkpoint.every", "0", "Write a checkpoint every K iterations; 0 = never"),
    CHECKPOINT_KEEP(ValueType.INTEGER, "checkpoint.keep", "2", "How many most recent checkpoints to keep"),
    CHECKPOINT_EXISTING(ValueType.TEXT, "checkpoint.existing", "fail",
            "A fresh run (resume=false, or auto over another configuration's checkpoints) whose checkpoint.dir"
                    + " holds checkpoints: fail, or move them aside into superseded-<time>/"),
    RESUME(ValueType.TEXT, "resume", "false",
            "false: start fresh; true: continue from the latest checkpoint in checkpoint.dir (fresh start if"
                    + " none), refused naming the differing keys if its configuration differs; auto (for scheduled"
                    + " jobs and retries): continue from it if this job's configuration wrote it, start fresh if"
                    + " there is none, and treat another configuration's as checkpoint.existing says"),

    OUTPUT_DIR(ValueType.TEXT, "output.dir", "",
            "Output directory on any Hadoop file system (a path on fs.defaultFS, or a file:, hdfs:, s3a: ... URI)"
                    + " for metrics.jsonl and, from the CLI, the model, pictures and summary.json; empty = no files"),
    LOG_EVERY(ValueType.INTEGER, "log.every", "10", "Console progress line every N iterations"),
    BACKEND(ValueType.TEXT, "backend", "auto", "Compute backend: auto, cpu or cuda"),
    GPU_LOCAL_DEVICES(ValueType.LIST, "gpu.local.devices", "",
            "GPU ordinals for tasks Spark assigned no GPU (local mode), by partition index, e.g. 0,1");

    private final ValueType type;
    private final String key;
    private final String defaultValue;
    private final String doc;

    TrainKey(ValueType type, String key, String defaultValue, String doc) {
        this.type = type;
        this.key = key;
        this.defaultValue = defaultValue;
        this.doc = doc;
    }

    public String key() {
        return key;
    }

    /** The type of the key's value, as model.json and the Spark ML params hold it. */
    public ValueType type() {
        return type;
    }

    public String defaultValue() {
        return defaultValue;
    }

    public String doc() {
        return doc;
    }

    /** The key named {@code name}, if there is one. */
    public static java.util.Optional<TrainKey> of(String name) {
        return Arrays.stream(values()).filter(k -> k.key.equals(name)).findFirst();
    }

    /** All key names, for {@link JobConf}'s unknown-key check. */
    public static Set<String> names() {
        return Arrays.stream(values()).map(TrainKey::key).collect(Collectors.toUnmodifiableSet());
    }
}
