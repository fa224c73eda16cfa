package dev.odeflow.kernels.bench;

import dev.odeflow.kernels.dynamics.CnfArchitecture;
import dev.odeflow.kernels.dynamics.Precision;
import dev.odeflow.kernels.dynamics.SizeLimits;
import dev.odeflow.kernels.gradient.GradientMethod;
import dev.odeflow.kernels.gradient.Gradients;
import dev.odeflow.kernels.trace.Divergence;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code key=value} arguments of {@code bin/odeflow bench}.
 *
 * @param benchCase  the shape measured
 * @param what     eval_forward, eval_adjoint or iteration
 * @param method   rk4 (fixed steps) or dopri5 (rtol = atol = 1e-5)
 * @param steps    fixed steps for rk4
 * @param batches  batch sizes, each checked against {@link SizeLimits#checkBatch} with half the heap
 * @param runs     timed runs (median reported), after one warm-up
 * @param threads  worker threads splitting the batch
 * @param divergence the trace estimator (the case's own unless set)
 * @param gradient the gradient method of {@code what=iteration} (adjoint, checkpoint or direct)
 * @param precision the network's arithmetic (float64 unless set)
 * @param memoryMb  MiB of stage evaluations direct backprop keeps (the job key gradient.memory_mb; 256 unless set)
 */
record BenchArgs(BenchCase benchCase, String what, String method, int steps, int[] batches, int runs, int threads,
                 Divergence divergence, GradientMethod gradient, Precision precision, int memoryMb) {

    private static final Set<String> KEYS = Set.of("case", "what", "method", "steps", "batch", "runs", "threads",
            "divergence", "gradient", "precision", "memory_mb");

    static BenchArgs parse(String[] args) {
        Map<String, String> kv = new LinkedHashMap<>();
        for (String a : args) {
            int eq = a.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("bench arguments are key=value, got '" + a + "'");
            }
            String key = a.substring(0, eq).trim().toLowerCase(Locale.ROOT);
            if (!KEYS.contains(key)) {
                throw new IllegalArgumentException("unknown bench key '" + key + "'; expected one of " + KEYS);
            }
            kv.put(key, a.substring(eq + 1).trim());
        }
        BenchCase c = BenchCase.parse(kv.getOrDefault("case", "ffjord-toy"));
        Divergence divergence = kv.containsKey("divergence") ? Divergence.parse(kv.get("divergence")) : c.divergence();
        GradientMethod gradient = GradientMethod.parse(kv.getOrDefault("gradient", "adjoint"));
        String what = kv.getOrDefault("what", "iteration");
        if (!Set.of("eval_forward", "eval_adjoint", "iteration").contains(what)) {
            throw new IllegalArgumentException("unknown what='" + what + "'; expected eval_forward, eval_adjoint or iteration");
        }
        String method = kv.getOrDefault("method", "rk4");
        if (!Set.of("rk4", "dopri5").contains(method)) {
            throw new IllegalArgumentException("bench method must be rk4 or dopri5, got '" + method + "'");
        }
        int[] batches = Arrays.stream(kv.getOrDefault("batch", "100").split(",")).map(String::trim)
                .mapToInt(BenchArgs::positive).toArray();
        CnfArchitecture arch = c.architecture();
        int tangents = divergence == Divergence.EXACT ? arch.dim() : 1;
        for (int b : batches) {
            SizeLimits.checkBatch(arch, b, tangents, memoryForBatch(), "batch=" + b);
        }
        return new BenchArgs(c, what, method, positive(kv.getOrDefault("steps", "20")), batches,
                Math.max(5, positive(kv.getOrDefault("runs", "5"))), positive(kv.getOrDefault("threads", "1")),
                divergence, gradient, Precision.parse(kv.getOrDefault("precision", "float64")),
                nonNegative(kv.getOrDefault("memory_mb", Long.toString(Gradients.DEFAULT_KEEP_BYTES >> 20))));
    }

    /** What one benchmark batch may take: half the heap (the rest holds the solver's and the model's arrays). */
    static long memoryForBatch() {
        return Runtime.getRuntime().maxMemory() / 2;
    }

    /**
     * The key=value arguments of a case with its own keys over their {@code defaults} ({@code case} itself
     * skipped); an argument that is not one of them is an IllegalArgumentException naming it and {@code name}.
     */
    static java.util.Map<String, String> caseKeys(String[] args, java.util.Map<String, String> defaults,
                                                  String name) {
        java.util.Map<String, String> kv = new java.util.LinkedHashMap<>(defaults);
        for (String a : args) {
            int eq = a.indexOf('=');
            String key = eq <= 0 ? a : a.substring(0, eq).trim();
            if (key.equals("case")) {
                continue;
            }
            if (eq <= 0 || !kv.containsKey(key)) {
                throw new IllegalArgumentException("case=" + name + " takes " + String.join(", ", defaults.keySet())
                        + ", got '" + a + "'");
            }
            kv.put(key, a.substring(eq + 1).trim());
        }
        return kv;
    }

    /** {@code s} as an integer ≥ 1, or an IllegalArgumentException naming it. */
    static int positive(String s) {
        return atLeast(1, "a positive integer", s);
    }

    private static int nonNegative(String s) {
        return atLeast(0, "an integer >= 0", s);
    }

    private static int atLeast(int min, String expected, String s) {
        try {
            int v = Integer.parseInt(s);
            if (v < min) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected " + expected + ", got '" + s + "'");
        }
    }
}
