package dev.odeflow.jobs.ml;

import dev.odeflow.driver.data.Seeds;
import dev.odeflow.jobs.model.ModelDirectory;
import dev.odeflow.jobs.model.SavedFlow;
import dev.odeflow.jobs.model.TensorDtype;
import dev.odeflow.jobs.plot.FlowPictures;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;

/**
 * Samples from a flow across the cluster: the n samples are cut into blocks of {@link #BLOCK_ROWS}; block b draws
 * its base noise z ~ N(0, I) from its own seed (derived from the sampling seed and b) and maps it to data space
 * with the model's evaluation solver. The samples are therefore the same however many partitions or executors
 * draw them, and no machine holds more than a block at a time.
 */
public final class FlowSampling {

    /** Samples per kernel call. */
    public static final int BLOCK_ROWS = 1024;
    private static final long STREAM = 0x53414d50L;

    private FlowSampling() {
    }

    /** A DataFrame of {@code n} samples, one double column per model column, drawn with {@code seed}. */
    public static Dataset<Row> samples(SparkSession spark, SavedFlow flow, long n, long seed) {
        if (n < 1) {
            throw new IllegalArgumentException("the number of samples must be at least 1, got " + n);
        }
        long blocks = (n + BLOCK_ROWS - 1) / BLOCK_ROWS;
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        int slices = (int) Math.max(1, Math.min(blocks, 4L * jsc.defaultParallelism()));
        List<Long> ids = LongStream.range(0, blocks).boxed().toList();
        ModelDirectory.EncodedModel encoded = ModelDirectory.encode(flow, TensorDtype.F64);
        JavaRDD<Row> rows = jsc.parallelize(ids, slices).mapPartitions(it -> {
            SavedFlow f = encoded.decode("sampling task");
            List<Row> out = new ArrayList<>();
            while (it.hasNext()) {
                long b = it.next();
                int m = (int) Math.min(BLOCK_ROWS, n - b * BLOCK_ROWS);
                double[] x = block(f, b, m, seed);
                int d = f.dim();
                for (int i = 0; i < m; i++) {
                    Object[] v = new Object[d];
                    for (int j = 0; j < d; j++) {
                        v[j] = x[i * d + j];
                    }
                    out.add(RowFactory.create(v));
                }
            }
            return out.iterator();
        });
        StructType schema = new StructType();
        for (String c : flow.columns()) {
            schema = schema.add(c, DataTypes.DoubleType, false);
        }
        return spark.createDataFrame(rows, schema);
    }

    /** Block {@code b}'s {@code m} samples (row-major, m × dim) for sampling seed {@code seed}. */
    public static double[] block(SavedFlow flow, long b, int m, long seed) {
        double[] z = FlowPictures.gaussian(m, flow.dim(), Seeds.derive(seed, STREAM, b));
        return flow.sample(z, m);
    }
}
