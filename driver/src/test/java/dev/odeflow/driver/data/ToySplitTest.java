package dev.odeflow.driver.data;

import dev.odeflow.driver.SparkTestSession;
import dev.odeflow.driver.conf.Splits;
import dev.odeflow.driver.conf.TrainConfig;
import org.apache.spark.Partition;
import org.apache.spark.api.java.JavaRDD;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The toy sets' blocks: made by their tasks, together exactly the generated rows, and no rows in a task. */
class ToySplitTest {

    private static final int N = 20_000;
    private static final Splits SPLITS = new Splits(0.8, 0.1, 0.1);

    @Test
    void theBlocksHoldEveryGeneratedRowOnceInTheirSplitsSizes() {
        PreparedData.Blocks b = PreparedData.splitToy(SparkTestSession.jsc(), "8gaussians", N, SPLITS, 3, 5);
        List<String> seen = new ArrayList<>();
        int[] expected = {16_000, 2_000, 2_000};
        for (int s = 0; s < 3; s++) {
            List<DataBlock> blocks = b.splits().get(s).collect();
            assertEquals(3, blocks.size());
            int rows = 0;
            for (int k = 0; k < 3; k++) {
                DataBlock block = blocks.get(k);
                assertEquals(b.rows()[s][k], block.n(), "split " + s + " block " + k);
                rows += block.n();
                for (int i = 0; i < block.n(); i++) {
                    seen.add(block.rows()[2 * i] + "," + block.rows()[2 * i + 1]);
                }
            }
            assertEquals(expected[s], rows, "split " + s);
        }
        double[] x = ToyData.generate("8gaussians", N, Seeds.derive(5, Seeds.DATA));
        List<String> generated = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            generated.add(x[2 * i] + "," + x[2 * i + 1]);
        }
        seen.sort(null);
        generated.sort(null);
        assertEquals(generated, seen);
        // the same seed cuts the same blocks
        PreparedData.Blocks again = PreparedData.splitToy(SparkTestSession.jsc(), "8gaussians", N, SPLITS, 3, 5);
        assertArrayEquals(b.splits().get(0).collect().get(1).rows(), again.splits().get(0).collect().get(1).rows());
    }

    /**
     * A task ships its partition object with it on every iteration: it must name the block, not hold its rows
     * (a partition of 16,000 rows parallelized from the driver serializes to over 128 KB).
     */
    @Test
    void aTaskCarriesAPartitionNumberNotItsRows() throws Exception {
        PreparedData.Blocks b = PreparedData.splitToy(SparkTestSession.jsc(), "8gaussians", N, SPLITS, 1, 5);
        JavaRDD<DataBlock> train = b.splits().get(0);
        for (Partition p : train.partitions()) {
            assertTrue(serializedSize(p) < 4096, "partition " + p.index() + ": " + serializedSize(p) + " bytes");
        }
        assertEquals(16_000, train.first().n());
    }

    /** The same for a toy set of series (1,000 spirals of 100 observations: 1.6 MB of values). */
    @Test
    void aSeriesTaskCarriesNoSeriesEither() throws Exception {
        TrainConfig cfg = TrainConfig.fromOverrides("model.kind=latent_ode", "data=toy:bispirals", "data.n=1000",
                "data.splits=0.8,0.1,0.1", "partitions=2", "seed=3");
        SeriesData data = SeriesData.load(SparkTestSession.get(), cfg.data(), cfg.trajectory(), cfg.partitions(),
                cfg.seed());
        try {
            for (Partition p : data.train().partitions()) {
                assertTrue(serializedSize(p) < 4096, "partition " + p.index() + ": " + serializedSize(p) + " bytes");
            }
            assertEquals(1000, data.train().map(b -> (long) b.series()).reduce(Long::sum)
                    + data.val().map(b -> (long) b.series()).reduce(Long::sum)
                    + data.test().map(b -> (long) b.series()).reduce(Long::sum));
        } finally {
            data.unpersist();
        }
    }

    private static int serializedSize(Object o) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(o);
        }
        return bytes.size();
    }
}
