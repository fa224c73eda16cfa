package dev.odeflow.kernels.bench;

import dev.odeflow.kernels.dynamics.FloatGemm;
import dev.odeflow.kernels.dynamics.Gemm;
import dev.odeflow.kernels.dynamics.Precision;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * {@code bin/odeflow bench case=product shape=1000x860x860,256x64x64 precision=float32}: the layer product kernels
 * alone, on one thread, per shape rows×k×n one JSON line with the median time and GFLOP/s of the forward product
 * y = x·a (rows×k · k×n, {@code mul}) and of the parameter gradient's acc += xᵀ·g (k×rows · rows×n,
 * {@code mulAddTransposed}). {@code benchmarks/peak.py shape=...} times PyTorch's products on the same shapes.
 */
final class ProductBench {

    private ProductBench() {
    }

    static void run(String[] args, PrintStream out) {
        Map<String, String> kv = BenchArgs.caseKeys(args, new TreeMap<>(Map.of("shape", "1000x860x860", "runs", "5",
                "precision", "float32")), "product");
        Precision precision = Precision.parse(kv.get("precision"));
        int runs = BenchArgs.positive(kv.get("runs"));
        for (String s : kv.get("shape").split(",")) {
            String[] dims = s.trim().split("x");
            if (dims.length != 3) {
                throw new IllegalArgumentException("shape '" + s + "': expected rows x k x n, e.g. 1000x860x860");
            }
            int rows = BenchArgs.positive(dims[0]);
            int k = BenchArgs.positive(dims[1]);
            int n = BenchArgs.positive(dims[2]);
            double mul = median(runs, product(precision, rows, k, n, false));
            double addT = median(runs, product(precision, rows, k, n, true));
            double flops = 2.0 * rows * k * n;
            out.println(String.format(Locale.ROOT, "{\"case\":\"product\",\"shape\":\"%dx%dx%d\",\"precision\":\"%s\","
                            + "\"kernels\":\"%s\",\"threads\":1,\"runs\":%d,\"mul_s\":%.6f,\"mul_gflops\":%.1f,"
                            + "\"mul_add_transposed_s\":%.6f,\"mul_add_transposed_gflops\":%.1f}",
                    rows, k, n, precision.label(), Gemm.kernels(), runs, mul, flops / mul * 1e-9, addT,
                    flops / addT * 1e-9));
            out.flush();
        }
    }

    /** One product of random operands, as a repeatable operation. */
    private static Runnable product(Precision precision, int rows, int k, int n, boolean transposed) {
        SplittableRandom rng = new SplittableRandom(1);
        double[] x = new double[rows * k];
        double[] a = new double[k * n];
        double[] y = new double[rows * n];
        Arrays.setAll(x, i -> rng.nextDouble() - 0.5);
        Arrays.setAll(a, i -> rng.nextDouble() - 0.5);
        Arrays.setAll(y, i -> rng.nextDouble() - 0.5);
        if (precision == Precision.FLOAT64) {
            return transposed ? () -> Gemm.mulAddTransposed(x, y, a, rows, k, n) : () -> Gemm.mul(x, a, y, rows, k, n);
        }
        float[] xf = narrow(x);
        float[] af = narrow(a);
        float[] yf = narrow(y);
        return transposed ? () -> FloatGemm.mulAddTransposed(xf, yf, af, rows, k, n)
                : () -> FloatGemm.mul(xf, af, yf, rows, k, n);
    }

    private static float[] narrow(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return f;
    }

    /** Median seconds of {@code runs} timed runs after a warm-up of at least 3 runs and 1 s. */
    private static double median(int runs, Runnable op) {
        long warmStart = System.nanoTime();
        for (int w = 0; w < 3 || System.nanoTime() - warmStart < 1_000_000_000L; w++) {
            op.run();
        }
        double[] t = new double[runs];
        for (int r = 0; r < runs; r++) {
            long t0 = System.nanoTime();
            op.run();
            t[r] = (System.nanoTime() - t0) * 1e-9;
        }
        Arrays.sort(t);
        return t[runs / 2];
    }
}
