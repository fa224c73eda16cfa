package dev.odeflow.driver.conf;

import dev.odeflow.kernels.regularization.Regularization;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code regularization.l2int} and {@code regularization.JFrobint}: read, checked, written back, fingerprinted. */
class RegularizationKeysTest {

    @Test
    void weightsDefaultToOffAndAreRead() {
        assertEquals(Regularization.none(), TrainConfig.fromOverrides().settings().regularization());
        TrainConfig c = TrainConfig.fromOverrides("regularization.l2int=0.01", "regularization.JFrobint=5e-2");
        assertEquals(new Regularization(0.01, 0.05), c.settings().regularization());
        assertEquals(0.01, CnfSettingsKeys.write(c.settings()).get(TrainKey.REGULARIZATION_L2INT));
        assertEquals(0.05, CnfSettingsKeys.write(c.settings()).get(TrainKey.REGULARIZATION_JFROBINT));
    }

    @Test
    void negativeNanAndInfiniteWeightsNameTheirKey() {
        for (String bad : List.of("-0.01", "NaN", "Infinity")) {
            ConfigException k = assertThrows(ConfigException.class, () -> TrainConfig.from(
                    JobConf.parse("r.conf", "seed = 1\nregularization.l2int = " + bad + "\n", List.of(),
                            TrainKey.names())));
            assertTrue(k.getMessage().startsWith("r.conf:2: regularization.l2int")
                    && k.getMessage().contains(">= 0 and finite"), k.getMessage());
            ConfigException j = assertThrows(ConfigException.class,
                    () -> TrainConfig.fromOverrides("regularization.JFrobint=" + bad));
            assertTrue(j.getMessage().contains("regularization.JFrobint"), j.getMessage());
        }
        ConfigException text = assertThrows(ConfigException.class,
                () -> TrainConfig.fromOverrides("regularization.l2int=lots"));
        assertTrue(text.getMessage().contains("regularization.l2int = 'lots' is not a number"), text.getMessage());
    }

    @Test
    void aRegularizedJobOnCudaIsRefusedNamingTheKeys() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> TrainConfig.fromOverrides("regularization.l2int=0.01", "backend=cuda"));
        assertTrue(e.getMessage().contains("regularization.l2int") && e.getMessage().contains("CUDA"), e.getMessage());
        TrainConfig.fromOverrides("regularization.l2int=0.01", "backend=auto");
    }

    @Test
    void aTrajectoryFitRefusesThem() {
        ConfigException e = assertThrows(ConfigException.class, () -> TrainConfig.fromOverrides(
                "model.kind=trajectory", "data=toy:spiral", "regularization.JFrobint=0.01"));
        assertTrue(e.getMessage().contains("regularization.JFrobint") && e.getMessage().contains("model.kind=cnf"),
                e.getMessage());
    }

    @Test
    void onlyWeightsAboveZeroEnterTheFingerprint() {
        assertFalse(TrainConfig.fromOverrides("regularization.l2int=0").fingerprint()
                .containsKey(TrainKey.REGULARIZATION_L2INT.key()), "a checkpoint from before the keys still matches");
        TrainConfig c = TrainConfig.fromOverrides("regularization.JFrobint=0.02");
        assertEquals("0.02", c.fingerprint().get(TrainKey.REGULARIZATION_JFROBINT.key()));
        assertFalse(c.fingerprint().containsKey(TrainKey.REGULARIZATION_L2INT.key()));
    }
}
