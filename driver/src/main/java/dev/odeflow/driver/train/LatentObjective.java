package dev.odeflow.driver.train;

import dev.odeflow.driver.data.SeriesBlock;
import dev.odeflow.kernels.latent.LatentOdeModel;
import dev.odeflow.kernels.latent.ObservationPart;
import dev.odeflow.kernels.model.LossGradient;

import dev.odeflow.kernels.trajectory.Windows;

/**
 * The latent ODE ({@code model.kind = latent_ode}) on series blocks: a minibatch's units are whole series, the
 * loss their summed negative ELBO ({@link LatentOdeModel}) with the reparameterization's noise from the
 * iteration's seed; the metric is the RMSE of the series reconstructed from the posterior mean over the
 * observations of one {@link ObservationPart} (all of them, the context: interpolation, or the rest:
 * extrapolation).
 */
public final class LatentObjective extends SeriesObjective {

    private static final long serialVersionUID = 1L;

    private final LatentOdeModel model;
    private final ObservationPart part;

    public LatentObjective(LatentOdeModel model, ObservationPart part) {
        if (model == null || part == null) {
            throw new IllegalArgumentException("a latent objective needs a model and the observations it scores");
        }
        this.model = model;
        this.part = part;
    }

    /** The same training objective, scoring {@code p} instead. */
    public LatentObjective scoring(ObservationPart p) {
        return new LatentObjective(model, p);
    }

    @Override
    public int paramDim() {
        return model.parameterCount();
    }

    @Override
    public void addLossGradient(double[] w, SeriesBlock block, int[] units, long noiseSeed, LossGradient acc) {
        model.addLossGradient(w, block.windows(units), noiseSeed, acc);
    }

    @Override
    protected void addSquaredError(double[] w, Windows series, LossGradient acc) {
        model.addSquaredError(w, series, part, acc);
    }

    @Override
    public String metricName() {
        return part.metric();
    }
}
