package dev.odeflow.jobs.cli;

import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The CLI's Spark session: whatever spark-submit configured, else embedded local mode on every core. Local mode
 * keeps to this machine: the driver binds to 127.0.0.1 and the web UI is off (a job file's
 * {@code spark.ui.enabled=true} turns it on, and a log line gives its address).
 */
public final class SparkSessions {

    private static final Logger LOG = LoggerFactory.getLogger(SparkSessions.class);
    static final String LOOPBACK = "127.0.0.1";

    private SparkSessions() {
    }

    public static SparkSession getOrCreate(String appName) {
        return getOrCreate(appName, Map.of());
    }

    /** The settings of an embedded local session before the job's own {@code spark.*} keys (which win). */
    public static Map<String, String> localDefaults() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("spark.master", "local[*]");
        m.put("spark.ui.showConsoleProgress", "false");
        m.put("spark.driver.bindAddress", LOOPBACK);
        m.put("spark.driver.host", LOOPBACK);
        m.put("spark.ui.enabled", "false");
        return m;
    }

    /**
     * As {@link #getOrCreate(String)}, with {@code spark.*} settings from a job file; a setting spark-submit
     * already made (or that the running session has) is kept.
     */
    public static SparkSession getOrCreate(String appName, Map<String, String> sparkSettings) {
        SparkConf submitted = new SparkConf();
        boolean local = !submitted.contains("spark.master");
        SparkSession.Builder b = SparkSession.builder().appName(appName);
        if (local) {
            for (Map.Entry<String, String> e : localDefaults().entrySet()) {
                b = b.config(e.getKey(), e.getValue());
            }
        }
        for (Map.Entry<String, String> e : sparkSettings.entrySet()) {
            if (!submitted.contains(e.getKey())) {
                b = b.config(e.getKey(), e.getValue());
            }
        }
        SparkSession spark = b.getOrCreate();
        if (local) {
            logUi(spark);
        }
        return spark;
    }

    private static void logUi(SparkSession spark) {
        scala.Option<String> url = spark.sparkContext().uiWebUrl();
        if (url.isDefined()) {
            LOG.info("Spark UI at {} (no authentication; it listens on all interfaces unless SPARK_LOCAL_IP is"
                    + " set, which bin/odeflow sets to 127.0.0.1)", url.get());
        } else {
            LOG.info("Spark UI off (local mode); set spark.ui.enabled=true in the job file to get it on"
                    + " http://127.0.0.1:4040");
        }
    }
}
