package dev.odeflow.jobs.cli;

import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** Issue 13, finding 10: the embedded local session keeps its driver and UI on this machine. */
class SparkSessionsTest {

    private static void stopActive() {
        SparkSession.getActiveSession().foreach(s -> {
            s.stop();
            return null;
        });
        SparkSession.clearActiveSession();
        SparkSession.clearDefaultSession();
    }

    @Test
    void localSessionBindsToLoopbackWithTheUiOff() {
        stopActive();
        SparkSession spark = SparkSessions.getOrCreate("loopback test");
        try {
            SparkConf conf = spark.sparkContext().getConf();
            assertEquals("127.0.0.1", conf.get("spark.driver.bindAddress"));
            assertEquals("127.0.0.1", conf.get("spark.driver.host"));
            assertEquals("false", conf.get("spark.ui.enabled"));
            assertFalse(spark.sparkContext().uiWebUrl().isDefined(), "no UI listening");
        } finally {
            stopActive();
        }
    }

    @Test
    void aJobMayTurnTheUiOnAndItStaysOnTheLoopbackDriver() {
        stopActive();
        SparkSession spark = SparkSessions.getOrCreate("ui test", Map.of("spark.ui.enabled", "true",
                "spark.ui.port", "0"));
        try {
            SparkConf conf = spark.sparkContext().getConf();
            assertEquals("true", conf.get("spark.ui.enabled"));
            assertEquals("127.0.0.1", conf.get("spark.driver.bindAddress"));
        } finally {
            stopActive();
        }
    }
}
