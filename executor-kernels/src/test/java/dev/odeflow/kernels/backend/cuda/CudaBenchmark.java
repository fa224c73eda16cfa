package dev.odeflow.kernels.backend.cuda;

import dev.odeflow.kernels.backend.CnfKernel;
import dev.odeflow.kernels.backend.ComputeBackend;
import dev.odeflow.kernels.backend.cpu.CpuBackend;
import dev.odeflow.kernels.trace.Probe;
import dev.odeflow.kernels.dynamics.OdeNet;
import dev.odeflow.kernels.gradient.AdjointOptions;
import dev.odeflow.kernels.gradient.ForwardPass;
import dev.odeflow.kernels.gradient.GradientMethod;
import dev.odeflow.kernels.gradient.Gradients;
import dev.odeflow.kernels.gradient.Sensitivities;
import dev.odeflow.kernels.dynamics.CnfArchitecture;
import dev.odeflow.kernels.solver.Method;
import dev.odeflow.kernels.solver.SolverConfig;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * The CUDA benchmark of the issue: evaluations/s of the augmented dynamics and the time of one training
 * iteration (dopri5 forward solve + backsolve adjoint, rtol = atol = 1e-5, T = 0.5) for the FFJORD toy CNF
 * (concatsquash 2→64→64→64→2, tanh, exact trace) at batch 100, 1000, 10000, 100000. Timing lives here, not
 * in the tests. Usage: {@code CudaBenchmark [--cpu] [--out FILE] [batch...]}; --cpu adds the CPU reference
 * for batches up to 1000; --out writes the Markdown table there (temp file + rename).
 */
public final class CudaBenchmark {

    private CudaBenchmark() {
    }

    private record Row(String backend, int batch, double residentEvalsPerSec, double evalsPerSec, double vjpsPerSec,
                       double iterationMs, long nfeForward, long nfeBackward, double residentSolveMs) {
    }

    public static void main(String[] args) throws IOException {
        boolean cpu = false;
        Path out = null;
        List<Integer> batches = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--cpu" -> cpu = true;
                case "--out" -> {
                    if (i + 1 >= args.length) {
                        throw new IllegalArgumentException("--out needs a file name");
                    }
                    out = Path.of(args[++i]);
                }
                default -> batches.add(Integer.parseInt(args[i]));
            }
        }
        if (batches.isEmpty()) {
            batches.addAll(List.of(100, 1000, 10_000, 100_000));
        }
        CudaAvailability av = CudaProbe.availability();
        if (!av.available()) {
            System.err.println("CUDA unusable, nothing to benchmark: " + av.reason());
            System.exit(2);
        }
        CudaBackend gpu = new CudaBackend(0);
        List<Row> rows = new ArrayList<>();
        for (int n : batches) {
            rows.add(measure(gpu, n));
            print(rows.get(rows.size() - 1));
            if (cpu && n <= 1_000) {
                rows.add(measure(new CpuBackend(), n));
                print(rows.get(rows.size() - 1));
            }
        }
        StringBuilder md = new StringBuilder();
        md.append("FFJORD toy CNF (concatsquash 2-64-64-64-2, tanh, exact trace) on ").append(gpu).append("\n\n");
        md.append("Resident: state already on the device (kernel-only rate); host: the CnfKernel.eval path, which copies "
                + "the state to and from the device per call.\n\n");
        md.append("Resident solve: the same forward solve (dopri5, rtol = atol = 1e-5) entirely on the device "
                + "(ResidentSolver), no gradient.\n\n");
        md.append("| backend | batch | resident evals/s | sample-evals/s | host evals/s | VJPs/s | training iteration (ms) "
                + "| NFE fwd | NFE bwd | resident forward solve (ms) |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Row r : rows) {
            md.append(String.format(Locale.ROOT, "| %s | %d | %s | %s | %.1f | %.1f | %.2f | %d | %d | %s |%n", r.backend,
                    r.batch, Double.isNaN(r.residentEvalsPerSec) ? "-" : String.format(Locale.ROOT, "%.1f",
                            r.residentEvalsPerSec),
                    String.format(Locale.ROOT, "%.3e", (Double.isNaN(r.residentEvalsPerSec) ? r.evalsPerSec
                            : r.residentEvalsPerSec) * r.batch),
                    r.evalsPerSec, r.vjpsPerSec, r.iterationMs, r.nfeForward, r.nfeBackward,
                    Double.isNaN(r.residentSolveMs) ? "-" : String.format(Locale.ROOT, "%.2f", r.residentSolveMs)));
        }
        System.out.println();
        System.out.print(md);
        if (out != null) {
            Path abs = out.toAbsolutePath();
            Path tmp = Files.createTempFile(abs.getParent(), abs.getFileName().toString(), ".tmp");
            Files.writeString(tmp, md.toString(), StandardCharsets.UTF_8);
            Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
    }

    private static void print(Row r) {
        System.out.printf(Locale.ROOT, "%-8s batch %6d: %10.1f resident evals/s, %10.1f host evals/s, %10.1f VJPs/s, "
                + "iteration %9.2f ms (NFE %d + %d), resident forward solve %9.2f ms%n", r.backend, r.batch,
                r.residentEvalsPerSec, r.evalsPerSec, r.vjpsPerSec, r.iterationMs, r.nfeForward, r.nfeBackward,
                r.residentSolveMs);
    }

    private static Row measure(ComputeBackend backend, int n) {
        CnfArchitecture arch = CnfArchitecture.ffjordToy();
        Random rng = new Random(42);
        double[] theta = new OdeNet(arch.widths(), arch.layer(), arch.activation()).initialParameters(rng);
        double[] y0 = new double[3 * n];
        for (int i = 0; i < n; i++) {
            double angle = 2 * Math.PI * (rng.nextInt(8) / 8.0);
            y0[2 * i] = 2 * Math.cos(angle) + 0.2 * rng.nextGaussian();
            y0[2 * i + 1] = 2 * Math.sin(angle) + 0.2 * rng.nextGaussian();
        }
        try (CnfKernel k = backend.cnfKernel(arch, theta, n, Probe.exact(2))) {
            double[] f = new double[k.dim()];
            double[] a = new double[k.dim()];
            Arrays.fill(a, 1.0);
            double[] gy = new double[k.dim()];
            double[] gTheta = new double[theta.length];
            double resident = Double.NaN;
            if (k instanceof CudaCnfKernel c) {
                try (DeviceBuffer dy = c.device().allocate((long) Float.BYTES * c.dim());
                     DeviceBuffer df = c.device().allocate((long) Float.BYTES * c.dim())) {
                    dy.upload(CudaCnfKernel.toFloat(y0));
                    resident = rate(() -> c.evalResident(0.25, dy, df));
                }
            }
            double residentSolve = Double.NaN;
            if (k instanceof CudaCnfKernel c) {
                try (ResidentSolver solver = new ResidentSolver(c)) {
                    SolverConfig fwd = SolverConfig.adaptive(Method.DOPRI5, 1e-5, 1e-5);
                    solver.solve(y0, 0, 0.5, fwd);
                    residentSolve = Double.MAX_VALUE;
                    for (int rep = 0; rep < 3; rep++) {
                        long t0 = System.nanoTime();
                        solver.solve(y0, 0, 0.5, fwd);
                        residentSolve = Math.min(residentSolve, (System.nanoTime() - t0) / 1e6);
                    }
                }
            }
            double evals = rate(() -> k.eval(0.25, y0, f));
            double vjps = rate(() -> k.vjp(0.25, y0, a, f, gy, gTheta));
            SolverConfig cfg = SolverConfig.adaptive(Method.DOPRI5, 1e-5, 1e-5);
            AdjointOptions adj = AdjointOptions.like(1e-5, 1e-5);
            double[] times = {0, 0.5};
            double best = Double.MAX_VALUE;
            long nfeF = 0;
            long nfeB = 0;
            for (int rep = 0; rep < 3; rep++) {
                long t0 = System.nanoTime();
                ForwardPass fp = Gradients.forward(k, y0, times, cfg, GradientMethod.BACKSOLVE_ADJOINT, adj);
                double[] yT = fp.solution().last();
                double[] dL = new double[yT.length];
                for (int i = 0; i < 2 * n; i++) {
                    dL[i] = yT[i];
                }
                Arrays.fill(dL, 2 * n, 3 * n, 1.0);
                Sensitivities s = fp.backward(new double[][] {null, dL});
                best = Math.min(best, (System.nanoTime() - t0) / 1e6);
                nfeF = fp.solution().stats().nfe();
                nfeB = s.stats().nfe();
            }
            return new Row(backend.name(), n, resident, evals, vjps, best, nfeF, nfeB, residentSolve);
        }
    }

    /** Calls per second: warm up, then run for at least one second (at least 5 calls). */
    private static double rate(Runnable call) {
        for (int i = 0; i < 3; i++) {
            call.run();
        }
        long start = System.nanoTime();
        long calls = 0;
        while (calls < 5 || System.nanoTime() - start < 1_000_000_000L) {
            call.run();
            calls++;
        }
        return calls / ((System.nanoTime() - start) / 1e9);
    }
}
