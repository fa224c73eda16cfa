package dev.odeflow.driver;

import dev.odeflow.driver.conf.TrainConfig;
import dev.odeflow.driver.metrics.MetricsWriter;
import dev.odeflow.kernels.trajectory.TrajectoryModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A short fit of ode_demo's spiral on the shared loop. */
class SeriesTrainerTrajectoryTest {

    /**
     * ode_demo's recipe (field on y³, 50 tanh units, L1, windows of 10), shortened: 100 windows per batch and a
     * larger learning rate, so that 200 iterations fit the spiral.
     */
    private static TrainConfig spiral(Path dir, int iterations) {
        return CpuConfigs.fromOverrides("model.kind=trajectory", "data=toy:spiral", "data.n=1000",
                "data.splits=1,0,0", "model.hidden=50", "model.input=cube", "model.loss=l1", "model.window=10",
                "batch_size=100", "solver.method=rk4", "solver.steps=1", "gradient=adjoint", "eval.method=dopri5",
                "eval.rtol=1e-7", "eval.atol=1e-9", "optim.lr=5e-2", "optim.schedule=cosine", "optim.min_lr=1e-4",
                "optim.weight_decay=0", "partitions=1",
                "seed=0", "log.every=100", "iterations=" + iterations, "output.dir=" + dir);
    }

    @Test
    void aShortSpiralFitPredictsTheTrajectoryFromItsFirstValue(@TempDir Path dir) throws Exception {
        List<String> console = new ArrayList<>();
        SeriesResult<TrajectoryModel> untrained = SeriesTrainer.trajectory(SparkTestSession.get(),
                spiral(dir.resolve("a"), 0), console::add);
        SeriesResult<TrajectoryModel> fitted = SeriesTrainer.trajectory(SparkTestSession.get(),
                spiral(dir.resolve("b"), 200), console::add);
        double before = untrained.metric("rmse")[0];
        double after = fitted.metric("rmse")[0];
        assertTrue(after < 0.4 && after < before / 3, "RMSE of the whole spiral from y(0): " + before + " untrained, "
                + after + " after 200 iterations");
        assertTrue(Double.isNaN(fitted.metric("rmse")[1]) && Double.isNaN(fitted.metric("rmse")[2]),
                "no validation or test series");
        assertEquals(200, fitted.iterations());
        assertEquals(List.of("spiral"), fitted.shown().ids());
        List<String> lines = Files.readAllLines(dir.resolve("b").resolve(MetricsWriter.FILE_NAME));
        assertEquals(200, lines.size());
        assertFalse(lines.get(0).contains("train_nll") || lines.get(0).contains("train_rmse"), lines.get(0));
        assertTrue(console.stream().anyMatch(l -> l.startsWith("odeflow done: 200 iterations")), console.toString());
    }

    @Test
    void aCnfJobIsRefused() {
        TrainConfig cnf = CpuConfigs.fromOverrides("data=toy:moons", "data.n=1000");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SeriesTrainer.trajectory(SparkTestSession.get(), cnf, s -> { }));
        assertTrue(e.getMessage().contains("not trajectory"), e.getMessage());
    }
}
