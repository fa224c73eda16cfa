package dev.odeflow.driver.train;

import dev.odeflow.driver.data.DataBlock;
import dev.odeflow.kernels.model.LossGradient;

import java.util.SplittableRandom;

/**
 * A test objective with the CNF's contract: a diagonal Gaussian N(μ, diag(e^{2ρ})) with parameters
 * [μ (d), ρ (d), s], loss = Σ rows NLL + (s − 1)²/2 per row + a small noise term drawn from the noise seed (so
 * that noise seeds matter for reproducibility). Counters mimic NFE. Like a CNF with {@code model.train_T = false},
 * it can declare s frozen; it reports s² as its time.
 */
class GaussianObjective implements Objective<DataBlock> {

    private static final long serialVersionUID = 1L;
    private final int d;
    private final boolean trainS;

    GaussianObjective(int d) {
        this(d, true);
    }

    GaussianObjective(int d, boolean trainS) {
        this.d = d;
        this.trainS = trainS;
    }

    @Override
    public int[] frozenParameters() {
        return trainS ? new int[0] : new int[] {2 * d};
    }

    @Override
    public double reportedTime(double[] w) {
        return w[2 * d] * w[2 * d];
    }

    @Override
    public int paramDim() {
        return 2 * d + 1;
    }

    @Override
    public void addLossGradient(double[] w, DataBlock block, int[] units, long noiseSeed, LossGradient acc) {
        int n = units.length;
        double[] x = block.gather(units, 0, n);
        double[] g = new double[paramDim()];
        double loss = 0;
        SplittableRandom rng = new SplittableRandom(noiseSeed);
        for (int i = 0; i < n; i++) {
            double eps = 1e-3 * rng.nextGaussian();
            for (int j = 0; j < d; j++) {
                double mu = w[j];
                double rho = w[d + j];
                double z = (x[i * d + j] - mu) * Math.exp(-rho);
                loss += 0.5 * z * z + rho + 0.5 * Math.log(2 * Math.PI) + eps * x[i * d + j];
                g[j] += -z * Math.exp(-rho);
                g[d + j] += 1 - z * z;
            }
            double s = w[2 * d];
            loss += 0.5 * (s - 1) * (s - 1);
            g[2 * d] += s - 1;
        }
        acc.add(loss, g, n, 6L * n, 9L * n, n, 0);
    }

    @Override
    public void addEvaluation(double[] w, DataBlock block, java.util.function.LongConsumer progress,
                              LossGradient acc) {
        double sum = 0;
        for (double v : logLikelihood(w, block.rows(), block.n())) {
            sum -= v;
        }
        progress.accept(block.n());
        acc.add(sum, new double[0], block.n(), 0, 0, 0, 0);
    }

    @Override
    public String metricName() {
        return "nll";
    }

    @Override
    public double metric(double meanEvaluation) {
        return meanEvaluation;
    }

    @Override
    public double batchMetric(double meanLoss) {
        return meanLoss;
    }

    private double[] logLikelihood(double[] w, double[] x, int n) {
        double[] ll = new double[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                double z = (x[i * d + j] - w[j]) * Math.exp(-w[d + j]);
                ll[i] -= 0.5 * z * z + w[d + j] + 0.5 * Math.log(2 * Math.PI);
            }
        }
        return ll;
    }
}
