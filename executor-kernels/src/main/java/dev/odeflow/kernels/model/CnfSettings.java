package dev.odeflow.kernels.model;

import dev.odeflow.kernels.backend.BackendKind;
import dev.odeflow.kernels.regularization.Regularization;
import dev.odeflow.kernels.trace.Divergence;
import dev.odeflow.kernels.gradient.AdjointOptions;
import dev.odeflow.kernels.gradient.GradientMethod;
import dev.odeflow.kernels.solver.Method;
import dev.odeflow.kernels.solver.SolverConfig;

import java.io.Serializable;

/**
 * How a CNF is solved and differentiated.
 *
 * @param train        solver for training solves
 * @param eval         solver for evaluation (log-likelihood, sampling): usually tighter
 * @param gradient     gradient method
 * @param adjoint      backward-pass options
 * @param divergence   trace computation during training (evaluation always uses the exact trace)
 * @param trainEndTime whether T = sqrt_end_time² receives a gradient
 * @param backend      where the dynamics run
 * @param regularization the RNODE regularizers' weights in the training loss (CUDA computes none: a regularized
 *                     model cannot be set to {@link BackendKind#CUDA})
 */
public record CnfSettings(SolverConfig train, SolverConfig eval, GradientMethod gradient, AdjointOptions adjoint,
                          Divergence divergence, boolean trainEndTime, BackendKind backend,
                          Regularization regularization) implements Serializable {

    public CnfSettings {
        if (train == null || eval == null || gradient == null || adjoint == null || divergence == null
                || backend == null || regularization == null) {
            throw new IllegalArgumentException("all CNF settings are required");
        }
        if (backend == BackendKind.CUDA && regularization.active()) {
            throw new IllegalArgumentException(Regularization.NOT_ON_CUDA);
        }
    }

    /** Settings without regularization. */
    public CnfSettings(SolverConfig train, SolverConfig eval, GradientMethod gradient, AdjointOptions adjoint,
                       Divergence divergence, boolean trainEndTime, BackendKind backend) {
        this(train, eval, gradient, adjoint, divergence, trainEndTime, backend, Regularization.none());
    }

    /** FFJORD's toy defaults: dopri5 at 1e-5, backsolve adjoint, exact trace, trainable T; eval at 1e-8. */
    public static CnfSettings ffjordToy() {
        return new CnfSettings(SolverConfig.adaptive(Method.DOPRI5, 1e-5, 1e-5),
                SolverConfig.adaptive(Method.DOPRI5, 1e-8, 1e-8), GradientMethod.BACKSOLVE_ADJOINT,
                AdjointOptions.like(1e-5, 1e-5), Divergence.EXACT, true, BackendKind.AUTO);
    }

    public CnfSettings withTrain(SolverConfig s) {
        return new CnfSettings(s, eval, gradient, adjoint, divergence, trainEndTime, backend, regularization);
    }

    public CnfSettings withEval(SolverConfig s) {
        return new CnfSettings(train, s, gradient, adjoint, divergence, trainEndTime, backend, regularization);
    }

    public CnfSettings withGradient(GradientMethod g) {
        return new CnfSettings(train, eval, g, adjoint, divergence, trainEndTime, backend, regularization);
    }

    public CnfSettings withAdjoint(AdjointOptions a) {
        return new CnfSettings(train, eval, gradient, a, divergence, trainEndTime, backend, regularization);
    }

    public CnfSettings withDivergence(Divergence d) {
        return new CnfSettings(train, eval, gradient, adjoint, d, trainEndTime, backend, regularization);
    }

    public CnfSettings withTrainEndTime(boolean b) {
        return new CnfSettings(train, eval, gradient, adjoint, divergence, b, backend, regularization);
    }

    public CnfSettings withBackend(BackendKind b) {
        return new CnfSettings(train, eval, gradient, adjoint, divergence, trainEndTime, b, regularization);
    }

    public CnfSettings withRegularization(Regularization r) {
        return new CnfSettings(train, eval, gradient, adjoint, divergence, trainEndTime, backend, r);
    }
}
