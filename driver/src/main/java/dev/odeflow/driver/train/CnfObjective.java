package dev.odeflow.driver.train;

import dev.odeflow.driver.data.DataBlock;
import dev.odeflow.driver.gpu.GpuAssignment;
import dev.odeflow.kernels.model.CnfModel;
import dev.odeflow.kernels.model.LossGradient;

import java.util.Arrays;
import java.util.OptionalInt;
import java.util.function.LongConsumer;

/**
 * The CNF's negative log-likelihood on rows, delegated to the kernel's {@link CnfModel}. Inside a Spark task the
 * model is bound to the GPU that {@link GpuAssignment} picks for the task (Spark's {@code gpu} resource, else
 * {@code gpu.local.devices} by partition); the model's {@code backend} setting decides whether it is used. The
 * metric is the NLL in data space: the standardized NLL plus {@code nllOffset} (−log|det| of the standardization).
 */
public final class CnfObjective implements Objective<DataBlock> {

    private static final long serialVersionUID = 3L;

    /** Rows per evaluation call: bounded memory, and an adaptive solver's steps are set by each chunk. */
    public static final int CHUNK_ROWS = 4096;

    private final CnfModel model;
    private final GpuAssignment gpus;
    private final double nllOffset;

    public CnfObjective(CnfModel model) {
        this(model, new GpuAssignment(java.util.List.of()), 0);
    }

    public CnfObjective(CnfModel model, GpuAssignment gpus, double nllOffset) {
        this.model = model;
        this.gpus = gpus;
        this.nllOffset = nllOffset;
    }

    public CnfModel model() {
        return model;
    }

    @Override
    public int paramDim() {
        return model.parameterCount();
    }

    @Override
    public void addLossGradient(double[] w, DataBlock block, int[] units, long noiseSeed, LossGradient acc) {
        forTask().addLossGradient(w, block.gather(units, 0, units.length), units.length, noiseSeed, acc);
    }

    /** The negative log-likelihood summed over the block's rows, in chunks of {@link #CHUNK_ROWS}. */
    @Override
    public void addEvaluation(double[] w, DataBlock b, LongConsumer progress, LossGradient acc) {
        double sum = 0;
        for (int from = 0; from < b.n(); from += CHUNK_ROWS) {
            int m = Math.min(CHUNK_ROWS, b.n() - from);
            for (double v : logLikelihood(w, Arrays.copyOfRange(b.rows(), from * b.d(), (from + m) * b.d()), m)) {
                sum -= v;
            }
            progress.accept(m);
        }
        acc.add(sum, new double[0], b.n(), 0, 0, 0, 0);
    }

    /** log p(x) per row of x (n×d, standardized space). */
    public double[] logLikelihood(double[] w, double[] x, int n) {
        return forTask().logLikelihood(w, x, n);
    }

    @Override
    public String metricName() {
        return "nll";
    }

    @Override
    public double metric(double meanEvaluation) {
        return meanEvaluation + nllOffset;
    }

    @Override
    public double batchMetric(double meanLoss) {
        return meanLoss + nllOffset;
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
