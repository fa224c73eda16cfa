import dev.odeflow.driver.conf.TrainConfig;
import dev.odeflow.driver.data.PreparedData;
import org.apache.spark.sql.SparkSession;

/**
 * odeflow's data preparation of a table as a training run does it ({@code PreparedData.load} with the splits of
 * {@code benchmarks/scale-t16.conf}), timed as {@code summary.json}'s {@code seconds.data_preparation} is: from the
 * first read to the cached, standardized blocks, the session's start excluded. Run as a single-file program on
 * the product jar, next to {@code SparkReadCount.java} ({@code benchmarks/prep.sh} alternates the two):
 *
 * <pre>java -cp jobs/target/odeflow-local.jar benchmarks/PrepareData.java FILE MASTER</pre>
 *
 * prints one JSON line with the seconds and the rows of the three splits.
 */
public final class PrepareData {

    public static void main(String[] args) {
        SparkSession spark = SparkSession.builder().master(args.length > 1 ? args[1] : "local[2]")
                .appName("odeflow data preparation").config("spark.ui.enabled", "false").getOrCreate();
        TrainConfig c = TrainConfig.fromOverrides("data=" + args[0], "data.splits=0.98,0.01,0.01",
                "data.standardize=true", "seed=1", "batch_size=1000");
        long t0 = System.nanoTime();
        PreparedData d = PreparedData.load(spark, c.data(), c.partitions(), c.seed(), null, c.batchSize());
        double s = (System.nanoTime() - t0) * 1e-9;
        System.out.printf(java.util.Locale.ROOT, "{\"what\":\"odeflow-prepare\",\"partitions\":%d,\"rows\":[%d,%d,%d],"
                + "\"seconds\":%.3f}%n", d.train().getNumPartitions(), d.sizes().train(), d.sizes().val(),
                d.sizes().test(), s);
        d.unpersist();
        spark.stop();
    }
}
