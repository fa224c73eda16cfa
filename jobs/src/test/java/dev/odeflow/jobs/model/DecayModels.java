package dev.odeflow.jobs.model;

import dev.odeflow.driver.output.OutputStore;
import dev.odeflow.kernels.dynamics.Activation;
import dev.odeflow.kernels.dynamics.NamedTensor;
import dev.odeflow.kernels.gradient.AdjointOptions;
import dev.odeflow.kernels.gradient.GradientMethod;
import dev.odeflow.kernels.solver.Method;
import dev.odeflow.kernels.solver.SolverConfig;
import dev.odeflow.kernels.trajectory.InputTransform;
import dev.odeflow.kernels.trajectory.MlpField;
import dev.odeflow.kernels.trajectory.TrajectoryLoss;
import dev.odeflow.kernels.trajectory.TrajectoryModel;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Trajectory models with a known solution, for tests: the field dy/dt = −a·y built from an MLP as
 * {@code Linear(d, d) − elu − Linear(d, d)} with weights I, bias c, then −a·I, bias a·c, which is exactly linear
 * while y + c > 0 (elu is the identity there): y(t) = y(t0)·exp(−a (t − t0)).
 */
public final class DecayModels {

    /** The bias that keeps elu's argument positive for |y| < C. */
    private static final double C = 50;

    private DecayModels() {
    }

    /** The decay at rate a on the given columns, solved with tight dopri5 tolerances. */
    public static SavedTrajectory decay(double a, List<String> columns, SeriesLayout layout) {
        int d = columns.size();
        MlpField field = new MlpField(d, new int[] {d}, Activation.ELU, InputTransform.IDENTITY);
        TrajectoryModel model = new TrajectoryModel(field, TrajectoryLoss.L2, SolverConfig.fixedSteps(Method.RK4, 1),
                SolverConfig.adaptive(Method.DOPRI5, 1e-10, 1e-12), GradientMethod.DIRECT_BACKPROP,
                new AdjointOptions(1e-6, 1e-7, false));
        double[] w = new double[field.size()];
        for (NamedTensor t : field.layout().tensors()) {
            for (int i = 0; i < t.size(); i++) {
                boolean diagonal = t.shape().length == 2 && i / d == i % d;
                w[t.offset() + i] = switch (t.name()) {
                    case "net.0.weight" -> diagonal ? 1 : 0;
                    case "net.0.bias" -> C;
                    case "net.2.weight" -> diagonal ? -a : 0;
                    case "net.2.bias" -> a * C;
                    default -> throw new AssertionError(t.name());
                };
            }
        }
        return new SavedTrajectory(model, w, columns, layout);
    }

    /** y(t) of the decay at rate a through y0 at t0. */
    public static double exact(double a, double y0, double t0, double t) {
        return y0 * Math.exp(-a * (t - t0));
    }

    public static void write(Path dir, SavedTrajectory model) throws IOException {
        ModelDirectory.write(OutputStore.parentOf(dir), dir.getFileName().toString(),
                TrajectoryModelJson.encode(model, TensorDtype.F64));
    }
}
