package dev.odeflow.kernels.backend.cuda;

import dev.odeflow.kernels.solver.ButcherTableau;
import dev.odeflow.kernels.solver.SolveStats;
import dev.odeflow.kernels.solver.SolverConfig;
import dev.odeflow.kernels.solver.SolverException;
import dev.odeflow.kernels.solver.StepControl;
import dev.odeflow.kernels.solver.StepMode;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * A forward solve of a {@link CudaCnfKernel} over [t0, t1] with the state on the device: every stage is one
 * {@code cnf_forward} launch into its own buffer, every stage state one {@code rk_combine} launch, and the
 * error norm one {@code rk_error_norm_partial} + {@code reduce_partials} pair, so per step only the error
 * norm (8 bytes) crosses to the host. The step-size controller is {@code RungeKutta}'s (same initial step,
 * safety, growth and shrink limits, error norm and guards), so both take the same decisions up to float32
 * rounding. Fixed modes (FIXED_STEPS, FIXED_SIZE, FIXED_GRID) use the same grids. For solves that need only
 * the end state (log-likelihood, sampling); gradient methods still run through {@link CudaCnfKernel#vjp}.
 * One instance per kernel and thread; close frees its buffers.
 */
public final class ResidentSolver implements AutoCloseable {

    private final CudaCnfKernel kernel;
    private final KernelDevice device;
    private final int dim;
    private final CudaStageOps ops;
    private final List<DeviceBuffer> owned = new ArrayList<>();
    private final DeviceBuffer[] k = new DeviceBuffer[CudaStageOps.MAX_STAGES];
    private DeviceBuffer y;
    private DeviceBuffer y1;
    private final DeviceBuffer ys;
    private long nfe;
    private long accepted;
    private long rejected;
    private boolean closed;

    public ResidentSolver(CudaCnfKernel kernel) {
        this.kernel = kernel;
        this.device = kernel.device();
        this.dim = kernel.dim();
        long bytes = (long) Float.BYTES * dim;
        boolean ok = false;
        CudaStageOps stageOps = null;
        try {
            stageOps = new CudaStageOps(device, dim);
            for (int j = 0; j < k.length; j++) {
                k[j] = alloc(bytes);
            }
            y = alloc(bytes);
            y1 = alloc(bytes);
            ys = alloc(bytes);
            ok = true;
        } finally {
            if (!ok) {
                if (stageOps != null) {
                    stageOps.close();
                }
                freeAll();
            }
        }
        this.ops = stageOps;
    }

    private DeviceBuffer alloc(long bytes) {
        DeviceBuffer b = device.allocate(bytes);
        owned.add(b);
        return b;
    }

    /** Work of the last solve. */
    public SolveStats stats() {
        return new SolveStats(nfe, accepted, rejected);
    }

    /** y(t1) from y(t0) = y0 (length {@link CudaCnfKernel#dim()}), solved with {@code cfg} on the device. */
    public double[] solve(double[] y0, double t0, double t1, SolverConfig cfg) {
        if (closed) {
            throw new IllegalStateException("resident solver used after close");
        }
        if (y0.length != dim) {
            throw new IllegalArgumentException("initial state has " + y0.length + " entries, expected " + dim);
        }
        if (!(Double.isFinite(t0) && Double.isFinite(t1)) || t0 == t1) {
            throw new IllegalArgumentException("need finite, distinct t0 and t1, got " + t0 + " and " + t1);
        }
        ButcherTableau tab = cfg.method().tableau();
        if (tab.stages() > CudaStageOps.MAX_STAGES) {
            throw new IllegalArgumentException(cfg.method().label() + " has " + tab.stages() + " stages; the device solver "
                    + "supports up to " + CudaStageOps.MAX_STAGES);
        }
        if (cfg.mode() == StepMode.ADAPTIVE && !tab.adaptive()) {
            throw new IllegalArgumentException(cfg.method().label() + " has no error estimate for adaptive stepping");
        }
        nfe = 0;
        accepted = 0;
        rejected = 0;
        y.upload(CudaCnfKernel.toFloat(y0));
        eval(t0, y, k[0]);
        if (cfg.mode() == StepMode.ADAPTIVE) {
            adaptive(tab, cfg, t0, t1);
        } else {
            fixed(tab, cfg, grid(cfg, t0, t1));
        }
        float[] out = new float[dim];
        y.download(out);
        double[] result = new double[dim];
        for (int i = 0; i < dim; i++) {
            if (!Float.isFinite(out[i])) {
                throw new SolverException("non-finite state component " + i + " (" + out[i] + ") at the end", t1, 0, nfe);
            }
            result[i] = out[i];
        }
        return result;
    }

    private void adaptive(ButcherTableau tab, SolverConfig cfg, double t0, double t1) {
        int dir = t1 > t0 ? 1 : -1;
        int stages = tab.stages();
        double[] e = tab.error();
        double t = t0;
        double h = cfg.firstStep() > 0 ? dir * cfg.firstStep() : initialStep(tab, cfg, t0, dir);
        while (true) {
            double tNext;
            if (dir * (t + h - t1) >= 0) {
                h = t1 - t;
                tNext = t1;
            } else {
                tNext = t + h;
            }
            StepControl.checkStep(cfg, t, tNext, h, nfe);
            StepControl.checkBudget(cfg, accepted + rejected, nfe, stages, t, h);
            step(tab, t, h);
            double ratio = ops.errorNorm(dim, cfg.norm().prefix(), y, y1, stageList(stages), e, h, cfg.rtol(),
                    cfg.atol());
            double hNew = h * StepControl.factor(cfg, ratio, tab.errorOrder(), t, h, nfe);
            if (ratio > 1) {
                rejected++;
                h = hNew;
                continue;
            }
            accepted++;
            advance(tab, tNext, tNext != t1);
            if (tNext == t1) {
                return;
            }
            t = tNext;
            h = hNew;
        }
    }

    private void fixed(ButcherTableau tab, SolverConfig cfg, double[] grid) {
        for (int i = 0; i + 1 < grid.length; i++) {
            double h = grid[i + 1] - grid[i];
            if (nfe + tab.stages() > cfg.maxNfe()) {
                throw new SolverException("maximum number of function evaluations (" + cfg.maxNfe() + ") reached",
                        grid[i], h, nfe);
            }
            step(tab, grid[i], h);
            accepted++;
            advance(tab, grid[i + 1], i + 2 < grid.length);
        }
    }

    /** Stages 1.. of one step from (t, y) with k[0] = f(t, y); the new state into y1. */
    private void step(ButcherTableau tab, double t, double h) {
        int stages = tab.stages();
        for (int s = 1; s < stages; s++) {
            double[] a = new double[s];
            for (int j = 0; j < s; j++) {
                a[j] = tab.a(s, j);
            }
            boolean last = s == stages - 1;
            DeviceBuffer target = tab.fsal() && last ? y1 : ys;
            ops.combine(dim, y, stageList(s), a, h, target);
            eval(t + tab.c(s) * h, target, k[s]);
        }
        if (!tab.fsal()) {
            double[] b = new double[stages];
            for (int j = 0; j < stages; j++) {
                b[j] = tab.b(j);
            }
            ops.combine(dim, y, stageList(stages), b, h, y1);
        }
    }

    /** Accept the step: y ← y1 and, if another step follows, k[0] ← f(tNext, y1) (the last stage for FSAL). */
    private void advance(ButcherTableau tab, double tNext, boolean more) {
        DeviceBuffer tmp = y;
        y = y1;
        y1 = tmp;
        if (tab.fsal()) {
            DeviceBuffer last = k[tab.stages() - 1];
            k[tab.stages() - 1] = k[0];
            k[0] = last;
        } else if (more) {
            eval(tNext, y, k[0]);
        }
    }

    /** Hairer, Nørsett and Wanner's starting step, as RungeKutta computes it, from device-side norms. */
    private double initialStep(ButcherTableau tab, SolverConfig cfg, double t0, int dir) {
        int prefix = cfg.norm().prefix();
        double[] one = {1};
        double d0 = ops.errorNorm(dim, prefix, y, y, List.of(y), one, 1, cfg.rtol(), cfg.atol());
        double d1 = ops.errorNorm(dim, prefix, y, y, List.of(k[0]), one, 1, cfg.rtol(), cfg.atol());
        double h0 = (d0 < 1e-5 || d1 < 1e-5) ? 1e-6 : 0.01 * d0 / d1;
        ops.combine(dim, y, List.of(k[0]), one, dir * h0, ys);
        eval(t0 + dir * h0, ys, k[1]);
        double d2 = ops.errorNorm(dim, prefix, y, y, List.of(k[0], k[1]), new double[] {-1, 1}, 1, cfg.rtol(),
                cfg.atol()) / h0;
        double h1 = (d1 <= 1e-15 && d2 <= 1e-15) ? Math.max(1e-6, h0 * 1e-3)
                : StrictMath.pow(0.01 / Math.max(d1, d2), 1.0 / (tab.order() + 1));
        double h = Math.min(100 * h0, h1);
        if (!Double.isFinite(h) || h <= 0) {
            throw new SolverException("cannot select an initial step (non-finite derivative?)", t0, h, nfe);
        }
        return dir * h;
    }

    /** The step points of a fixed-step mode over [t0, t1] (as RungeKutta builds them for one interval). */
    static double[] grid(SolverConfig cfg, double t0, double t1) {
        return switch (cfg.mode()) {
            case FIXED_STEPS -> {
                int m = cfg.steps();
                double[] pts = new double[m + 1];
                for (int i = 0; i < m; i++) {
                    pts[i] = t0 + (t1 - t0) * i / m;
                }
                pts[m] = t1;
                yield pts;
            }
            case FIXED_SIZE -> {
                double hs = cfg.stepSize();
                long count = (long) Math.ceil(Math.abs(t1 - t0) / hs - 1e-12);
                if (count > cfg.maxSteps()) {
                    throw new SolverException("step size " + hs + " needs " + count + " steps, more than the maximum "
                            + cfg.maxSteps(), t0, hs, 0);
                }
                int dir = t1 > t0 ? 1 : -1;
                double[] pts = new double[(int) count + 1];
                for (int i = 0; i < count; i++) {
                    pts[i] = t0 + dir * hs * i;
                }
                pts[(int) count] = t1;
                yield pts;
            }
            case FIXED_GRID -> {
                double[] g = cfg.grid();
                if (g == null || g.length < 2 || g[0] != t0 || g[g.length - 1] != t1) {
                    throw new IllegalArgumentException("the fixed grid must run from " + t0 + " to " + t1 + ", got "
                            + Arrays.toString(g));
                }
                int dir = t1 > t0 ? 1 : -1;
                for (int i = 1; i < g.length; i++) {
                    if (dir * (g[i] - g[i - 1]) <= 0) {
                        throw new IllegalArgumentException("time grid is not strictly monotone at index " + i);
                    }
                }
                yield g;
            }
            case ADAPTIVE -> throw new IllegalArgumentException("adaptive stepping has no fixed grid");
        };
    }

    private List<DeviceBuffer> stageList(int count) {
        List<DeviceBuffer> list = new ArrayList<>(count);
        Collections.addAll(list, Arrays.copyOf(k, count));
        return list;
    }

    private void eval(double t, DeviceBuffer state, DeviceBuffer out) {
        kernel.evalResident(t, state, out);
        nfe++;
    }

    private void freeAll() {
        DeviceBuffer.closeAll(owned);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            ops.close();
        } finally {
            freeAll();
        }
    }
}
