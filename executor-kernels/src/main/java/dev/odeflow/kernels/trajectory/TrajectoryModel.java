package dev.odeflow.kernels.trajectory;

import dev.odeflow.kernels.gradient.AdjointOptions;
import dev.odeflow.kernels.gradient.ForwardPass;
import dev.odeflow.kernels.gradient.GradientMethod;
import dev.odeflow.kernels.gradient.Gradients;
import dev.odeflow.kernels.gradient.Sensitivities;
import dev.odeflow.kernels.model.LossGradient;
import dev.odeflow.kernels.solver.RungeKutta;
import dev.odeflow.kernels.solver.Solution;
import dev.odeflow.kernels.solver.SolverConfig;

import java.io.Serializable;

/**
 * The facade an executor calls to fit trajectories (torchdiffeq's {@code ode_demo}): the windows of a batch start
 * from their observed first values and are solved together, once, over the union of their relative times
 * ({@link UnionTimes}); the loss sums {@link TrajectoryLoss} over every observed value of every window at the
 * window's own times only (the other windows' times are masked out). Immutable and serializable.
 *
 * @param field    the vector field
 * @param loss     L1 or L2 per observed value
 * @param train    the training solver
 * @param eval     the evaluation (RMSE, prediction) solver
 * @param gradient the gradient method
 * @param adjoint  the backsolve adjoint's reverse-solve settings
 */
public record TrajectoryModel(MlpField field, TrajectoryLoss loss, SolverConfig train, SolverConfig eval,
                              GradientMethod gradient, AdjointOptions adjoint) implements Serializable {

    public TrajectoryModel {
        if (field == null || loss == null || train == null || eval == null || gradient == null || adjoint == null) {
            throw new IllegalArgumentException("a trajectory model needs a field, a loss, two solvers, a gradient"
                    + " method and adjoint options");
        }
    }

    public int dim() {
        return field.dim();
    }

    public int parameterCount() {
        return field.size();
    }

    /**
     * Adds the summed loss over every observed value of {@code w} (each window's first value included: ode_demo's
     * mean runs over the whole window; a missing value, NaN, is masked) and its gradient with respect to θ into
     * {@code acc}; the count is the number of values summed. Each window's first value must be complete.
     */
    public void addLossGradient(double[] theta, Windows w, LossGradient acc) {
        UnionTimes u = UnionTimes.of(w);
        ForwardPass fp = Gradients.forward(field.system(theta, w.count()), w.firstValues(), u.times(), train, gradient,
                adjoint);
        double[][] states = fp.solution().states();
        double[][] dLdy = new double[states.length][];
        int d = w.d();
        double sum = 0;
        long count = 0;
        for (int i = 0; i < w.count(); i++) {
            for (int j = w.offsets()[i]; j < w.offsets()[i + 1]; j++) {
                int k = u.index()[j];
                if (dLdy[k] == null) {
                    dLdy[k] = new double[states[k].length];
                }
                for (int c = 0; c < d; c++) {
                    double e = states[k][i * d + c] - w.values()[j * d + c];
                    if (Double.isNaN(w.values()[j * d + c])) {
                        continue; // missing: masked
                    }
                    sum += loss.value(e);
                    dLdy[k][i * d + c] = loss.derivative(e);
                    count++;
                }
            }
        }
        Sensitivities s = fp.backward(dLdy);
        acc.add(sum, s.theta(), count, fp.solution().stats().nfe(), s.stats().nfe(),
                fp.solution().stats().accepted() + s.stats().accepted(),
                fp.solution().stats().rejected() + s.stats().rejected());
    }

    /**
     * Adds the squared error of the trajectories predicted from each window's first value with the evaluation
     * solver, over every observed value after the first, into {@code acc} (count: those values); an RMSE is
     * √(lossSum / count).
     */
    public void addSquaredError(double[] theta, Windows w, LossGradient acc) {
        UnionTimes u = UnionTimes.of(w);
        Solution sol = RungeKutta.solve(field.system(theta, w.count()), w.firstValues(), u.times(), eval);
        int d = w.d();
        double sum = 0;
        long count = 0;
        for (int i = 0; i < w.count(); i++) {
            for (int j = w.offsets()[i] + 1; j < w.offsets()[i + 1]; j++) {
                double[] y = sol.states()[u.index()[j]];
                for (int c = 0; c < d; c++) {
                    double v = w.values()[j * d + c];
                    if (!Double.isNaN(v)) { // missing: masked
                        sum += (y[i * d + c] - v) * (y[i * d + c] - v);
                        count++;
                    }
                }
            }
        }
        acc.add(sum, new double[acc.gradient().length], count,
                sol.stats().nfe(), 0, sol.stats().accepted(), sol.stats().rejected());
    }

    /** The trajectory from {@code y0} at {@code times} (increasing, times[0] the start), evaluation solver. */
    public double[][] predict(double[] theta, double[] y0, double[] times) {
        return RungeKutta.solve(field.system(theta, 1), y0, times, eval).states();
    }

    /** The field f(y) at n points (n×d). */
    public double[] velocities(double[] theta, double[] points, int n) {
        double[] f = new double[n * dim()];
        field.system(theta, n).eval(0, points, f);
        return f;
    }
}
