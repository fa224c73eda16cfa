package dev.odeflow.kernels.backend.cuda;

import dev.odeflow.kernels.backend.CnfKernel;
import dev.odeflow.kernels.backend.ComputeBackend;
import dev.odeflow.kernels.backend.cpu.CpuBackend;
import dev.odeflow.kernels.trace.Probe;
import dev.odeflow.kernels.dynamics.Gemm;
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
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * The CUDA benchmark of the issue: evaluations/s of the augmented dynamics (forward) and of its vector–Jacobian
 * product (adjoint dynamics), their GFLOP/s by {@link NetworkPlan#productFlops}, and the time of one training
 * iteration (dopri5 forward solve + backsolve adjoint, rtol = atol = 1e-5, T = 0.5) with its NFE, for the
 * FFJORD toy CNF (concatsquash 2→64→64→64→2, tanh, exact trace) at batch 100, 1000, 10000, 100000. Timing
 * lives here, not in the tests.
 *
 * <p>Usage: {@code CudaBenchmark [--cpu] [--cpu-max N] [--no-gpu] [--out FILE.md] [--json FILE.jsonl] [batch...]}:
 * --cpu adds the CPU reference for batches up to --cpu-max (default 1000); --no-gpu measures the CPU alone
 * (bin/gpu-first-light's dry run); --out writes the Markdown table (temp file + rename); --json appends one JSON
 * line per row as soon as it is measured, so a run cut short keeps what it measured.
 */
public final class CudaBenchmark {

    private CudaBenchmark() {
    }

    private record Row(String backend, String dtype, int batch, double residentEvalsPerSec, double evalsPerSec,
                       double vjpsPerSec, double iterationMs, long nfeForward, long nfeBackward, double residentSolveMs,
                       double flopsForward, double flopsVjp) {

        /** Forward evaluations/s: the resident (kernel-only) rate where there is one, else the host path's. */
        double forwardRate() {
            return Double.isNaN(residentEvalsPerSec) ? evalsPerSec : residentEvalsPerSec;
        }

        String json() {
            return String.format(Locale.ROOT, "{\"peer\":\"odeflow\",\"backend\":\"%s\",\"dtype\":\"%s\",\"batch\":%d,"
                    + "\"resident_evals_per_s\":%s,\"host_evals_per_s\":%s,\"vjps_per_s\":%s,\"flops_per_eval\":%s,"
                    + "\"flops_per_vjp\":%s,\"gflops_forward\":%s,\"gflops_adjoint\":%s,\"iteration_ms\":%s,"
                    + "\"nfe_forward\":%d,\"nfe_backward\":%d,\"resident_solve_ms\":%s}", backend, dtype, batch,
                    num(residentEvalsPerSec), num(evalsPerSec), num(vjpsPerSec), num(flopsForward), num(flopsVjp),
                    num(forwardRate() * flopsForward * 1e-9), num(vjpsPerSec * flopsVjp * 1e-9), num(iterationMs),
                    nfeForward, nfeBackward, num(residentSolveMs));
        }

        private static String num(double v) {
            return Double.isFinite(v) ? String.format(Locale.ROOT, "%.6g", v) : "null";
        }
    }

    public static void main(String[] args) throws IOException {
        boolean cpu = false;
        boolean gpuToo = true;
        int cpuMax = 1_000;
        Path out = null;
        Path json = null;
        List<Integer> batches = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--cpu" -> cpu = true;
                case "--no-gpu" -> gpuToo = false;
                case "--cpu-max" -> cpuMax = Integer.parseInt(value(args, ++i, "--cpu-max"));
                case "--out" -> out = Path.of(value(args, ++i, "--out"));
                case "--json" -> json = Path.of(value(args, ++i, "--json"));
                default -> batches.add(Integer.parseInt(args[i]));
            }
        }
        if (batches.isEmpty()) {
            batches.addAll(List.of(100, 1000, 10_000, 100_000));
        }
        System.out.println("CPU kernels: " + Gemm.kernels());
        CudaBackend gpu = null;
        if (gpuToo) {
            CudaAvailability av = CudaProbe.availability();
            if (!av.available()) {
                System.err.println("CUDA unusable, nothing to benchmark: " + av.reason());
                System.exit(2);
            }
            gpu = new CudaBackend(0);
        }
        List<Row> rows = new ArrayList<>();
        for (int n : batches) {
            if (gpu != null) {
                record(rows, measure(gpu, "float32", n), json);
            }
            if ((cpu || gpu == null) && n <= cpuMax) {
                record(rows, measure(new CpuBackend(), "float64", n), json);
            }
        }
        StringBuilder md = new StringBuilder();
        md.append("FFJORD toy CNF (concatsquash 2-64-64-64-2, tanh, exact trace) on ")
                .append(gpu == null ? "the CPU only" : gpu.toString()).append("; CPU kernels ").append(Gemm.kernels())
                .append("\n\n");
        md.append("Resident: state already on the device (kernel-only rate); host: the CnfKernel.eval path, which copies "
                + "the state to and from the device per call. GFLOP/s: layer products only (NetworkPlan.productFlops), "
                + "forward from the resident rate where there is one, adjoint from the host VJP rate.\n\n");
        md.append("Resident solve: the same forward solve (dopri5, rtol = atol = 1e-5) entirely on the device "
                + "(ResidentSolver), no gradient.\n\n");
        md.append("| backend | batch | resident evals/s | sample-evals/s | host evals/s | VJPs/s | GFLOP/s fwd | GFLOP/s adj "
                + "| training iteration (ms) | NFE fwd | NFE bwd | resident forward solve (ms) |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Row r : rows) {
            md.append(String.format(Locale.ROOT, "| %s | %d | %s | %.3e | %.1f | %.1f | %.2f | %.2f | %.2f | %d | %d | %s |%n",
                    r.backend, r.batch, cell(r.residentEvalsPerSec, "%.1f"), r.forwardRate() * r.batch, r.evalsPerSec,
                    r.vjpsPerSec, r.forwardRate() * r.flopsForward * 1e-9, r.vjpsPerSec * r.flopsVjp * 1e-9,
                    r.iterationMs, r.nfeForward, r.nfeBackward, cell(r.residentSolveMs, "%.2f")));
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

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    private static String cell(double v, String format) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, format, v);
    }

    private static void record(List<Row> rows, Row r, Path json) throws IOException {
        rows.add(r);
        System.out.printf(Locale.ROOT, "%-8s batch %6d: %10.1f resident evals/s, %10.1f host evals/s, %10.1f VJPs/s, "
                + "iteration %9.2f ms (NFE %d + %d), resident forward solve %9.2f ms%n", r.backend, r.batch,
                r.residentEvalsPerSec, r.evalsPerSec, r.vjpsPerSec, r.iterationMs, r.nfeForward, r.nfeBackward,
                r.residentSolveMs);
        if (json != null) {
            Files.writeString(json, r.json() + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        }
    }

    private static Row measure(ComputeBackend backend, String dtype, int n) {
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
                    resident = rate(() -> c.evalResident(0.25, dy, df), c.device()::synchronize);
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
            double evals = rate(() -> k.eval(0.25, y0, f), () -> { });
            double vjps = rate(() -> k.vjp(0.25, y0, a, f, gy, gTheta), () -> { });
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
            NetworkPlan plan = NetworkPlan.of(arch, 2);
            return new Row(backend.name(), dtype, n, resident, evals, vjps, best, nfeF, nfeB, residentSolve,
                    plan.productFlops(n, false), plan.productFlops(n, true));
        }
    }

    /** Calls per second: warm up, then run for at least one second (at least 5 calls); {@code sync} ends the work. */
    private static double rate(Runnable call, Runnable sync) {
        for (int i = 0; i < 3; i++) {
            call.run();
        }
        sync.run();
        long start = System.nanoTime();
        long calls = 0;
        while (calls < 5 || System.nanoTime() - start < 1_000_000_000L) {
            call.run();
            calls++;
        }
        sync.run();
        return calls / ((System.nanoTime() - start) / 1e9);
    }
}
