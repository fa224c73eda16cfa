package dev.odeflow.jobs.cli;

import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

import java.util.Map;

/** The CLI's Spark session: whatever spark-submit configured, else embedded local mode on every core. */
public final class SparkSessions {

    private SparkSessions() {
    }

    public static SparkSession getOrCreate(String appName) {
        return getOrCreate(appName, Map.of());
    }

    /**
     * As {@link #getOrCreate(String)}, with {@code spark.*} settings from a job file; a setting spark-submit
     * already made (or that the running session has) is kept.
     */
    public static SparkSession getOrCreate(String appName, Map<String, String> sparkSettings) {
        SparkConf submitted = new SparkConf();
        SparkSession.Builder b = SparkSession.builder().appName(appName);
        if (!submitted.contains("spark.master")) {
            b = b.master("local[*]").config("spark.ui.showConsoleProgress", "false");
        }
        for (Map.Entry<String, String> e : sparkSettings.entrySet()) {
            if (!submitted.contains(e.getKey())) {
                b = b.config(e.getKey(), e.getValue());
            }
        }
        return b.getOrCreate();
    }
}
