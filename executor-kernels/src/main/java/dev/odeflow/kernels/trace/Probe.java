package dev.odeflow.kernels.trace;

import dev.odeflow.kernels.random.StandardNormal;

import java.util.SplittableRandom;

/**
 * The directions u along which the trace is read: s_i = Σ_j u_ijᵀ (∂f/∂z) u_ij. Exact: the d basis vectors
 * (directions == null). Hutchinson: one noise vector per sample, fixed for the whole solve.
 *
 * @param count      directions per sample (m)
 * @param directions n×m×d row-major, or null for the basis vectors (m = d)
 */
public record Probe(int count, double[] directions) {

    /** The exact trace for dimension d. */
    public static Probe exact(int d) {
        return new Probe(d, null);
    }

    /** No trace at all: plain dynamics. */
    public static Probe none() {
        return new Probe(0, null);
    }

    /** Hutchinson noise for n samples in dimension d, drawn from {@code seed}. */
    public static Probe noise(Divergence kind, int n, int d, long seed) {
        if (kind == Divergence.EXACT) {
            return exact(d);
        }
        SplittableRandom rng = new SplittableRandom(seed);
        double[] e = new double[n * d];
        for (int i = 0; i < e.length; i++) {
            e[i] = kind == Divergence.RADEMACHER ? (rng.nextBoolean() ? 1 : -1) : StandardNormal.next(rng);
        }
        return new Probe(1, e);
    }

    public boolean isExact() {
        return directions == null && count > 0;
    }

    /** Component c of direction j for sample i in dimension d. */
    public double get(int i, int j, int c, int d) {
        return directions == null ? (j == c ? 1 : 0) : directions[(i * count + j) * d + c];
    }
}
