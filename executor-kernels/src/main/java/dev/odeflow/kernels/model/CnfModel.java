package dev.odeflow.kernels.model;

import dev.odeflow.kernels.dynamics.CnfArchitecture;
import dev.odeflow.kernels.dynamics.Precision;

import dev.odeflow.kernels.backend.select.Backends;
import dev.odeflow.kernels.backend.CnfKernel;
import dev.odeflow.kernels.backend.ComputeBackend;
import dev.odeflow.kernels.trace.Probe;
import dev.odeflow.kernels.dynamics.OdeNet;
import dev.odeflow.kernels.dynamics.ParameterLayout;
import dev.odeflow.kernels.dynamics.SizeLimits;
import dev.odeflow.kernels.gradient.ForwardPass;
import dev.odeflow.kernels.gradient.Gradients;
import dev.odeflow.kernels.gradient.Sensitivities;
import dev.odeflow.kernels.solver.Inputs;
import dev.odeflow.kernels.solver.RungeKutta;
import dev.odeflow.kernels.solver.SolveStats;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;
import java.util.Random;

/**
 * A continuous normalizing flow: a chain of K ≥ 1 CNF blocks that share one architecture and how they are
 * solved. Immutable and thread-safe; all per-call state lives in the call. The flat parameter vector w holds,
 * block after block, the block's dynamics tensors in FFJORD's ODEnet order followed by its scalar
 * {@code sqrt_end_time} s_k, with T_k = s_k² (see {@link ChainLayout} for the names).
 *
 * <p>Conventions are FFJORD's ({@code SequentialFlow} of {@code CNF}s): data x at t = 0 enters block 1; block k
 * integrates [z, Δlogp] over [0, T_k] starting from block k−1's end state (the Δlogp channel carries on);
 * base z_K ~ N(0, I) and log p(x) = log N(z_K) − Δlogp_K with dΔlogp/dt = −tr(∂f_k/∂z). Sampling runs the
 * blocks backwards, K to 1, each from T_k to 0. One block is exactly the single CNF.
 *
 * <p>The architecture's {@link Precision} is the arithmetic of training ({@link #addLossGradient}); the
 * log-likelihood and sampling always evaluate the network in double, so that their tight evaluation tolerances
 * see no float rounding and a model reads the same whichever precision trained it.
 */
public final class CnfModel implements Serializable {

    private static final long serialVersionUID = 2L;

    /** Name of the scalar tensor holding s with T = s² (prefixed by {@code chain.k.} in a chain). */
    public static final String END_TIME = "sqrt_end_time";
    /** Most blocks in a chain. */
    public static final int MAX_BLOCKS = 64;
    private static final double LOG_2PI = StrictMath.log(2 * Math.PI);
    private static final int CHUNK = 2048;

    private final CnfArchitecture architecture;
    private final int blocks;
    private final CnfSettings settings;
    private final int threads;
    /** CUDA device ordinal for backend auto/cuda, or -1 for none assigned. */
    private final int device;
    /** Bytes of stage evaluations direct backprop may keep per block solve. */
    private final long keepBytes;
    private transient volatile OdeNet net;

    /** One CNF block. */
    public CnfModel(CnfArchitecture architecture, CnfSettings settings) {
        this(architecture, 1, settings);
    }

    /**
     * A chain of {@code blocks} CNF blocks (FFJORD's {@code --num_blocks}), each with its own dynamics and T.
     * The whole parameter vector must stay within {@link SizeLimits#MAX_PARAMETERS}.
     */
    public CnfModel(CnfArchitecture architecture, int blocks, CnfSettings settings) {
        this(architecture, blocks, settings, 1, -1, Gradients.DEFAULT_KEEP_BYTES);
    }

    private CnfModel(CnfArchitecture architecture, int blocks, CnfSettings settings, int threads, int device,
                     long keepBytes) {
        if (architecture == null || settings == null) {
            throw new IllegalArgumentException("architecture and settings are required");
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        if (keepBytes < 0) {
            throw new IllegalArgumentException("the memory budget must be >= 0 bytes, got " + keepBytes);
        }
        checkBlocks(architecture, blocks);
        this.architecture = architecture;
        this.blocks = blocks;
        this.settings = settings;
        this.threads = threads;
        this.device = device;
        this.keepBytes = keepBytes;
    }

    /**
     * Throws IllegalArgumentException when {@code blocks} is outside 1..{@link #MAX_BLOCKS} or the chain's
     * parameters exceed {@link SizeLimits#MAX_PARAMETERS}.
     */
    public static void checkBlocks(CnfArchitecture architecture, int blocks) {
        if (blocks < 1 || blocks > MAX_BLOCKS) {
            throw new IllegalArgumentException("number of CNF blocks must be between 1 and " + MAX_BLOCKS + ", got "
                    + blocks);
        }
        long perBlock = SizeLimits.parameterCount(architecture.dim(), architecture.hidden(), architecture.layer());
        if (perBlock > SizeLimits.MAX_PARAMETERS / blocks) {
            throw new IllegalArgumentException(blocks + " blocks of " + perBlock + " parameters exceed the limit of "
                    + SizeLimits.MAX_PARAMETERS + " parameters");
        }
    }

    /** The same model with each batch split over {@code threads} CPU threads (1 inside Spark tasks). */
    public CnfModel withThreads(int threads) {
        return new CnfModel(architecture, blocks, settings, threads, device, keepBytes);
    }

    /**
     * The same model with direct backprop keeping up to {@code bytes} of stage evaluations per block solve
     * (the layer activations, so the backward pass need not evaluate the network again); the gradient is the
     * same whatever the budget.
     */
    public CnfModel withKeepBudget(long bytes) {
        return new CnfModel(architecture, blocks, settings, threads, device, bytes);
    }

    /**
     * The same model bound to the GPU a Spark task was given (or none): with backend {@code auto} it runs
     * there if CUDA is usable, with {@code cuda} it must, with {@code cpu} the device is ignored.
     */
    public CnfModel onDevice(OptionalInt gpu) {
        return new CnfModel(architecture, blocks, settings, threads, gpu.isPresent() ? gpu.getAsInt() : -1,
                keepBytes);
    }

    /** The same chain with other solve settings. */
    public CnfModel withSettings(CnfSettings s) {
        return new CnfModel(architecture, blocks, s, threads, device, keepBytes);
    }

    public int threads() {
        return threads;
    }

    /** The architecture of every block's dynamics. */
    public CnfArchitecture architecture() {
        return architecture;
    }

    /** Number of CNF blocks K. */
    public int blocks() {
        return blocks;
    }

    public CnfSettings settings() {
        return settings;
    }

    /** Data dimension d. */
    public int dim() {
        return architecture.dim();
    }

    /**
     * Named tensors of w, block after block: the dynamics in FFJORD order, then {@code sqrt_end_time} (shape []);
     * in a chain every name carries FFJORD's {@code chain.k.} prefix.
     */
    public ParameterLayout layout() {
        return chain().layout(net().layout(), END_TIME);
    }

    /** Number of entries of w. */
    public int parameterCount() {
        return chain().size();
    }

    /** Indices of w holding the blocks' s_k (one per block, in block order). */
    public int[] endTimeIndices() {
        ChainLayout c = chain();
        int[] idx = new int[blocks];
        for (int k = 0; k < blocks; k++) {
            idx[k] = c.endTimeIndex(k);
        }
        return idx;
    }

    /** Indices of w the optimizer must leave alone: every s_k when T is not trained, else none. */
    public int[] frozenParameters() {
        return settings.trainEndTime() ? new int[0] : endTimeIndices();
    }

    /**
     * PyTorch-default initialization (U(±1/sqrt(fan_in))) from {@code seed}, with every T_k = endTime. The blocks
     * draw from one generator in block order, so block 0 of a chain is initialized as a single block would be.
     */
    public double[] initialParameters(long seed, double endTime) {
        if (!(endTime > 0) || !Double.isFinite(endTime)) {
            throw new IllegalArgumentException("end time T must be > 0 and finite, got " + endTime);
        }
        ChainLayout c = chain();
        Random rng = new Random(seed);
        double[] w = new double[c.size()];
        for (int k = 0; k < blocks; k++) {
            double[] theta = net().initialParameters(rng);
            System.arraycopy(theta, 0, w, c.thetaOffset(k), theta.length);
            w[c.endTimeIndex(k)] = Math.sqrt(endTime);
        }
        return w;
    }

    /** T_k = s_k² of every block, in block order. */
    public double[] endTimes(double[] w) {
        ChainLayout c = chain();
        double[] t = new double[blocks];
        for (int k = 0; k < blocks; k++) {
            double s = w[c.endTimeIndex(k)];
            t[k] = s * s;
        }
        return t;
    }

    /** The total integration time Σ_k T_k (for one block, its T = s²). */
    public double endTime(double[] w) {
        double total = 0;
        for (double t : endTimes(w)) {
            total += t;
        }
        return total;
    }

    /**
     * Adds the summed negative log-likelihood of rows x (n×d, row-major) and its gradient with respect to w
     * into {@code acc}, using the training solver and gradient method. Hutchinson noise is drawn from
     * {@code noiseSeed} (block 0) and seeds derived from it (later blocks). The blocks' forward passes are kept
     * until the backward pass has gone through all of them, so a chain holds K times one block's memory.
     */
    public void addLossGradient(double[] w, double[] x, int n, long noiseSeed, LossGradient acc) {
        checkedTheta(w);
        checkRows(x, n);
        if (acc.gradient().length != w.length) {
            throw new IllegalArgumentException("accumulator has " + acc.gradient().length + " entries, w has " + w.length);
        }
        int d = dim();
        double[] endTimes = checkedEndTimes(w);
        ChainLayout c = chain();
        ComputeBackend backend = backend();
        List<CnfKernel> kernels = new ArrayList<>(blocks);
        try {
            ForwardPass[] passes = new ForwardPass[blocks];
            double[] y = augment(x, n);
            for (int k = 0; k < blocks; k++) {
                Probe probe = Probe.noise(settings.divergence(), n, d, blockSeed(noiseSeed, k));
                CnfKernel kernel = backend.cnfKernel(architecture, c.theta(w, k), n, probe);
                kernels.add(kernel);
                passes[k] = Gradients.forward(kernel, y, new double[] {0, endTimes[k]}, settings.train(),
                        settings.gradient(), settings.adjoint(), keepBytes);
                y = passes[k].solution().last();
            }
            double[] dLdy = new double[y.length];
            double loss = 0;
            for (int i = 0; i < n; i++) {
                double sq = 0;
                for (int col = 0; col < d; col++) {
                    double z = y[i * d + col];
                    sq += z * z;
                    dLdy[i * d + col] = z;
                }
                loss += 0.5 * sq + 0.5 * d * LOG_2PI + y[n * d + i];
                dLdy[n * d + i] = 1;
            }
            double[] grad = new double[w.length];
            long nfeF = 0;
            long nfeB = 0;
            long accepted = 0;
            long rejected = 0;
            for (int k = blocks - 1; k >= 0; k--) {
                Sensitivities sens = passes[k].backward(new double[][] {null, dLdy});
                System.arraycopy(sens.theta(), 0, grad, c.thetaOffset(k), c.thetaSize());
                int s = c.endTimeIndex(k);
                grad[s] = settings.trainEndTime() ? 2 * w[s] * sens.times()[1] : 0;
                dLdy = sens.y0();
                SolveStats fs = passes[k].solution().stats();
                nfeF += fs.nfe();
                nfeB += sens.stats().nfe();
                accepted += fs.accepted() + sens.stats().accepted();
                rejected += fs.rejected() + sens.stats().rejected();
                passes[k] = null;
            }
            acc.add(loss, grad, n, nfeF, nfeB, accepted, rejected);
        } finally {
            for (int k = kernels.size() - 1; k >= 0; k--) {
                kernels.get(k).close();
            }
        }
    }

    /** log p(x) per row with the exact trace and the evaluation solver, in chunks of at most 2048 rows. */
    public double[] logLikelihood(double[] w, double[] x, int n) {
        checkedTheta(w);
        checkRows(x, n);
        int d = dim();
        double[] endTimes = checkedEndTimes(w);
        ChainLayout c = chain();
        double[] out = new double[n];
        for (int start = 0; start < n; start += CHUNK) {
            int m = Math.min(CHUNK, n - start);
            double[] y = augment(Arrays.copyOfRange(x, start * d, (start + m) * d), m);
            for (int k = 0; k < blocks; k++) {
                try (CnfKernel kernel = backend().cnfKernel(evaluated(), c.theta(w, k), m, Probe.exact(d))) {
                    y = RungeKutta.solve(kernel, y, new double[] {0, endTimes[k]}, settings.eval()).last();
                }
            }
            for (int i = 0; i < m; i++) {
                double sq = 0;
                for (int col = 0; col < d; col++) {
                    sq += y[i * d + col] * y[i * d + col];
                }
                out[start + i] = -0.5 * sq - 0.5 * d * LOG_2PI - y[m * d + i];
            }
        }
        return out;
    }

    /** Maps base samples z (n×d) back to data space with the evaluation solver: blocks K..1, each T_k → 0. */
    public double[] sample(double[] w, double[] z, int n) {
        return throughBlocks(w, z, n, false);
    }

    /**
     * Maps data x (n×d) to the base space with the evaluation solver, without the trace (blocks 1..K): the inverse
     * of {@link #sample}, which the tests check it against.
     */
    double[] toBase(double[] w, double[] x, int n) {
        return throughBlocks(w, x, n, true);
    }

    /** Solves every block in turn, data → base (each 0 → T_k, blocks 1..K) or base → data (the reverse). */
    private double[] throughBlocks(double[] w, double[] rows, int n, boolean toBase) {
        checkedTheta(w);
        checkRows(rows, n);
        double[] endTimes = checkedEndTimes(w);
        ChainLayout c = chain();
        double[] y = rows;
        for (int i = 0; i < blocks; i++) {
            int k = toBase ? i : blocks - 1 - i;
            double[] span = toBase ? new double[] {0, endTimes[k]} : new double[] {endTimes[k], 0};
            try (CnfKernel kernel = backend().cnfKernel(evaluated(), c.theta(w, k), n, Probe.none())) {
                y = RungeKutta.solve(kernel, y, span, settings.eval()).last();
            }
        }
        return y;
    }

    /**
     * The Hutchinson noise seed of block k: {@code seed} itself for block 0 (so one block draws what it always
     * did), a SplitMix64-mixed derivation for the others.
     */
    static long blockSeed(long seed, int k) {
        if (k == 0) {
            return seed;
        }
        long z = seed + k * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** The backend this model's solves run on: the settings' kind, this model's device and thread count. */
    public ComputeBackend backend() {
        return Backends.select(settings.backend(), device < 0 ? OptionalInt.empty() : OptionalInt.of(device), threads);
    }

    /** The architecture of the evaluation solves: the training one, in double. */
    private CnfArchitecture evaluated() {
        return architecture.withPrecision(Precision.FLOAT64);
    }

    private OdeNet net() {
        OdeNet n = net;
        if (n == null) {
            n = new OdeNet(architecture);
            net = n;
        }
        return n;
    }

    private ChainLayout chain() {
        return new ChainLayout(blocks, net().layout().size());
    }

    private void checkedTheta(double[] w) {
        Inputs.finiteVector("parameter vector w", w, parameterCount());
    }

    private double[] checkedEndTimes(double[] w) {
        double[] t = endTimes(w);
        for (int k = 0; k < t.length; k++) {
            if (!(t[k] > 0)) {
                throw new IllegalArgumentException(blocks == 1
                        ? "end time T = sqrt_end_time^2 must be > 0, got " + t[k]
                        : "end time T_" + k + " = chain." + k + ".sqrt_end_time^2 must be > 0, got " + t[k]);
            }
        }
        return t;
    }

    private void checkRows(double[] x, int n) {
        int d = dim();
        if (n < 1) {
            throw new IllegalArgumentException("need at least one row, got " + n);
        }
        if (x == null || x.length != n * d) {
            throw new IllegalArgumentException("rows array has " + (x == null ? 0 : x.length) + " values, expected "
                    + n + " rows x " + d + " columns = " + n * d);
        }
        for (int i = 0; i < x.length; i++) {
            if (!Double.isFinite(x[i])) {
                throw new IllegalArgumentException("row " + i / d + ", column " + i % d + " is " + x[i]);
            }
        }
    }

    private static double[] augment(double[] x, int n) {
        return Arrays.copyOf(x, x.length + n);
    }
}
