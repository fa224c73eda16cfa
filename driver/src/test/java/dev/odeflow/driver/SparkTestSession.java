package dev.odeflow.driver;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/** One local[2] SparkSession shared by the driver's test classes (created on first use, stopped at JVM exit). */
public final class SparkTestSession {

    private static SparkSession spark;

    private SparkTestSession() {
    }

    public static synchronized SparkSession get() {
        if (spark == null) {
            spark = SparkSession.builder().master("local[2]").appName("odeflow-driver-tests")
                    .config("spark.ui.enabled", "false")
                    .config("spark.sql.shuffle.partitions", "4")
                    .config("spark.executor.heartbeatInterval", "200ms") // EvalProgressTest hears running tasks
                    .config("spark.driver.host", "127.0.0.1")
                    .config("spark.driver.bindAddress", "127.0.0.1")
                    .getOrCreate();
            spark.sparkContext().setLogLevel("WARN");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> spark.stop()));
        }
        return spark;
    }

    public static JavaSparkContext jsc() {
        return JavaSparkContext.fromSparkContext(get().sparkContext());
    }
}
