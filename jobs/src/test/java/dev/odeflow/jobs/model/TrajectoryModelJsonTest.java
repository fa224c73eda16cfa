package dev.odeflow.jobs.model;

import dev.odeflow.kernels.dynamics.Activation;
import dev.odeflow.kernels.gradient.AdjointOptions;
import dev.odeflow.kernels.gradient.GradientMethod;
import dev.odeflow.kernels.solver.Method;
import dev.odeflow.kernels.solver.SolverConfig;
import dev.odeflow.kernels.trajectory.InputTransform;
import dev.odeflow.kernels.trajectory.MlpField;
import dev.odeflow.kernels.trajectory.TrajectoryLoss;
import dev.odeflow.kernels.trajectory.TrajectoryModel;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A trajectory model directory: PyTorch names, an exact F64 round trip, and no confusion with a CNF's. */
class TrajectoryModelJsonTest {

    private static SavedTrajectory saved() {
        return saved(List.of("u", "v"), new SeriesLayout("id", "time", 0));
    }

    private static SavedTrajectory saved(List<String> columns, SeriesLayout layout) {
        MlpField field = new MlpField(2, new int[] {6, 5}, Activation.SOFTPLUS, InputTransform.CUBE);
        TrajectoryModel m = new TrajectoryModel(field, TrajectoryLoss.L2, SolverConfig.fixedSteps(Method.RK4, 3),
                SolverConfig.adaptive(Method.DOPRI5, 1e-7, 1e-9), GradientMethod.CHECKPOINTED_ADJOINT,
                new AdjointOptions(1e-6, 1e-7, true));
        return new SavedTrajectory(m, field.initialParameters(8), columns, layout);
    }

    private static String json(ModelDirectory.EncodedModel files) {
        return new String(files.modelJson(), java.nio.charset.StandardCharsets.UTF_8);
    }

    private static ModelDirectory.EncodedModel withJson(ModelDirectory.EncodedModel files, String json) {
        return new ModelDirectory.EncodedModel(json.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                files.weights());
    }

    @Test
    void theSeriesLayoutIsStoredAndAModelWithoutItReadsTheTrainingDefaults() throws Exception {
        SavedTrajectory delayed = saved(List.of("v(t-15)", "v"), new SeriesLayout("swing", "time", 15));
        ModelDirectory.EncodedModel files = TrajectoryModelJson.encode(delayed, TensorDtype.F64);
        String text = json(files);
        assertTrue(text.contains("\"data.series\" : \"swing\"") && text.contains("\"data.time\" : \"time\"")
                && text.contains("\"data.delay\" : 15"), text);
        SavedTrajectory back = TrajectoryModelJson.decode(files, "dir");
        assertEquals(delayed.layout(), back.layout());
        assertEquals(List.of("v"), back.observedColumns());
        ModelDirectory.EncodedModel plain = TrajectoryModelJson.encode(saved(), TensorDtype.F64);
        String before = json(plain).replaceAll("\\s*\"data\\.(series|time|delay)\" : [^,]*,", "");
        assertFalse(before.contains("data."), before);
        assertEquals(SeriesLayout.DEFAULT, TrajectoryModelJson.decode(withJson(plain, before), "dir").layout());
        ModelFormatException wrong = assertThrows(ModelFormatException.class, () -> TrajectoryModelJson.decode(
                withJson(files, text.replace("\"data.delay\" : 15", "\"data.delay\" : 3")), "dir"));
        assertTrue(wrong.getMessage().contains("are not those of a delay embedding with data.delay = 3"),
                wrong.getMessage());
    }

    @Test
    void roundTripsExactlyUnderPyTorchNames() throws Exception {
        SavedTrajectory t = saved();
        ModelDirectory.EncodedModel files = TrajectoryModelJson.encode(t, TensorDtype.F64);
        assertEquals(List.of("net.0.weight", "net.0.bias", "net.2.weight", "net.2.bias", "net.4.weight", "net.4.bias"),
                List.copyOf(SafeTensors.decode(files.weights(), "w").tensors().keySet()));
        SavedTrajectory back = TrajectoryModelJson.decode(files, "dir");
        assertArrayEquals(t.weights(), back.weights(), 0.0);
        assertEquals(t.columns(), back.columns());
        assertEquals(t.layout(), back.layout());
        assertArrayEquals(new int[] {6, 5}, back.model().field().hidden());
        assertEquals(Activation.SOFTPLUS, back.model().field().activation());
        assertEquals(t.model().loss(), back.model().loss());
        assertEquals(t.model().train(), back.model().train());
        assertEquals(t.model().eval(), back.model().eval());
        assertEquals(t.model().gradient(), back.model().gradient());
        assertEquals(t.model().adjoint(), back.model().adjoint());
        double[][] a = t.predict(new double[] {1, -0.5}, new double[] {0, 0.5, 1});
        double[][] b = back.predict(new double[] {1, -0.5}, new double[] {0, 0.5, 1});
        assertArrayEquals(a[2], b[2], 0.0);
    }

    @Test
    void aTrajectoryModelIsNotReadAsAFlowNorAFlowAsATrajectoryModel() throws Exception {
        ModelDirectory.EncodedModel traj = TrajectoryModelJson.encode(saved(), TensorDtype.F32);
        ModelFormatException asFlow = assertThrows(ModelFormatException.class, () -> traj.decode("dir"));
        assertTrue(asFlow.getMessage().contains("'odeflow-trajectory', expected 'odeflow-cnf'"), asFlow.getMessage());
        ModelDirectory.EncodedModel flow = ModelDirectory.encode(TinyFlows.twoD(1), TensorDtype.F64);
        assertFalse(new String(flow.modelJson(), java.nio.charset.StandardCharsets.UTF_8).contains("\"kind\""),
                "a CNF's model.json stays format 3 without a kind");
        ModelFormatException asTraj = assertThrows(ModelFormatException.class,
                () -> TrajectoryModelJson.decode(flow, "dir"));
        assertTrue(asTraj.getMessage().contains("not a trajectory model but a CNF"), asTraj.getMessage());
        assertTrue(asFlow.getMessage().contains("use it with odeflow predict"), asFlow.getMessage());
    }
}
