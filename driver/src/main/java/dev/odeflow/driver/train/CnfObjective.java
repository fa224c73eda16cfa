package dev.odeflow.driver.train;

import dev.odeflow.kernels.backend.BackendKind;
import dev.odeflow.kernels.cnf.Divergence;
import dev.odeflow.kernels.gradient.AdjointOptions;
import dev.odeflow.kernels.gradient.GradientMethod;
import dev.odeflow.kernels.model.CnfArchitecture;
import dev.odeflow.kernels.model.CnfModel;
import dev.odeflow.kernels.model.CnfSettings;
import dev.odeflow.kernels.model.LossGradient;
import dev.odeflow.kernels.solver.SolverConfig;

import java.io.Serializable;

/**
 * The CNF's negative log-likelihood, delegated to the kernel's {@link CnfModel}. It travels to executors in a
 * serialized form that spells the settings out field by field (so it does not depend on every kernel settings
 * type being {@link Serializable}) and is rebuilt there.
 */
public final class CnfObjective implements Objective {

    private static final long serialVersionUID = 1L;

    private final transient CnfModel model;
    private final int paramDim;

    public CnfObjective(CnfModel model) {
        this.model = model;
        this.paramDim = model.parameterCount();
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

    private Object writeReplace() {
        CnfSettings s = model.settings();
        AdjointOptions a = s.adjoint();
        return new Form(model.architecture(), s.train(), s.eval(), s.gradient(), a.rtol(), a.atol(), a.seminorm(),
                s.divergence(), s.trainEndTime(), s.backend());
    }

    /** The serialized form of a {@link CnfObjective}. */
    private record Form(CnfArchitecture architecture, SolverConfig train, SolverConfig eval, GradientMethod gradient,
                        double adjointRtol, double adjointAtol, boolean seminorm, Divergence divergence,
                        boolean trainEndTime, BackendKind backend) implements Serializable {

        private Object readResolve() {
            return new CnfObjective(new CnfModel(architecture, new CnfSettings(train, eval, gradient,
                    new AdjointOptions(adjointRtol, adjointAtol, seminorm), divergence, trainEndTime, backend)));
        }
    }
}
