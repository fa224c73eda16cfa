package dev.odeflow.kernels.bench;

import dev.odeflow.kernels.backend.CnfKernel;
import dev.odeflow.kernels.backend.cpu.CpuBackend;
import dev.odeflow.kernels.trace.Probe;
import dev.odeflow.kernels.dynamics.CnfArchitecture;
import dev.odeflow.kernels.model.CnfModel;
import dev.odeflow.kernels.model.CnfSettings;
import dev.odeflow.kernels.model.LossGradient;
import dev.odeflow.kernels.solver.Method;
import dev.odeflow.kernels.solver.SolverConfig;

import java.util.Arrays;
import java.util.Locale;
import java.util.Random;

/**
 * {@code bin/odeflow bench case=ffjord-toy what=iteration method=rk4 steps=20 batch=100,1000 precision=float32}:
 * prints one JSON object per batch size with the median of several timed runs after a warm-up. The cases are
 * {@link BenchCase}s (FFJORD's toy CNF and two tabular shapes), T = 0.5, Adam; {@code precision} picks the
 * network's arithmetic (float64 by default).
 */
public final class BenchMain {

    private BenchMain() {
    }

    public static void main(String[] args) {
        try {
            run(args, System.out);
        } catch (IllegalArgumentException e) {
            System.err.println("odeflow bench: " + e.getMessage());
            System.exit(2);
        }
    }

    /**
     * Runs the benchmark described by {@code key=value} arguments, one JSON line per batch size.
     *
     * @throws IllegalArgumentException for an unknown key or a bad value
     */
    public static void run(String[] args, java.io.PrintStream out) {
        if (Arrays.asList(args).contains("case=classifier")) {
            ClassifierBench.run(args, out);
            return;
        }
        if (Arrays.asList(args).contains("case=product")) {
            ProductBench.run(args, out);
            return;
        }
        BenchArgs a = BenchArgs.parse(args);
        for (int batch : a.batches()) {
            out.println(run(a, batch));
            out.flush();
        }
    }

    static String run(BenchArgs a, int batch) {
        CnfArchitecture arch = a.benchCase().architecture().withPrecision(a.precision());
        SolverConfig solver = a.method().equals("dopri5") ? SolverConfig.adaptive(Method.DOPRI5, 1e-5, 1e-5)
                : SolverConfig.fixedSteps(Method.RK4, a.steps());
        CnfModel model = new CnfModel(arch, CnfSettings.ffjordToy().withTrain(solver)
                .withGradient(a.gradient()).withDivergence(a.divergence())).withThreads(a.threads())
                .withKeepBudget((long) a.memoryMb() << 20);
        double[] w = model.initialParameters(0, 0.5);
        double[] x = new double[batch * arch.dim()];
        Random rng = new Random(1);
        for (int i = 0; i < x.length; i++) {
            x[i] = rng.nextGaussian() * 2;
        }
        double[] times = new double[a.runs()];
        long[] nfe = new long[2];
        Runnable op = switch (a.what()) {
            case "eval_forward" -> evalForward(new CpuBackend(a.threads()), arch, w, x, batch, probe(a, batch));
            case "eval_adjoint" -> evalAdjoint(new CpuBackend(a.threads()), arch, w, x, batch, probe(a, batch));
            default -> iteration(model, w, x, batch, nfe);
        };
        // Warm-up: at least 3 runs and 2 s, so the JIT has compiled the kernels for every shape.
        long warmStart = System.nanoTime();
        int warmRuns = 0;
        while (warmRuns < 3 || System.nanoTime() - warmStart < 2_000_000_000L) {
            op.run();
            warmRuns++;
        }
        double once = (System.nanoTime() - warmStart) * 1e-9 / warmRuns;
        int reps = a.what().equals("iteration") ? 1 : (int) Math.max(1, Math.min(10_000, 0.3 / Math.max(once, 1e-6)));
        for (int run = 0; run < a.runs(); run++) {
            nfe[0] = 0;
            nfe[1] = 0;
            long t0 = System.nanoTime();
            for (int r = 0; r < reps; r++) {
                op.run();
            }
            times[run] = (System.nanoTime() - t0) * 1e-9 / reps;
        }
        Arrays.sort(times);
        double median = times[times.length / 2];
        int rows = batch * (1 + probe(a, 1).count());
        long flopsForward = 2L * rows * macsPerRow(arch);
        StringBuilder sb = new StringBuilder("{");
        sb.append(String.format(Locale.ROOT, "\"case\":\"%s\",\"what\":\"%s\",\"method\":\"%s\",\"steps\":%s,\"batch\":%d,"
                        + "\"threads\":%d,\"divergence\":\"%s\",\"gradient\":\"%s\",\"precision\":\"%s\","
                        + "\"kernels\":\"%s\",\"runs\":%d,\"median_s\":%.6g,\"min_s\":%.6g,\"max_s\":%.6g",
                a.benchCase().label(), a.what(), a.method(), a.method().equals("rk4") ? Integer.toString(a.steps()) : "null",
                batch, a.threads(), a.divergence().label(), a.gradient().label(), a.precision().label(),
                dev.odeflow.kernels.dynamics.Gemm.kernels(),
                a.runs(), median, times[0], times[times.length - 1]));
        if (a.what().equals("iteration")) {
            sb.append(String.format(Locale.ROOT, ",\"nfe_forward\":%d,\"nfe_backward\":%d", nfe[0], nfe[1]));
        } else {
            long flops = a.what().equals("eval_forward") ? flopsForward : 3 * flopsForward;
            sb.append(String.format(Locale.ROOT, ",\"nfe_forward\":%d,\"nfe_backward\":%d,\"evals_per_s\":%.1f,"
                    + "\"flops_per_eval\":%d,\"gflops\":%.2f", a.what().equals("eval_forward") ? 1 : 0,
                    a.what().equals("eval_adjoint") ? 1 : 0, 1 / median, flops, flops / median * 1e-9));
        }
        return sb.append('}').toString();
    }

    /** Multiply-adds per row of one forward pass through the layers (primal and tangent rows alike). */
    static long macsPerRow(CnfArchitecture arch) {
        int[] widths = arch.widths();
        long macs = 0;
        for (int l = 0; l + 1 < widths.length; l++) {
            macs += (long) widths[l] * widths[l + 1];
        }
        return macs;
    }

    private static double[] augmented(double[] x, int n) {
        return Arrays.copyOf(x, x.length + n);
    }

    /** The probe of the bench's evaluations: the exact trace, or one fixed Hutchinson draw. */
    private static Probe probe(BenchArgs a, int n) {
        return Probe.noise(a.divergence(), n, a.benchCase().architecture().dim(), 3);
    }

    private static Runnable evalForward(CpuBackend cpu, CnfArchitecture arch, double[] w, double[] x, int n, Probe p) {
        CnfKernel k = cpu.cnfKernel(arch, Arrays.copyOf(w, w.length - 1), n, p);
        double[] y = augmented(x, n);
        double[] out = new double[y.length];
        return () -> k.eval(0.25, y, out);
    }

    private static Runnable evalAdjoint(CpuBackend cpu, CnfArchitecture arch, double[] w, double[] x, int n, Probe p) {
        CnfKernel k = cpu.cnfKernel(arch, Arrays.copyOf(w, w.length - 1), n, p);
        double[] y = augmented(x, n);
        double[] adj = new double[y.length];
        Arrays.fill(adj, 0.1);
        double[] f = new double[y.length];
        double[] gy = new double[y.length];
        double[] gTheta = new double[w.length - 1];
        return () -> k.vjp(0.25, y, adj, f, gy, gTheta);
    }

    private static Runnable iteration(CnfModel model, double[] w, double[] x, int n, long[] nfe) {
        Adam adam = new Adam(w.length, 1e-3);
        return () -> {
            LossGradient acc = new LossGradient(w.length);
            model.addLossGradient(w, x, n, 0, acc);
            double[] g = acc.gradient();
            for (int i = 0; i < g.length; i++) {
                g[i] /= n;
            }
            adam.step(w, g);
            nfe[0] += acc.nfeForward();
            nfe[1] += acc.nfeBackward();
        };
    }

    /** Adam (Kingma and Ba), the bench's own few lines so the kernels module needs nothing else. */
    private static final class Adam {
        private final double[] m;
        private final double[] v;
        private final double lr;
        private int t;

        Adam(int n, double lr) {
            this.m = new double[n];
            this.v = new double[n];
            this.lr = lr;
        }

        void step(double[] w, double[] g) {
            t++;
            double c1 = 1 - StrictMath.pow(0.9, t);
            double c2 = 1 - StrictMath.pow(0.999, t);
            for (int i = 0; i < w.length; i++) {
                m[i] = 0.9 * m[i] + 0.1 * g[i];
                v[i] = 0.999 * v[i] + 0.001 * g[i] * g[i];
                w[i] -= lr * (m[i] / c1) / (Math.sqrt(v[i] / c2) + 1e-8);
            }
        }
    }
}
