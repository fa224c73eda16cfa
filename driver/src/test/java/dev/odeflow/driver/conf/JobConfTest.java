package dev.odeflow.driver.conf;

import dev.odeflow.kernels.dynamics.Precision;
import dev.odeflow.kernels.backend.BackendKind;
import dev.odeflow.kernels.trace.Divergence;
import dev.odeflow.kernels.dynamics.Activation;
import dev.odeflow.kernels.dynamics.LayerKind;
import dev.odeflow.kernels.gradient.GradientMethod;
import dev.odeflow.kernels.solver.Method;
import dev.odeflow.kernels.solver.StepMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JobConfTest {

    @Test
    void parsesCommentsQuotesAndOverrides(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("job.conf");
        Files.writeString(f, """
                # a comment

                data = toy:moons
                model.hidden = "32, 32"   # quoted
                optim.lr = 3e-3 # trailing comment
                output.dir = '/tmp/x # not a comment'
                """);
        JobConf c = JobConf.load(f, List.of("optim.lr=1e-2", "iterations=7"), TrainKey.names());
        assertEquals("toy:moons", c.getString("data", ""));
        assertEquals("32, 32", c.getString("model.hidden", ""));
        assertEquals(1e-2, c.getDouble("optim.lr", "0"));
        assertEquals(7, c.getInt("iterations", "0"));
        assertEquals("/tmp/x # not a comment", c.getString("output.dir", ""));
        assertEquals(f + ":4", c.origin("model.hidden"));
        assertTrue(c.origin("optim.lr").startsWith("command line"));
    }

    @Test
    void unknownKeyNamesFileAndLine() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> JobConf.parse("jobs/x.conf", "data = toy:moons\n\nlearning_rate = 1\n", List.of(), TrainKey.names()));
        assertTrue(e.getMessage().startsWith("jobs/x.conf:3: unknown key 'learning_rate'"), e.getMessage());
    }

    @Test
    void malformedLineNamesFileAndLine() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> JobConf.parse("a.conf", "iterations = 3\njust some words\n", List.of(), TrainKey.names()));
        assertTrue(e.getMessage().startsWith("a.conf:2: expected 'key = value'"), e.getMessage());
        ConfigException q = assertThrows(ConfigException.class,
                () -> JobConf.parse("a.conf", "output.dir = \"open\n", List.of(), TrainKey.names()));
        assertTrue(q.getMessage().startsWith("a.conf:1: unterminated quote"), q.getMessage());
        ConfigException dup = assertThrows(ConfigException.class,
                () -> JobConf.parse("a.conf", "seed = 1\nseed = 2\n", List.of(), TrainKey.names()));
        assertTrue(dup.getMessage().contains("a.conf:2") && dup.getMessage().contains("a.conf:1"), dup.getMessage());
    }

    @Test
    void unknownOverrideIsAnError() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> JobConf.ofOverrides(List.of("bogus=1"), TrainKey.names()));
        assertTrue(e.getMessage().contains("command line 'bogus=1'") && e.getMessage().contains("unknown key"),
                e.getMessage());
    }

    @Test
    void badValuesNameKeyAndLine() {
        ConfigException e = assertThrows(ConfigException.class, () -> TrainConfig.from(
                JobConf.parse("t.conf", "seed = 1\noptim.lr = fast\n", List.of(), TrainKey.names())));
        assertTrue(e.getMessage().startsWith("t.conf:2: optim.lr = 'fast' is not a number"), e.getMessage());
        ConfigException m = assertThrows(ConfigException.class, () -> TrainConfig.from(
                JobConf.parse("t.conf", "solver.method = rk45\n", List.of(), TrainKey.names())));
        assertTrue(m.getMessage().startsWith("t.conf:1: solver.method = 'rk45'"), m.getMessage());
        assertTrue(m.getMessage().contains("dopri5"), m.getMessage());
        ConfigException s = assertThrows(ConfigException.class, () -> TrainConfig.from(
                JobConf.parse("t.conf", "data.splits = 0.5,0.1\n", List.of(), TrainKey.names())));
        assertTrue(s.getMessage().startsWith("t.conf:1: data.splits"), s.getMessage());
        ConfigException toy = assertThrows(ConfigException.class, () -> TrainConfig.fromOverrides("data=toy:spiral"));
        assertTrue(toy.getMessage().contains("unknown toy data set 'spiral'"), toy.getMessage());
    }

    @Test
    void defaultsAreFfjordToySettings() {
        TrainConfig c = TrainConfig.fromOverrides();
        assertEquals("8gaussians", c.data().toyName());
        assertArrayEquals(new int[] {64, 64, 64}, c.hidden().at(2));
        assertEquals(1, c.blocks());
        assertEquals(LayerKind.CONCATSQUASH, c.layer());
        assertEquals(Activation.TANH, c.activation());
        assertEquals(0.5, c.initialEndTime());
        assertTrue(c.settings().trainEndTime());
        assertEquals(Method.DOPRI5, c.settings().train().method());
        assertEquals(StepMode.ADAPTIVE, c.settings().train().mode());
        assertEquals(1e-5, c.settings().train().rtol());
        assertEquals(1e-8, c.settings().eval().rtol());
        assertEquals(GradientMethod.BACKSOLVE_ADJOINT, c.settings().gradient());
        assertEquals(1e-5, c.settings().adjoint().rtol());
        assertEquals(Divergence.EXACT, c.settings().divergence());
        assertEquals(BackendKind.AUTO, c.settings().backend());
        assertEquals(OptimizerKind.ADAM, c.optimizer().kind());
        assertEquals(1e-3, c.optimizer().lr());
        assertEquals(1e-5, c.optimizer().weightDecay());
        assertEquals(2, c.aggregateDepth());
        assertEquals(100, c.batchSize());
        assertFalse(c.data().standardize());
        assertNull(c.outputDir());
        assertNull(c.checkpoint().dir());
    }

    @Test
    void mapsOntoKernelSettings() {
        TrainConfig c = TrainConfig.fromOverrides("model.hidden=8,8", "solver.method=rk4", "solver.steps=4",
                "gradient=checkpoint", "adjoint.rtol=1e-3", "adjoint.seminorm=true", "model.divergence=rademacher",
                "model.train_T=false", "backend=cpu", "output.dir=/tmp/run", "checkpoint.every=5",
                "gpu.local.devices=0,1", "optim=sgd", "optim.schedule=cosine", "data=/d/t.parquet",
                "data.columns=a,b");
        assertEquals(StepMode.FIXED_STEPS, c.settings().train().mode());
        assertEquals(4, c.settings().train().steps());
        assertEquals(GradientMethod.CHECKPOINTED_ADJOINT, c.settings().gradient());
        assertEquals(1e-3, c.settings().adjoint().rtol());
        assertEquals(1e-5, c.settings().adjoint().atol());
        assertTrue(c.settings().adjoint().seminorm());
        assertEquals(Divergence.RADEMACHER, c.settings().divergence());
        assertFalse(c.settings().trainEndTime());
        assertEquals(BackendKind.CPU, c.settings().backend());
        assertEquals("/tmp/run/checkpoints", c.checkpoint().dir());
        assertEquals(List.of(0, 1), c.gpuLocalDevices());
        assertEquals(OptimizerKind.SGD, c.optimizer().kind());
        assertEquals(ScheduleKind.COSINE, c.optimizer().schedule());
        assertEquals(DataFormat.PARQUET, c.data().format());
        assertEquals(List.of("a", "b"), c.data().columns());
        assertTrue(c.data().standardize());
        assertEquals(3, c.architectureFor(3).dim());
        assertArrayEquals(new int[] {3, 8, 8, 3}, c.architectureFor(3).widths());
    }

    @Test
    void precisionAndMemoryBudgetAreTypedKeys() {
        TrainConfig f32 = TrainConfig.fromOverrides("model.precision=float32");
        assertEquals(Precision.FLOAT32, f32.architectureFor(2).precision());
        assertEquals("float32", f32.fingerprint().get(TrainKey.MODEL_PRECISION.key()));
        TrainConfig f64 = TrainConfig.fromOverrides();
        assertEquals(Precision.FLOAT64, f64.architectureFor(2).precision());
        assertFalse(f64.fingerprint().containsKey(TrainKey.MODEL_PRECISION.key()),
                "checkpoints written before model.precision existed must still match a float64 job");
        assertEquals(256, f64.gradientMemoryMb());
        assertEquals(0, TrainConfig.fromOverrides("gradient.memory_mb=0").gradientMemoryMb());
        ConfigException m = assertThrows(ConfigException.class,
                () -> TrainConfig.fromOverrides("gradient.memory_mb=-1"));
        assertTrue(m.getMessage().contains("gradient.memory_mb"), m.getMessage());
        ConfigException e = assertThrows(ConfigException.class,
                () -> TrainConfig.fromOverrides("model.precision=half"));
        assertTrue(e.getMessage().contains("model.precision") && e.getMessage().contains("float32"),
                e.getMessage());
    }

    @Test
    void configsCompareByValue() {
        TrainConfig a = TrainConfig.fromOverrides("model.hidden=8,8", "seed=3");
        TrainConfig b = TrainConfig.fromOverrides("seed=3", "model.hidden=8,8");
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertFalse(a.equals(TrainConfig.fromOverrides("model.hidden=8,9", "seed=3")));
        assertTrue(a.toString().contains(", hidden=[8, 8], blocks=1, "), a.toString());
    }

    @Test
    void resumeWithoutDirectoryIsAnError() {
        ConfigException e = assertThrows(ConfigException.class, () -> TrainConfig.fromOverrides("resume=true"));
        assertTrue(e.getMessage().contains("checkpoint.dir"), e.getMessage());
    }

    @Test
    void everyKeyIsDocumentedInDriverMd() throws Exception {
        Path doc = Path.of("DRIVER.md");
        assertTrue(Files.exists(doc), "driver/DRIVER.md is missing");
        String text = Files.readString(doc);
        for (TrainKey k : TrainKey.values()) {
            String row = "| `" + k.key() + "` | " + (k.defaultValue().isEmpty() ? "(unset)" : "`" + k.defaultValue() + "`")
                    + " |";
            assertTrue(text.contains(row), "DRIVER.md does not document " + k.key() + " with its default: " + row);
        }
    }
}
