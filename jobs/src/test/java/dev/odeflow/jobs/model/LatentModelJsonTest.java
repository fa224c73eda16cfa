package dev.odeflow.jobs.model;

import dev.odeflow.kernels.dynamics.Activation;
import dev.odeflow.kernels.gradient.AdjointOptions;
import dev.odeflow.kernels.gradient.GradientMethod;
import dev.odeflow.kernels.latent.LatentArchitecture;
import dev.odeflow.kernels.latent.LatentDynamics;
import dev.odeflow.kernels.latent.LatentOdeModel;
import dev.odeflow.kernels.solver.Method;
import dev.odeflow.kernels.solver.SolverConfig;
import dev.odeflow.kernels.trajectory.Windows;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A latent ODE's model directory: PyTorch names, an exact F64 round trip, and no confusion with the others. */
class LatentModelJsonTest {

    static SavedLatent saved(LatentDynamics dynamics) {
        LatentArchitecture arch = new LatentArchitecture(2, 3, 5, new int[] {6, 4}, new int[] {7}, Activation.ELU,
                dynamics);
        LatentOdeModel m = new LatentOdeModel(arch, 0.25, 0.4, SolverConfig.fixedSteps(Method.RK4, 1),
                SolverConfig.adaptive(Method.DOPRI5, 1e-7, 1e-9), GradientMethod.BACKSOLVE_ADJOINT,
                new AdjointOptions(1e-6, 1e-7, false));
        return new SavedLatent(m, arch.initialParameters(8), List.of("u", "v"), SeriesLayout.DEFAULT);
    }

    @ParameterizedTest
    @EnumSource(LatentDynamics.class)
    void roundTripsExactlyUnderPyTorchNames(LatentDynamics dynamics) throws Exception {
        SavedLatent t = saved(dynamics);
        ModelDirectory.EncodedModel files = LatentModelJson.encode(t, TensorDtype.F64);
        List<String> names = List.copyOf(SafeTensors.decode(files.weights(), "w").tensors().keySet());
        assertEquals(t.model().arch().layout().names(), names);
        assertTrue(names.contains("encoder.gru.weight_hh") && names.contains("decoder.2.bias")
                && names.contains(dynamics == LatentDynamics.ODE ? "func.net.4.weight" : "rnn.weight_ih"), names.toString());
        SavedLatent back = LatentModelJson.decode(files, "dir");
        assertArrayEquals(t.weights(), back.weights(), 0.0);
        assertEquals(t.columns(), back.columns());
        assertEquals(t.model(), back.model());
        Windows one = new Windows(2, new int[] {0, 3}, new double[] {0, 0.4, 1}, new double[] {1, 2, 0, 1, -1, 0.5});
        double[] times = {0, 0.5, 1, 2};
        assertArrayEquals(t.model().reconstruct(t.weights(), one, times, false, 0)[0],
                back.model().reconstruct(back.weights(), one, times, false, 0)[0], 0.0);
    }

    @Test
    void aLatentModelIsNotReadAsATrajectoryModelNorTheReverse() throws Exception {
        ModelDirectory.EncodedModel latent = LatentModelJson.encode(saved(LatentDynamics.ODE), TensorDtype.F32);
        ModelFormatException asTraj = assertThrows(ModelFormatException.class,
                () -> TrajectoryModelJson.decode(latent, "dir"));
        assertTrue(asTraj.getMessage().contains("not a trajectory model"), asTraj.getMessage());
        ModelFormatException asFlow = assertThrows(ModelFormatException.class, () -> latent.decode("dir"));
        assertTrue(asFlow.getMessage().contains("'odeflow-latent'"), asFlow.getMessage());
    }
}
