package dev.odeflow.kernels.latent;

import dev.odeflow.kernels.gradient.AdjointOptions;
import dev.odeflow.kernels.gradient.GradientMethod;
import dev.odeflow.kernels.model.LossGradient;
import dev.odeflow.kernels.nn.GruCell;
import dev.odeflow.kernels.nn.Mlp;
import dev.odeflow.kernels.random.StandardNormal;
import dev.odeflow.kernels.solver.SolverConfig;
import dev.odeflow.kernels.trajectory.Windows;

import java.io.Serializable;
import java.util.SplittableRandom;

/**
 * The latent ODE (Chen et al. 2018 §5; Rubanova et al. 2019) as an executor computes it. A GRU reads each
 * series' context backwards in time, fed (x, Δt), and gives q(z0 | x) = N(μ, σ²); z0 = μ + σ·ε is carried to
 * every observation time by the latent dynamics ({@link LatentPath}: the ODE, or the GRU baseline); the decoder
 * maps z(t) to the data. The loss per series is the negative ELBO: −Σ log N(x; x̂, noise²) over every observed
 * value (context and later; a missing value, NaN, is masked, and the encoder reads it as 0) plus KL(q ‖ N(0, I)).
 * Gradients run back through the decoder, the dynamics (any gradient method), the reparameterization and the
 * encoder. Immutable and serializable.
 *
 * @param arch     the networks
 * @param noise    the likelihood's fixed standard deviation
 * @param context  the share of each series' time span the encoder reads, in (0, 1]
 * @param train    the training solver
 * @param eval     the evaluation and prediction solver
 * @param gradient the gradient method
 * @param adjoint  the backsolve adjoint's reverse-solve settings
 */
public record LatentOdeModel(LatentArchitecture arch, double noise, double context, SolverConfig train,
                             SolverConfig eval, GradientMethod gradient, AdjointOptions adjoint) implements Serializable {

    private static final double LOG_2PI = Math.log(2 * Math.PI);

    public LatentOdeModel {
        if (arch == null || train == null || eval == null || gradient == null || adjoint == null) {
            throw new IllegalArgumentException("a latent model needs networks, two solvers, a gradient method and"
                    + " adjoint options");
        }
        if (!(noise > 0) || !Double.isFinite(noise)) {
            throw new IllegalArgumentException("the likelihood's noise must be a finite number > 0, got " + noise);
        }
        if (!(context > 0 && context <= 1)) {
            throw new IllegalArgumentException("the context share must be in (0, 1], got " + context);
        }
    }

    public int parameterCount() {
        return arch.size();
    }

    /** What the encoder made of a batch: the run to go back through, the head's pass and (μ, log σ²) per row. */
    private record Encoding(GruCell.Run run, Mlp.Pass head, double[] out) {
    }

    private Encoding encode(double[] theta, LatentBatch b) {
        Windows w = b.w();
        int n = b.count();
        int d = arch.dim();
        int[] at = arch.offsets();
        int steps = 0;
        for (int c : b.context()) {
            steps = Math.max(steps, c);
        }
        GruCell.Run run = arch.encoderCell().run(theta, at[0], n, new double[n * arch.encoderHidden()]);
        for (int s = 0; s < steps; s++) {
            double[] x = new double[n * (d + 1)];
            boolean[] active = new boolean[n];
            for (int i = 0; i < n; i++) {
                if (s < b.context()[i]) {
                    int j = w.offsets()[i] + b.context()[i] - 1 - s;
                    for (int c = 0; c < d; c++) { // a missing value reads as 0
                        double v = w.values()[j * d + c];
                        x[i * (d + 1) + c] = Double.isNaN(v) ? 0 : v;
                    }
                    x[i * (d + 1) + d] = s == 0 ? 0 : w.times()[j + 1] - w.times()[j];
                    active[i] = true;
                }
            }
            run.step(x, active);
        }
        Mlp.Pass head = arch.encoderHead().pass(theta, at[1], n);
        System.arraycopy(run.hidden(), 0, head.input(), 0, n * arch.encoderHidden());
        return new Encoding(run, head, head.forward().clone());
    }

    private void encodeBackward(Encoding e, double[] dOut, double[] g) {
        int[] at = arch.offsets();
        double[][] dH = new double[e.run().steps() + 1][];
        dH[e.run().steps()] = e.head().backward(dOut, g, at[1]).clone();
        e.run().backward(dH, g, at[0]);
    }

    /** The latent path of a batch from z0 at its union of times (training bookkeeping when asked). */
    private LatentPath path(double[] theta, LatentBatch b, double[] z0, boolean training) {
        double[] times = b.union().times();
        if (arch.dynamics() == LatentDynamics.ODE) {
            return training ? LatentPath.ode(arch, theta, z0, times, train, gradient, adjoint)
                    : LatentPath.ode(arch, theta, z0, times, eval, null, adjoint);
        }
        boolean[][] observed = new boolean[times.length][b.count()];
        for (int i = 0; i < b.count(); i++) {
            for (int j = b.w().offsets()[i]; j < b.w().offsets()[i + 1]; j++) {
                observed[b.union().index()[j]][i] = true;
            }
        }
        return LatentPath.gru(arch, theta, z0, times, observed);
    }

    /** The decoder's pass over every observation's latent state (row j: observation j). */
    private Mlp.Pass decode(double[] theta, LatentBatch b, double[][] states) {
        int latent = arch.latent();
        Windows w = b.w();
        Mlp.Pass dec = arch.decoder().pass(theta, arch.offsets()[3], w.observations());
        double[] in = dec.input();
        for (int i = 0; i < b.count(); i++) {
            for (int j = w.offsets()[i]; j < w.offsets()[i + 1]; j++) {
                System.arraycopy(states[b.union().index()[j]], i * latent, in, j * latent, latent);
            }
        }
        dec.forward();
        return dec;
    }

    /**
     * Adds the summed negative ELBO of the series of {@code w} (times relative to each series' first observation)
     * and its gradient w.r.t. θ into {@code acc}; ε of the reparameterization from {@code seed}; the count is the
     * number of series.
     */
    public void addLossGradient(double[] theta, Windows w, long seed, LossGradient acc) {
        check(theta, w);
        LatentBatch b = LatentBatch.of(w, context);
        int n = b.count();
        int latent = arch.latent();
        Encoding e = encode(theta, b);
        double[] eps = new double[n * latent];
        double[] z0 = new double[n * latent];
        SplittableRandom rng = new SplittableRandom(seed);
        double kl = 0;
        for (int i = 0; i < n; i++) {
            for (int l = 0; l < latent; l++) {
                double mu = e.out()[i * 2 * latent + l];
                double lv = e.out()[i * 2 * latent + latent + l];
                eps[i * latent + l] = StandardNormal.next(rng);
                z0[i * latent + l] = mu + eps[i * latent + l] * Math.exp(0.5 * lv);
                kl += 0.5 * (mu * mu + Math.exp(lv) - 1 - lv);
            }
        }
        LatentPath p = path(theta, b, z0, true);
        double[][] states = p.states();
        Mlp.Pass dec = decode(theta, b, states);
        double[] xHat = dec.forward();
        double var = noise * noise;
        double nll = 0;
        double[] dOut = new double[xHat.length];
        for (int k = 0; k < xHat.length; k++) {
            if (Double.isNaN(w.values()[k])) {
                continue; // missing: masked
            }
            double err = xHat[k] - w.values()[k];
            nll += 0.5 * (err * err / var + Math.log(var) + LOG_2PI);
            dOut[k] = err / var;
        }
        double[] g = new double[theta.length];
        double[] dz = dec.backward(dOut, g, arch.offsets()[3]);
        double[][] dZ = new double[states.length][];
        for (int i = 0; i < n; i++) {
            for (int j = w.offsets()[i]; j < w.offsets()[i + 1]; j++) {
                int u = b.union().index()[j];
                if (dZ[u] == null) {
                    dZ[u] = new double[n * latent];
                }
                for (int l = 0; l < latent; l++) {
                    dZ[u][i * latent + l] += dz[j * latent + l];
                }
            }
        }
        double[] dz0 = p.backward(dZ, g);
        double[] dEnc = new double[n * 2 * latent];
        for (int i = 0; i < n; i++) {
            for (int l = 0; l < latent; l++) {
                double mu = e.out()[i * 2 * latent + l];
                double lv = e.out()[i * 2 * latent + latent + l];
                double std = Math.exp(0.5 * lv);
                dEnc[i * 2 * latent + l] = dz0[i * latent + l] + mu;
                dEnc[i * 2 * latent + latent + l] = dz0[i * latent + l] * eps[i * latent + l] * 0.5 * std
                        + 0.5 * (std * std - 1);
            }
        }
        encodeBackward(e, dEnc, g);
        var f = p.forwardStats();
        var r = p.backwardStats();
        acc.add(nll + kl, g, n, f.nfe(), r.nfe(), f.accepted() + r.accepted(), f.rejected() + r.rejected());
    }

    /**
     * Adds the squared error of the series of {@code w} reconstructed from the posterior mean (z0 = μ, evaluation
     * solver) over the observations of {@code part} into {@code acc} (count: those values); an RMSE is
     * √(lossSum / count).
     */
    public void addSquaredError(double[] theta, Windows w, ObservationPart part, LossGradient acc) {
        check(theta, w);
        LatentBatch b = LatentBatch.of(w, context);
        double[] z0 = posteriorMean(encode(theta, b).out(), b.count());
        LatentPath p = path(theta, b, z0, false);
        double[] xHat = decode(theta, b, p.states()).forward();
        int d = arch.dim();
        double sum = 0;
        long count = 0;
        for (int i = 0; i < b.count(); i++) {
            for (int j = w.offsets()[i]; j < w.offsets()[i + 1]; j++) {
                if (part.covers(b.inContext(i, j))) {
                    for (int c = 0; c < d; c++) {
                        double v = w.values()[j * d + c];
                        if (!Double.isNaN(v)) { // missing: masked
                            sum += (xHat[j * d + c] - v) * (xHat[j * d + c] - v);
                            count++;
                        }
                    }
                }
            }
        }
        var f = p.forwardStats();
        acc.add(sum, new double[acc.gradient().length], count, f.nfe(), 0, f.accepted(), f.rejected());
    }

    /**
     * The series of {@code w} decoded at the shared relative {@code times} (increasing, times[0] = 0: each series'
     * first observation), each encoded from its context as in training; z0 is the posterior mean, or with
     * {@code sample} a draw μ + σ·ε with ε from {@code seed}. Per series, times.length × d values (row-major).
     */
    public double[][] reconstruct(double[] theta, Windows w, double[] times, boolean sample, long seed) {
        check(theta, w);
        if (times.length < 1 || times[0] != 0) {
            throw new IllegalArgumentException("reconstruction times must start at 0 (each series' first observation)");
        }
        for (int k = 1; k < times.length; k++) {
            if (!(times[k] > times[k - 1]) || !Double.isFinite(times[k])) {
                throw new IllegalArgumentException("reconstruction times must increase: " + times[k] + " after "
                        + times[k - 1]);
            }
        }
        LatentBatch b = LatentBatch.of(w, context);
        int n = b.count();
        int latent = arch.latent();
        double[] out = encode(theta, b).out();
        double[] z0 = posteriorMean(out, n);
        if (sample) {
            SplittableRandom rng = new SplittableRandom(seed);
            for (int i = 0; i < n * latent; i++) {
                z0[i] += StandardNormal.next(rng) * Math.exp(0.5 * out[(i / latent) * 2 * latent + latent + i % latent]);
            }
        }
        double[][] states;
        if (arch.dynamics() == LatentDynamics.ODE) {
            states = LatentPath.ode(arch, theta, z0, times, eval, null, adjoint).states();
        } else {
            boolean[][] all = new boolean[times.length][n];
            for (boolean[] row : all) {
                java.util.Arrays.fill(row, true);
            }
            states = LatentPath.gru(arch, theta, z0, times, all).states();
        }
        Mlp.Pass dec = arch.decoder().pass(theta, arch.offsets()[3], n * times.length);
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < times.length; k++) {
                System.arraycopy(states[k], i * latent, dec.input(), (i * times.length + k) * latent, latent);
            }
        }
        double[] x = dec.forward();
        int d = arch.dim();
        double[][] result = new double[n][];
        for (int i = 0; i < n; i++) {
            result[i] = java.util.Arrays.copyOfRange(x, i * times.length * d, (i + 1) * times.length * d);
        }
        return result;
    }

    private double[] posteriorMean(double[] out, int n) {
        int latent = arch.latent();
        double[] z0 = new double[n * latent];
        for (int i = 0; i < n; i++) {
            System.arraycopy(out, i * 2 * latent, z0, i * latent, latent);
        }
        return z0;
    }

    private void check(double[] theta, Windows w) {
        if (theta.length != parameterCount()) {
            throw new IllegalArgumentException("parameter vector has " + theta.length + " entries, the latent model"
                    + " needs " + parameterCount());
        }
        if (w.d() != arch.dim()) {
            throw new IllegalArgumentException("the series have " + w.d() + " values per time, the model " + arch.dim());
        }
    }
}
