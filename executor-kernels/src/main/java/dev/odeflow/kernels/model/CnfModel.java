package dev.odeflow.kernels.model;

import dev.odeflow.kernels.dynamics.CnfArchitecture;

import dev.odeflow.kernels.backend.select.Backends;
import dev.odeflow.kernels.backend.CnfKernel;
import dev.odeflow.kernels.backend.ComputeBackend;
import dev.odeflow.kernels.trace.Probe;
import dev.odeflow.kernels.dynamics.NamedTensor;
import dev.odeflow.kernels.dynamics.OdeNet;
import dev.odeflow.kernels.dynamics.ParameterLayout;
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
 * A continuous normalizing flow: its architecture and how it is solved. Immutable and thread-safe; all
 * per-call state lives in the call. The flat parameter vector w holds the dynamics' tensors in FFJORD's
 * ODEnet order followed by the scalar {@code sqrt_end_time} s, with T = s².
 *
 * <p>Conventions are FFJORD's: data x at t = 0, base z(T) ~ N(0, I), and
 * log p(x) = log N(z(T)) − Δlogp(T) with dΔlogp/dt = −tr(∂f/∂z).
 */
public final class CnfModel implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Name of the scalar tensor holding s with T = s². */
    public static final String END_TIME = "sqrt_end_time";
    private static final double LOG_2PI = StrictMath.log(2 * Math.PI);
    private static final int CHUNK = 2048;

    private final CnfArchitecture architecture;
    private final CnfSettings settings;
    private final int threads;
    /** CUDA device ordinal for backend auto/cuda, or -1 for none assigned. */
    private final int device;
    private transient volatile OdeNet net;

    public CnfModel(CnfArchitecture architecture, CnfSettings settings) {
        this(architecture, settings, 1, -1);
    }

    private CnfModel(CnfArchitecture architecture, CnfSettings settings, int threads, int device) {
        if (architecture == null || settings == null) {
            throw new IllegalArgumentException("architecture and settings are required");
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        this.architecture = architecture;
        this.settings = settings;
        this.threads = threads;
        this.device = device;
    }

    /** The same model with each batch split over {@code threads} CPU threads (1 inside Spark tasks). */
    public CnfModel withThreads(int threads) {
        return new CnfModel(architecture, settings, threads, device);
    }

    /**
     * The same model bound to the GPU a Spark task was given (or none): with backend {@code auto} it runs
     * there if CUDA is usable, with {@code cuda} it must, with {@code cpu} the device is ignored.
     */
    public CnfModel onDevice(OptionalInt gpu) {
        return new CnfModel(architecture, settings, threads, gpu.isPresent() ? gpu.getAsInt() : -1);
    }

    public int threads() {
        return threads;
    }

    public CnfArchitecture architecture() {
        return architecture;
    }

    public CnfSettings settings() {
        return settings;
    }

    /** Data dimension d. */
    public int dim() {
        return architecture.dim();
    }

    /** Named tensors of w: the dynamics in FFJORD order, then {@code sqrt_end_time} (shape []). */
    public ParameterLayout layout() {
        List<NamedTensor> tensors = new ArrayList<>(net().layout().tensors());
        tensors.add(new NamedTensor(END_TIME, new int[0], net().layout().size()));
        return new ParameterLayout(tensors);
    }

    /** Number of entries of w. */
    public int parameterCount() {
        return net().layout().size() + 1;
    }

    /** PyTorch-default initialization (U(±1/sqrt(fan_in))) from {@code seed}, with T = endTime. */
    public double[] initialParameters(long seed, double endTime) {
        if (!(endTime > 0) || !Double.isFinite(endTime)) {
            throw new IllegalArgumentException("end time T must be > 0 and finite, got " + endTime);
        }
        double[] theta = net().initialParameters(new Random(seed));
        double[] w = Arrays.copyOf(theta, theta.length + 1);
        w[theta.length] = Math.sqrt(endTime);
        return w;
    }

    /** T = s² for the parameter vector w. */
    public double endTime(double[] w) {
        double s = w[w.length - 1];
        return s * s;
    }

    /**
     * Adds the summed negative log-likelihood of rows x (n×d, row-major) and its gradient with respect to w
     * into {@code acc}, using the training solver and gradient method. Hutchinson noise is drawn from
     * {@code noiseSeed}.
     */
    public void addLossGradient(double[] w, double[] x, int n, long noiseSeed, LossGradient acc) {
        double[] theta = checkedTheta(w);
        checkRows(x, n);
        if (acc.gradient().length != w.length) {
            throw new IllegalArgumentException("accumulator has " + acc.gradient().length + " entries, w has " + w.length);
        }
        int d = dim();
        double endTime = checkedEndTime(w);
        Probe probe = Probe.noise(settings.divergence(), n, d, noiseSeed);
        try (CnfKernel kernel = backend().cnfKernel(architecture, theta, n, probe)) {
            ForwardPass fp = Gradients.forward(kernel, augment(x, n), new double[] {0, endTime}, settings.train(),
                    settings.gradient(), settings.adjoint());
            double[] yT = fp.solution().last();
            double[] dLdyT = new double[yT.length];
            double loss = 0;
            for (int i = 0; i < n; i++) {
                double sq = 0;
                for (int c = 0; c < d; c++) {
                    double z = yT[i * d + c];
                    sq += z * z;
                    dLdyT[i * d + c] = z;
                }
                loss += 0.5 * sq + 0.5 * d * LOG_2PI + yT[n * d + i];
                dLdyT[n * d + i] = 1;
            }
            Sensitivities sens = fp.backward(new double[][] {null, dLdyT});
            double[] grad = Arrays.copyOf(sens.theta(), w.length);
            grad[w.length - 1] = settings.trainEndTime() ? 2 * w[w.length - 1] * sens.times()[1] : 0;
            SolveStats fs = fp.solution().stats();
            acc.add(loss, grad, n, fs.nfe(), sens.stats().nfe(), fs.accepted() + sens.stats().accepted(),
                    fs.rejected() + sens.stats().rejected());
        }
    }

    /** log p(x) per row with the exact trace and the evaluation solver, in chunks of at most 2048 rows. */
    public double[] logLikelihood(double[] w, double[] x, int n) {
        double[] theta = checkedTheta(w);
        checkRows(x, n);
        int d = dim();
        double endTime = checkedEndTime(w);
        double[] out = new double[n];
        for (int start = 0; start < n; start += CHUNK) {
            int m = Math.min(CHUNK, n - start);
            double[] xs = Arrays.copyOfRange(x, start * d, (start + m) * d);
            try (CnfKernel kernel = backend().cnfKernel(architecture, theta, m, Probe.exact(d))) {
                double[] yT = RungeKutta.solve(kernel, augment(xs, m), new double[] {0, endTime}, settings.eval()).last();
                for (int i = 0; i < m; i++) {
                    double sq = 0;
                    for (int c = 0; c < d; c++) {
                        sq += yT[i * d + c] * yT[i * d + c];
                    }
                    out[start + i] = -0.5 * sq - 0.5 * d * LOG_2PI - yT[m * d + i];
                }
            }
        }
        return out;
    }

    /** Maps base samples z (n×d) at t = T back to data space at t = 0 with the evaluation solver. */
    public double[] sample(double[] w, double[] z, int n) {
        double[] theta = checkedTheta(w);
        checkRows(z, n);
        double endTime = checkedEndTime(w);
        try (CnfKernel kernel = backend().cnfKernel(architecture, theta, n, Probe.none())) {
            return RungeKutta.solve(kernel, z, new double[] {endTime, 0}, settings.eval()).last();
        }
    }

    /** The backend this model's solves run on: the settings' kind, this model's device and thread count. */
    public ComputeBackend backend() {
        return Backends.select(settings.backend(), device < 0 ? OptionalInt.empty() : OptionalInt.of(device), threads);
    }

    private OdeNet net() {
        OdeNet n = net;
        if (n == null) {
            n = new OdeNet(architecture.widths(), architecture.layer(), architecture.activation());
            net = n;
        }
        return n;
    }

    private double[] checkedTheta(double[] w) {
        Inputs.finiteVector("parameter vector w", w, parameterCount());
        return Arrays.copyOf(w, w.length - 1);
    }

    private double checkedEndTime(double[] w) {
        double endTime = endTime(w);
        if (!(endTime > 0)) {
            throw new IllegalArgumentException("end time T = sqrt_end_time^2 must be > 0, got " + endTime);
        }
        return endTime;
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
