package dev.odeflow.driver.conf;

import dev.odeflow.kernels.trajectory.InputTransform;
import dev.odeflow.kernels.trajectory.TrajectoryLoss;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** model.kind and the trajectory keys: typed, defaulted, and wrong values named by their key. */
class ModelKindConfigTest {

    @Test
    void cnfIsTheDefaultAndItsFingerprintHasNoKind() {
        TrainConfig c = TrainConfig.fromOverrides("data=toy:moons", "data.n=1000");
        assertEquals(ModelKind.CNF, c.kind());
        assertFalse(c.fingerprint().containsKey("model.kind"), "a CNF checkpoint's fingerprint is unchanged");
    }

    @Test
    void trajectoryKeysAreRead() {
        TrainConfig c = TrainConfig.fromOverrides("model.kind=trajectory", "data=toy:spiral", "model.window=7",
                "model.loss=l2", "model.input=cube", "data.series=id", "data.time=when");
        assertEquals(ModelKind.TRAJECTORY, c.kind());
        assertEquals(new TrajectoryOptions("id", "when", 7, TrajectoryLoss.L2, InputTransform.CUBE, 0), c.trajectory());
        assertEquals("trajectory", c.fingerprint().get("model.kind"));
        assertEquals("7", c.fingerprint().get("model.window"));
    }

    @Test
    void badValuesNameTheirKey() {
        ConfigException kind = assertThrows(ConfigException.class,
                () -> TrainConfig.fromOverrides("model.kind=latent"));
        assertTrue(kind.getMessage().contains("model.kind = 'latent'") && kind.getMessage().contains("cnf,"
                + " trajectory, latent_ode or classifier"), kind.getMessage());
        ConfigException window = assertThrows(ConfigException.class,
                () -> TrainConfig.fromOverrides("model.kind=trajectory", "data=toy:spiral", "model.window=1"));
        assertTrue(window.getMessage().contains("model.window"), window.getMessage());
        ConfigException loss = assertThrows(ConfigException.class,
                () -> TrainConfig.fromOverrides("model.kind=trajectory", "data=toy:spiral", "model.loss=huber"));
        assertTrue(loss.getMessage().contains("model.loss") && loss.getMessage().contains("l1 or l2"),
                loss.getMessage());
        ConfigException delay = assertThrows(ConfigException.class,
                () -> TrainConfig.fromOverrides("model.kind=trajectory", "data=toy:pendulum", "data.delay=-1"));
        assertTrue(delay.getMessage().contains("data.delay"), delay.getMessage());
        assertEquals("15", TrainConfig.fromOverrides("model.kind=trajectory", "data=toy:pendulum", "data.delay=15")
                .fingerprint().get("data.delay"));
        ConfigException sameColumn = assertThrows(ConfigException.class,
                () -> TrainConfig.fromOverrides("model.kind=trajectory", "data.series=t"));
        assertTrue(sameColumn.getMessage().contains("data.time"), sameColumn.getMessage());
    }

    @Test
    void eachKindHasItsOwnToys() {
        ConfigException spiralAsCnf = assertThrows(ConfigException.class,
                () -> TrainConfig.fromOverrides("data=toy:spiral"));
        assertTrue(spiralAsCnf.getMessage().contains("data = 'toy:spiral'"), spiralAsCnf.getMessage());
        ConfigException moonsAsSeries = assertThrows(ConfigException.class,
                () -> TrainConfig.fromOverrides("model.kind=trajectory", "data=toy:moons"));
        assertTrue(moonsAsSeries.getMessage().contains("expected spiral, pendulum or bispirals"),
                moonsAsSeries.getMessage());
    }

    @Test
    void latentKeysAreReadAndWrongValuesNamed() {
        TrainConfig c = TrainConfig.fromOverrides("model.kind=latent_ode", "data=toy:bispirals", "model.latent=6",
                "model.encoder_hidden=9", "model.decoder_hidden=7,5", "model.noise=0.1", "model.context=0.25",
                "model.dynamics=gru", "model.hidden=11");
        assertEquals(ModelKind.LATENT_ODE, c.kind());
        var arch = c.latentModelFor(2).arch();
        assertEquals(6, arch.latent());
        assertEquals(9, arch.encoderHidden());
        assertEquals("[7, 5]", java.util.Arrays.toString(arch.decoderHidden()));
        assertEquals("[11]", java.util.Arrays.toString(arch.fieldHidden()));
        assertEquals(0.25, c.latentModelFor(2).context(), 0.0);
        assertEquals("gru", c.fingerprint().get("model.dynamics"));
        assertEquals("7,5", c.fingerprint().get("model.decoder_hidden"));
        assertFalse(c.fingerprint().containsKey("model.window"), "windows are a trajectory fit's");
        for (String bad : new String[] {"model.context=1.5", "model.noise=0", "model.latent=0",
            "model.dynamics=lstm", "model.decoder_hidden=0"}) {
            ConfigException e = assertThrows(ConfigException.class,
                    () -> TrainConfig.fromOverrides("model.kind=latent_ode", "data=toy:bispirals", bad));
            assertTrue(e.getMessage().contains(bad.substring(0, bad.indexOf('='))), e.getMessage());
        }
    }
}
