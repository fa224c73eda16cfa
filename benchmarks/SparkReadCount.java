import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The scale benchmark's baseline (BENCHMARKS.md, "Scale"): Spark's own {@code spark.read} + {@code count()} of a
 * table, the floor for odeflow's data preparation. Run as a single-file program on the product jar:
 *
 * <pre>java -cp jobs/target/odeflow-local.jar benchmarks/SparkReadCount.java FILE csv|csv-infer|parquet MASTER</pre>
 *
 * prints one JSON line with the seconds from the first read to the count (the session's start excluded).
 */
public final class SparkReadCount {

    public static void main(String[] args) {
        String file = args[0];
        String how = args[1];
        SparkSession spark = SparkSession.builder().master(args.length > 2 ? args[2] : "local[2]")
                .appName("spark read+count").config("spark.ui.enabled", "false").getOrCreate();
        long t0 = System.nanoTime();
        Dataset<Row> df = switch (how) {
            case "csv" -> spark.read().option("header", "true").csv(file);
            case "csv-infer" -> spark.read().option("header", "true").option("inferSchema", "true").csv(file);
            case "parquet" -> spark.read().parquet(file);
            default -> throw new IllegalArgumentException("csv, csv-infer or parquet, got " + how);
        };
        long rows = df.count();
        double s = (System.nanoTime() - t0) * 1e-9;
        System.out.printf(java.util.Locale.ROOT, "{\"what\":\"spark-read-count\",\"format\":\"%s\",\"rows\":%d,"
                + "\"seconds\":%.3f}%n", how, rows, s);
        spark.stop();
    }
}
