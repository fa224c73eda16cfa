package dev.odeflow.driver;

import dev.odeflow.driver.conf.ConfigException;
import dev.odeflow.driver.conf.HiddenWidths;
import dev.odeflow.driver.conf.TrainConfig;
import dev.odeflow.driver.conf.TrainKey;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** model.blocks and model.hidden's multiples of the data dimension, from the job keys to a trained chain. */
class ChainTrainingTest {

    @Test
    void hiddenWidthsMayBeMultiplesOfTheDataDimension() {
        TrainConfig c = TrainConfig.fromOverrides("model.hidden=20d,20d", "model.blocks=2");
        assertEquals(HiddenWidths.parse(List.of("20d", "20d")), c.hidden());
        assertEquals(2, c.blocks());
        assertArrayEquals(new int[] {43, 860, 860, 43}, c.architectureFor(43).widths(),
                "FFJORD's MINIBOONE: hdim_factor 20, nhidden 2");
        assertEquals(2, c.modelFor(43).blocks());
        assertEquals("[20d, 20d]", c.fingerprint().get(TrainKey.MODEL_HIDDEN.key()));
        assertEquals("2", c.fingerprint().get(TrainKey.MODEL_BLOCKS.key()));
        assertArrayEquals(new int[] {3, 64, 30, 3},
                TrainConfig.fromOverrides("model.hidden=64, 10D").architectureFor(3).widths());
    }

    @Test
    void oneBlockWithFixedWidthsFingerprintsAsBefore() {
        TrainConfig c = TrainConfig.fromOverrides("model.hidden=8,8");
        assertEquals(1, c.blocks());
        assertEquals("[8, 8]", c.fingerprint().get(TrainKey.MODEL_HIDDEN.key()));
        assertFalse(c.fingerprint().containsKey(TrainKey.MODEL_BLOCKS.key()),
                "checkpoints of one block written before model.blocks existed must still resume");
    }

    @Test
    void badBlockCountsAndWidthsNameTheKey() {
        ConfigException zero = assertThrows(ConfigException.class,
                () -> TrainConfig.fromOverrides("model.blocks=0"));
        assertTrue(zero.getMessage().contains("model.blocks = '0'"), zero.getMessage());
        ConfigException many = assertThrows(ConfigException.class,
                () -> TrainConfig.fromOverrides("model.blocks=65"));
        assertTrue(many.getMessage().contains("between 1 and 64"), many.getMessage());
        ConfigException big = assertThrows(ConfigException.class,
                () -> TrainConfig.fromOverrides("model.hidden=4096,4096", "model.blocks=3"));
        assertTrue(big.getMessage().contains("model.blocks = '3'") && big.getMessage().contains("limit"),
                big.getMessage());
        ConfigException word = assertThrows(ConfigException.class,
                () -> TrainConfig.fromOverrides("model.hidden=20x"));
        assertTrue(word.getMessage().contains("multiples of the data dimension"), word.getMessage());
        IllegalArgumentException wide = assertThrows(IllegalArgumentException.class,
                () -> TrainConfig.fromOverrides("model.hidden=2000d").architectureFor(43));
        assertTrue(wide.getMessage().startsWith("model.hidden = [2000d] at data dimension 43: "), wide.getMessage());
    }

    @Test
    void aTwoBlockChainTrainsInLocalSpark() {
        TrainConfig cfg = CpuConfigs.fromOverrides("data=toy:8gaussians", "data.n=600", "partitions=2", "seed=3",
                "model.blocks=2", "model.hidden=4d", "model.divergence=rademacher", "solver.method=rk4",
                "solver.steps=3", "eval.method=rk4", "eval.steps=4", "iterations=4", "batch_size=60",
                "optim.lr=0.01", "eval.every=2", "eval.rows=60", "log.every=1");
        List<String> console = new ArrayList<>();
        TrainResult r = CnfTrainer.train(SparkTestSession.get(), cfg, console::add);
        assertEquals(2, r.model().blocks());
        assertArrayEquals(new int[] {2, 8, 2}, r.model().architecture().widths());
        assertEquals(r.model().parameterCount(), r.parameters().length);
        assertTrue(Double.isFinite(r.finalLoss()) && Double.isFinite(r.valNll()) && Double.isFinite(r.testNll()),
                r.toString());
        double[] t = r.model().endTimes(r.parameters());
        assertEquals(2, t.length);
        assertTrue(t[0] != 0.5 && t[1] != 0.5 && t[0] != t[1], "each block trains its own T: " + t[0] + ", " + t[1]);
        assertEquals(t[0] + t[1], r.endTime(), 1e-15);
        assertTrue(console.stream().anyMatch(s -> s.startsWith("odeflow iter 4/4")), console.toString());
    }

    @Test
    void frozenTimesOfAChainStayPut() {
        TrainConfig cfg = CpuConfigs.fromOverrides("data=toy:8gaussians", "data.n=600", "partitions=2", "seed=3",
                "model.blocks=3", "model.hidden=4", "model.train_T=false", "model.T=0.3", "solver.method=rk4",
                "solver.steps=2", "eval.method=rk4", "eval.steps=2", "iterations=3", "batch_size=60",
                "optim.lr=0.05", "optim.weight_decay=0.1", "eval.every=0");
        TrainResult r = CnfTrainer.train(SparkTestSession.get(), cfg, s -> { });
        assertArrayEquals(new double[] {0.3, 0.3, 0.3}, r.model().endTimes(r.parameters()), 1e-15);
    }
}
