package dev.odeflow.jobs.cli;

import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/** The CLI's Spark session: whatever spark-submit configured, else embedded local mode on every core. */
public final class SparkSessions {

    private SparkSessions() {
    }

    public static SparkSession getOrCreate(String appName) {
        SparkSession.Builder b = SparkSession.builder().appName(appName);
        if (!new SparkConf().contains("spark.master")) {
            b = b.master("local[*]").config("spark.ui.showConsoleProgress", "false");
        }
        return b.getOrCreate();
    }
}
