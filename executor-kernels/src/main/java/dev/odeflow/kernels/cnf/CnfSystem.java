package dev.odeflow.kernels.cnf;

import dev.odeflow.kernels.trace.Probe;

import dev.odeflow.kernels.backend.CnfKernel;
import dev.odeflow.kernels.dynamics.BatchDynamics;
import dev.odeflow.kernels.solver.KeptEvaluation;

import java.util.Arrays;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The CPU reference of the augmented CNF system y = [Z (n×d), Δlogp (n)]:
 * dZ/dt = f(t, Z; θ), dΔlogp/dt = −s with s the probe's trace estimate. Its VJP pulls the cotangent of
 * Δlogp through the trace, which brings in the second-order terms. With {@link Probe#none()} the state is
 * Z alone: a plain neural ODE.
 *
 * <p>The samples are cut into fixed blocks of {@value #BLOCK} (the last one shorter), whatever the thread
 * count: each block computes its own parameter gradient, and the blocks' gradients are summed in block
 * order. With {@code threads > 1} contiguous runs of blocks are evaluated in parallel. So the result depends
 * on the batch, never on the number of threads or on scheduling.
 */
public final class CnfSystem implements CnfKernel {

    private static final ExecutorService POOL = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "odeflow-cpu-kernel");
        t.setDaemon(true);
        return t;
    });

    /** Samples per block: the unit of parallel work and of the parameter-gradient sum. */
    public static final int BLOCK = 128;

    private final int n;
    private final int d;
    private final int paramDim;
    private final boolean augmented;
    private final Chunk[] chunks;
    /** Worker w evaluates chunks [bounds[w], bounds[w + 1]). */
    private final int[] bounds;
    private boolean closed;

    public CnfSystem(BatchDynamics dynamics, double[] theta, int n, Probe probe) {
        this(dynamics, theta, n, probe, 1);
    }

    public CnfSystem(BatchDynamics dynamics, double[] theta, int n, Probe probe, int threads) {
        if (theta.length != dynamics.layout().size()) {
            throw new IllegalArgumentException("parameter vector has " + theta.length + " entries, the dynamics need "
                    + dynamics.layout().size());
        }
        if (probe.directions() != null && probe.directions().length != n * probe.count() * dynamics.dim()) {
            throw new IllegalArgumentException("probe has " + probe.directions().length + " values, expected "
                    + n * probe.count() * dynamics.dim());
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        if (n < 1) {
            throw new IllegalArgumentException("need at least one sample, got " + n);
        }
        this.n = n;
        this.d = dynamics.dim();
        this.paramDim = theta.length;
        this.augmented = probe.count() > 0;
        int parts = (n + BLOCK - 1) / BLOCK;
        this.chunks = new Chunk[parts];
        for (int c = 0; c < parts; c++) {
            chunks[c] = new Chunk(dynamics, c, theta, c * BLOCK, Math.min(n, (c + 1) * BLOCK), probe, parts == 1);
        }
        int workers = Math.min(threads, parts);
        this.bounds = new int[workers + 1];
        for (int w = 0; w <= workers; w++) {
            bounds[w] = (int) ((long) parts * w / workers);
        }
    }

    /** Whether the state carries Δlogp after Z. */
    public boolean augmented() {
        return augmented;
    }

    @Override
    public int dim() {
        return n * d + (augmented ? n : 0);
    }

    @Override
    public int paramDim() {
        return paramDim;
    }

    @Override
    public void eval(double t, double[] y, double[] dydt) {
        if (bounds.length == 2) { // no lambda: the adjoint's reverse solve must not allocate per evaluation
            for (Chunk c : chunks) {
                c.forward(c.pass, t, y, dydt);
            }
        } else {
            run(c -> c.forward(c.pass, t, y, dydt));
        }
    }

    @Override
    public double vjp(double t, double[] y, double[] a, double[] f, double[] gy, double[] gTheta) {
        if (bounds.length == 2) { // as in eval
            for (Chunk c : chunks) {
                c.vjp(t, y, a, f, gy);
            }
        } else {
            run(c -> c.vjp(t, y, a, f, gy));
        }
        return collect(gTheta);
    }

    /**
     * Evaluates with a pass per chunk set aside from the chunk's own (reused once released), so that the VJP at
     * this point runs only the passes' reverse halves: the same numbers as {@link #vjp}, without the forward.
     */
    @Override
    public KeptEvaluation evalKept(double t, double[] y, double[] dydt, long budgetBytes) {
        BatchDynamics.Pass[] passes = new BatchDynamics.Pass[chunks.length];
        each(c -> {
            passes[c.index] = c.takeSpare();
            c.forward(passes[c.index], t, y, dydt);
        });
        long bytes = 0;
        for (BatchDynamics.Pass p : passes) {
            bytes += p.retainedBytes();
        }
        Kept kept = new Kept(passes, bytes);
        if (bytes > budgetBytes) {
            kept.release();
            return null;
        }
        return kept;
    }

    /** The chunks' passes of one evaluation, set aside for its VJP. */
    private final class Kept implements KeptEvaluation {
        private final BatchDynamics.Pass[] passes;
        private final long bytes;

        Kept(BatchDynamics.Pass[] passes, long bytes) {
            this.passes = passes;
            this.bytes = bytes;
        }

        @Override
        public long bytes() {
            return bytes;
        }

        @Override
        public double vjp(double[] a, double[] gy, double[] gTheta) {
            each(c -> c.backward(passes[c.index], a, gy));
            return collect(gTheta);
        }

        @Override
        public void release() {
            for (Chunk c : chunks) {
                c.dynamics.returnPass(BLOCK, passes[c.index]);
            }
        }
    }

    /** Runs the work on every chunk: in order on this thread, or on the workers (kept evaluations). */
    private void each(ChunkWork work) {
        if (bounds.length == 2) {
            for (Chunk c : chunks) {
                work.on(c);
            }
        } else {
            run(work);
        }
    }

    /** Adds the chunks' parameter gradients into gTheta in chunk order; returns the summed time gradient. */
    private double collect(double[] gTheta) {
        double gt = 0;
        for (Chunk c : chunks) {
            gt += c.gt;
            for (int i = 0; i < paramDim; i++) {
                gTheta[i] += c.gTheta[i];
            }
        }
        return gt;
    }

    private interface ChunkWork {
        void on(Chunk c);
    }

    private void run(ChunkWork work) {
        int workers = bounds.length - 1;
        Future<?>[] futures = new Future<?>[workers - 1];
        for (int w = 1; w < workers; w++) {
            int from = bounds[w];
            int to = bounds[w + 1];
            futures[w - 1] = POOL.submit(() -> runRange(work, from, to));
        }
        runRange(work, bounds[0], bounds[1]);
        for (Future<?> fu : futures) {
            try {
                fu.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while evaluating the dynamics", e);
            } catch (java.util.concurrent.ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof RuntimeException re) {
                    throw re;
                }
                throw new IllegalStateException(cause);
            }
        }
    }

    private void runRange(ChunkWork work, int from, int to) {
        for (int c = from; c < to; c++) {
            work.on(chunks[c]);
        }
    }

    /** Samples [lo, hi): its own pass, inputs, outputs and parameter-gradient buffer. */
    private final class Chunk {
        private final BatchDynamics dynamics;
        private final int index;
        private final BatchDynamics.Pass pass;
        private final double[] theta;
        private final int lo;
        private final int m;
        private final Probe probe;
        private final boolean direct;
        private final double[] z;
        private final double[] f;
        private final double[] trace;
        private final double[] gF;
        private final double[] gS;
        private final double[] gz;
        private final double[] gTheta;
        private double gt;

        Chunk(BatchDynamics dynamics, int index, double[] theta, int lo, int hi, Probe full, boolean direct) {
            this.dynamics = dynamics;
            this.index = index;
            this.lo = lo;
            this.m = hi - lo;
            this.theta = theta;
            this.direct = direct;
            this.pass = dynamics.takePass(BLOCK);
            this.probe = full.directions() == null ? full : new Probe(full.count(),
                    Arrays.copyOfRange(full.directions(), lo * full.count() * d, hi * full.count() * d));
            this.z = direct ? null : new double[m * d];
            this.f = new double[m * d];
            this.trace = augmented ? new double[m] : null;
            this.gF = direct ? null : new double[m * d];
            this.gS = augmented ? new double[m] : null;
            this.gz = direct ? null : new double[m * d];
            this.gTheta = new double[theta.length];
        }

        BatchDynamics.Pass takeSpare() {
            return dynamics.takePass(BLOCK);
        }

        private double[] input(double[] y) {
            if (direct) {
                return y;
            }
            System.arraycopy(y, lo * d, z, 0, m * d);
            return z;
        }

        /** This chunk's rows of f(t, y) into dydt through pass p. */
        void forward(BatchDynamics.Pass p, double t, double[] y, double[] dydt) {
            double[] out = direct ? dydt : f;
            p.forward(t, theta, input(y), m, probe, out, trace);
            if (!direct) {
                System.arraycopy(f, 0, dydt, lo * d, m * d);
            }
            if (augmented) {
                int off = n * d + lo;
                for (int i = 0; i < m; i++) {
                    dydt[off + i] = -trace[i];
                }
            }
        }

        void vjp(double t, double[] y, double[] a, double[] fOut, double[] gy) {
            if (fOut != null) {
                forward(pass, t, y, fOut);
            } else {
                pass.forward(t, theta, input(y), m, probe, f, trace);
            }
            backward(pass, a, gy);
        }

        /** The reverse of pass p's last forward call: this chunk's rows of aᵀ∂f/∂y into gy, θ and t kept. */
        void backward(BatchDynamics.Pass p, double[] a, double[] gy) {
            if (augmented) {
                int off = n * d + lo;
                for (int i = 0; i < m; i++) {
                    gS[i] = -a[off + i];
                }
            }
            Arrays.fill(gTheta, 0);
            if (direct) {
                gt = p.backward(a, gS, gy, gTheta);
            } else {
                System.arraycopy(a, lo * d, gF, 0, m * d);
                Arrays.fill(gz, 0);
                gt = p.backward(gF, gS, gz, gTheta);
                for (int i = 0; i < m * d; i++) {
                    gy[lo * d + i] += gz[i];
                }
            }
        }
    }

    /** Hands the chunks' passes back to the dynamics' pool (nothing is held off-heap). */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            for (Chunk c : chunks) {
                c.dynamics.returnPass(BLOCK, c.pass);
            }
        }
    }
}
