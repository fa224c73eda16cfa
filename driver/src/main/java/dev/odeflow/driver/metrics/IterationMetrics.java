package dev.odeflow.driver.metrics;

import java.util.Locale;

/**
 * What one iteration did. {@code valNll} is NaN except on iterations with a validation pass. The metric is the
 * objective's ({@code metric}: nll for a CNF, rmse for a trajectory fit), written as {@code train_<metric>} and
 * {@code val_<metric>}; {@code kinetic} and {@code jacobian} are NaN unless their RNODE regularizer is on.
 *
 * @param iteration     1-based iteration number
 * @param loss          mean training loss (what the optimizer sees): for a CNF the NLL in nats in the model's
 *                      standardized space, plus the RNODE penalties l2int·kinetic + JFrobint·jacobian when on
 * @param trainNll      the same batch's metric (a CNF: its NLL alone in nats in data space, the NLL + log|det| of
 *                      the standardization), the units of {@code valNll}; NaN (not written) when the loss gives none
 * @param nfeForward    dynamics evaluations of the forward solves, summed over partitions
 * @param nfeBackward   dynamics evaluations of the backward solves, summed over partitions
 * @param accepted      accepted solver steps
 * @param rejected      rejected solver steps
 * @param wallSeconds   seconds since the start of this run's loop
 * @param iterSeconds   seconds of this iteration
 * @param samplesPerSecond batch rows per second in this iteration
 * @param endTime       T after the update, as the objective reports it (a CNF chain: Σ_k T_k)
 * @param lr            learning rate used
 * @param gradNorm      global norm of the mean gradient before clipping
 * @param valNll        the validation metric (a CNF: NLL in data space), or NaN
 * @param metric        the metric's name
 * @param kinetic       batch mean of the kinetic energy ∫‖f‖² dt (summed over blocks), or NaN when not regularized
 * @param jacobian      batch mean of ∫‖∂f/∂z‖²_F dt (or its Hutchinson estimate), or NaN when not regularized
 */
public record IterationMetrics(long iteration, double loss, double trainNll, long nfeForward, long nfeBackward, long accepted,
                               long rejected, double wallSeconds, double iterSeconds, double samplesPerSecond,
                               double endTime, double lr, double gradNorm, double valNll, String metric,
                               double kinetic, double jacobian) {

    /** One JSON object without newline; non-finite numbers are written as null. */
    public String toJson() {
        StringBuilder b = new StringBuilder(256);
        b.append("{\"iteration\":").append(iteration);
        num(b, "loss", loss);
        if (!Double.isNaN(trainNll)) {
            num(b, "train_" + metric, trainNll);
        }
        b.append(",\"nfe_forward\":").append(nfeForward);
        b.append(",\"nfe_backward\":").append(nfeBackward);
        b.append(",\"accepted\":").append(accepted);
        b.append(",\"rejected\":").append(rejected);
        num(b, "wall_s", wallSeconds);
        num(b, "iter_s", iterSeconds);
        num(b, "samples_per_s", samplesPerSecond);
        num(b, "T", endTime);
        num(b, "lr", lr);
        num(b, "grad_norm", gradNorm);
        if (!Double.isNaN(valNll)) {
            num(b, "val_" + metric, valNll);
        }
        if (!Double.isNaN(kinetic)) {
            num(b, "l2int", kinetic);
        }
        if (!Double.isNaN(jacobian)) {
            num(b, "JFrobint", jacobian);
        }
        return b.append('}').toString();
    }

    private static void num(StringBuilder b, String key, double v) {
        b.append(",\"").append(key).append("\":");
        b.append(Double.isFinite(v) ? String.format(Locale.ROOT, "%.10g", v).strip() : "null");
    }
}
