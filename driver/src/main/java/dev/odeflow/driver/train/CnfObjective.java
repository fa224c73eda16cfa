package dev.odeflow.driver.train;

import dev.odeflow.kernels.model.CnfModel;
import dev.odeflow.kernels.model.LossGradient;

/** The CNF's negative log-likelihood, delegated to the kernel's {@link CnfModel}. */
public final class CnfObjective implements Objective {

    private static final long serialVersionUID = 1L;

    private final CnfModel model;
    private final int paramDim;

    public CnfObjective(CnfModel model) {
        this.model = model;
        this.paramDim = model.layout().size();
    }

    public CnfModel model() {
        return model;
    }

    @Override
    public int paramDim() {
        return paramDim;
    }

    @Override
    public void addLossGradient(double[] w, double[] x, int n, long noiseSeed, LossGradient acc) {
        model.addLossGradient(w, x, n, noiseSeed, acc);
    }

    @Override
    public double[] logLikelihood(double[] w, double[] x, int n) {
        return model.logLikelihood(w, x, n);
    }
}
