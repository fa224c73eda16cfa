package dev.odeflow.driver.conf;

import dev.odeflow.kernels.classifier.ClassifierBlock;
import dev.odeflow.kernels.classifier.ClassifierModel;
import dev.odeflow.kernels.gradient.GradientMethod;
import dev.odeflow.kernels.nn.MapShape;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** model.kind = classifier: its keys typed and defaulted, the other kinds' keys refused, and its own refused elsewhere. */
class ClassifierConfigTest {

    private static TrainConfig classifier(String... more) {
        String[] all = new String[more.length + 3];
        all[0] = "model.kind=classifier";
        all[1] = "data=/data/mnist";
        all[2] = "data.format=idx";
        System.arraycopy(more, 0, all, 3, more.length);
        return TrainConfig.fromOverrides(all);
    }

    @Test
    void theDefaultsAreOdenetMnistsAndTheDataGivesTheClasses() {
        TrainConfig c = classifier();
        ClassifierOptions o = c.classifier();
        assertEquals(ModelKind.CLASSIFIER, c.kind());
        assertEquals(ClassifierBlock.ODE, o.block());
        assertEquals(64, o.channels());
        assertEquals(300, o.hidden(), "model.hidden's 64,64,64 is a CNF's: the MLP's default is the seeds' 300");
        assertEquals(1.0, o.endTime(), 0.0, "model.T's 0.5 is a CNF's: odenet_mnist.py integrates over [0, 1]");
        assertEquals(0, o.classes(), "unset: from the data");
        assertEquals("label", o.labelColumn());
        assertEquals("pixels", o.pixelsColumn());
        assertEquals(new MapShape(28, 28, 1), o.image());
        assertFalse(o.imageSet());
        assertEquals(0, o.limit());
        assertEquals(DataFormat.IDX, c.data().format());
        assertEquals("classifier", c.fingerprint().get("model.kind"));
        assertEquals("ode", c.fingerprint().get("model.block"));
        assertFalse(c.fingerprint().containsKey("data.series"), "series columns are the series kinds'");
    }

    @Test
    void theKeysAreReadAndTheModelBuiltFromThem() {
        TrainConfig c = classifier("model.block=mlp", "model.hidden=40", "model.classes=12", "model.channels=8",
                "model.T=2", "data.limit=500", "gradient=direct", "solver.method=rk4", "solver.steps=3",
                "data.image=12x12x1");
        ClassifierOptions o = c.classifier();
        assertEquals(new ClassifierOptions(ClassifierBlock.MLP, 8, 40, 12, 2.0, "label", "pixels",
                new MapShape(12, 12, 1), true, 500), o);
        ClassifierModel m = c.classifierModelFor(12, new MapShape(12, 12, 1));
        assertEquals(12, m.arch().classes());
        assertEquals(40, m.arch().hidden());
        assertEquals(2.0, m.arch().endTime(), 0.0);
        assertEquals(GradientMethod.DIRECT_BACKPROP, m.gradient());
        assertEquals(3, m.train().steps());
        assertEquals((144 * 40 + 40) + (40 * 12 + 12), m.parameterCount());
        assertEquals("500", c.fingerprint().get("data.limit"));
        assertEquals("12x12x1", c.fingerprint().get("data.image"));
        TrainConfig parquet = TrainConfig.fromOverrides("model.kind=classifier", "data=/d/images.parquet",
                "data.label=digit", "data.pixels=img");
        assertEquals(DataFormat.PARQUET, parquet.data().format());
        assertEquals("digit", parquet.classifier().labelColumn());
        assertEquals("img", parquet.classifier().pixelsColumn());
    }

    @Test
    void badValuesNameTheirKey() {
        for (String bad : new String[] {"model.block=cnn", "model.channels=0", "model.classes=1",
            "model.hidden=300,300", "model.hidden=20d", "model.T=0", "data.image=28x28", "data.limit=-1",
            "data.pixels=label"}) {
            ConfigException e = assertThrows(ConfigException.class, () -> classifier(bad));
            assertTrue(e.getMessage().contains(bad.substring(0, bad.indexOf('='))), bad + ": " + e.getMessage());
        }
        ConfigException toy = assertThrows(ConfigException.class,
                () -> TrainConfig.fromOverrides("model.kind=classifier", "data=toy:moons"));
        assertTrue(toy.getMessage().contains("the classifier has no toy data"), toy.getMessage());
        ConfigException csv = assertThrows(ConfigException.class,
                () -> TrainConfig.fromOverrides("model.kind=classifier", "data=/d/images.csv"));
        assertTrue(csv.getMessage().contains("data.format") && csv.getMessage().contains("parquet"),
                csv.getMessage());
        ConfigException limit = assertThrows(ConfigException.class,
                () -> TrainConfig.fromOverrides("model.kind=classifier", "data=/d/images.parquet", "data.limit=10"));
        assertTrue(limit.getMessage().contains("data.limit") && limit.getMessage().contains("data.format=idx"),
                limit.getMessage());
        ConfigException idxForCnf = assertThrows(ConfigException.class,
                () -> TrainConfig.fromOverrides("data=/data/mnist", "data.format=idx"));
        assertTrue(idxForCnf.getMessage().contains("for model.kind=classifier"), idxForCnf.getMessage());
    }

    @Test
    void theOtherKindsKeysAreRefusedAndTheClassifiersElsewhere() {
        for (String foreign : new String[] {"model.activation=relu", "model.layer=concat", "model.latent=3",
            "model.window=5", "data.series=id", "data.columns=a", "data.n=100", "model.train_T=false",
            "regularization.l2int=0.1", "gradient.memory_mb=0"}) {
            ConfigException e = assertThrows(ConfigException.class, () -> classifier(foreign));
            assertTrue(e.getMessage().contains(foreign.substring(0, foreign.indexOf('=')))
                    && e.getMessage().contains("not a setting of model.kind=classifier"), e.getMessage());
        }
        for (String own : new String[] {"model.block=mlp", "model.channels=8", "model.classes=10",
            "data.label=y", "data.pixels=x", "data.image=8x8x1", "data.limit=5"}) {
            ConfigException e = assertThrows(ConfigException.class,
                    () -> TrainConfig.fromOverrides("model.kind=latent_ode", "data=toy:bispirals", own));
            assertTrue(e.getMessage().contains(own.substring(0, own.indexOf('=')))
                    && e.getMessage().contains("a setting of model.kind=classifier, not of latent_ode"),
                    e.getMessage());
        }
    }
}
