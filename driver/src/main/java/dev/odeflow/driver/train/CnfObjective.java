package dev.odeflow.driver.train;

import dev.odeflow.driver.gpu.GpuAssignment;
import dev.odeflow.kernels.model.CnfModel;
import dev.odeflow.kernels.model.LossGradient;

import java.util.OptionalInt;

/**
 * The CNF's negative log-likelihood, delegated to the kernel's {@link CnfModel}. Inside a Spark task the model
 * is bound to the GPU that {@link GpuAssignment} picks for the task (Spark's {@code gpu} resource, else
 * {@code gpu.local.devices} by partition); the model's {@code backend} setting decides whether it is used.
 */
public final class CnfObjective implements Objective {

    private static final long serialVersionUID = 2L;

    private final CnfModel model;
    private final GpuAssignment gpus;

    public CnfObjective(CnfModel model) {
        this(model, new GpuAssignment(java.util.List.of()));
    }

    public CnfObjective(CnfModel model, GpuAssignment gpus) {
        this.model = model;
        this.gpus = gpus;
    }

    public CnfModel model() {
        return model;
    }

    @Override
    public int paramDim() {
        return model.parameterCount();
    }

    @Override
    public void addLossGradient(double[] w, double[] x, int n, long noiseSeed, LossGradient acc) {
        forTask().addLossGradient(w, x, n, noiseSeed, acc);
    }

    @Override
    public double[] logLikelihood(double[] w, double[] x, int n) {
        return forTask().logLikelihood(w, x, n);
    }

    /** Every block's sqrt_end_time when {@code model.train_T} is false. */
    @Override
    public int[] frozenParameters() {
        return model.frozenParameters();
    }

    /** The total integration time Σ_k T_k of the chain (T for one block). */
    @Override
    public double reportedTime(double[] w) {
        return model.endTime(w);
    }

    /** The model bound to this task's GPU, if any. */
    private CnfModel forTask() {
        return model.onDevice(gpus.forCurrentTask().map(OptionalInt::of).orElse(OptionalInt.empty()));
    }
}
