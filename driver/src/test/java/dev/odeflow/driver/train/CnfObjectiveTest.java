package dev.odeflow.driver.train;

import dev.odeflow.driver.data.DataBlock;
import dev.odeflow.driver.gpu.GpuAssignment;
import dev.odeflow.kernels.backend.BackendKind;
import dev.odeflow.kernels.dynamics.Activation;
import dev.odeflow.kernels.dynamics.LayerKind;
import dev.odeflow.kernels.dynamics.CnfArchitecture;
import dev.odeflow.kernels.model.CnfModel;
import dev.odeflow.kernels.model.CnfSettings;
import dev.odeflow.kernels.model.LossGradient;
import dev.odeflow.kernels.solver.Method;
import dev.odeflow.kernels.solver.SolverConfig;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The objective travels to executors by Java serialization and honours the backend setting. */
class CnfObjectiveTest {

    private static CnfModel model(BackendKind backend) {
        return new CnfModel(new CnfArchitecture(2, new int[] {4}, LayerKind.CONCATSQUASH, Activation.TANH),
                CnfSettings.ffjordToy().withTrain(SolverConfig.fixedSteps(Method.RK4, 2)).withBackend(backend));
    }

    @Test
    void serializedObjectiveComputesTheSameLoss() throws Exception {
        // CPU pinned: the copies' losses are compared bitwise; the GPU assignment still has to survive the trip
        CnfObjective objective = new CnfObjective(model(BackendKind.CPU), new GpuAssignment(List.of(0)), 0);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(objective);
        }
        CnfObjective copy;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            copy = (CnfObjective) in.readObject();
        }
        double[] w = objective.model().initialParameters(1, 0.5);
        DataBlock x = new DataBlock(2, 2, new double[] {0.1, -0.2, 1.5, 0.3});
        LossGradient a = new LossGradient(w.length);
        LossGradient b = new LossGradient(w.length);
        objective.addLossGradient(w, x, new int[] {0, 1}, 3, a);
        copy.addLossGradient(w, x, new int[] {0, 1}, 3, b);
        assertEquals(a.lossSum(), b.lossSum(), 0.0);
        assertEquals(objective.model().settings(), copy.model().settings());
    }

    @Test
    void explicitCudaWithoutADeviceIsAClearError() {
        Assumptions.assumeTrue(model(BackendKind.AUTO).backend().name().startsWith("cpu"),
                "this machine has a usable CUDA device; the no-device error cannot be observed");
        CnfObjective objective = new CnfObjective(model(BackendKind.CUDA));
        double[] w = objective.model().initialParameters(1, 0.5);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> objective.addLossGradient(w, new DataBlock(1, 2, new double[] {0, 0}), new int[] {0}, 0,
                        new LossGradient(w.length)));
        assertTrue(e.getMessage().toLowerCase().contains("cuda"), e.getMessage());
    }
}
