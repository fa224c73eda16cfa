package dev.odeflow.jobs.cluster;

import dev.odeflow.jobs.model.TinyFlows;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Under spark-submit, {@code OdeflowCli.main} returns normally on success (a cluster manager such as YARN reports
 * user code that calls System.exit, even with 0, as FAILED) and the JVM then ends by itself; a failure is an
 * exception out of main, so spark-submit exits non-zero.
 */
class SubmitExitTest {

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void successReturnsFromMainAndFailureExitsNonZero(@TempDir Path tmp) throws Exception {
        Path good = tmp.resolve("good.conf");
        Files.writeString(good, String.join("\n", "data=toy:8gaussians", "data.n=600", "model.hidden=8",
                "solver.method=rk4", "solver.steps=2", "eval.method=rk4", "eval.steps=2", "gradient=direct",
                "iterations=2", "batch_size=64", "partitions=1", "plots=false", TinyFlows.CPU, ""));
        Path bad = tmp.resolve("bad.conf");
        Files.writeString(bad, "data = toy:8gaussians\nlearning_rate = 3\n");
        try (LocalStandaloneCluster spark = new LocalStandaloneCluster(tmp)) {
            Path out = tmp.resolve("out");
            Process ok = spark.launch("good", submit(spark, "train", good.toString(), "output.dir=" + out));
            assertTrue(ok.waitFor(150, TimeUnit.SECONDS), "the driver JVM ended by itself:\n" + spark.tail("good", 30));
            assertEquals(0, ok.exitValue(), spark.tail("good", 40));
            assertTrue(Files.isRegularFile(out.resolve("model").resolve("model.json")), spark.tail("good", 40));

            Process failed = spark.launch("bad", submit(spark, "train", bad.toString()));
            assertTrue(failed.waitFor(120, TimeUnit.SECONDS), spark.tail("bad", 30));
            String log = spark.tail("bad", 60);
            assertNotEquals(0, failed.exitValue(), log);
            assertTrue(log.contains("learning_rate"), "the one-line error names the key:\n" + log);
            assertTrue(log.contains("odeflow train failed (exit code 1)"), log);
        }
    }

    @Test
    void mainReturnsOnSuccess() {
        // Were main to call System.exit(0), this test JVM would end here and the build would fail.
        dev.odeflow.jobs.OdeflowCli.main(new String[] {"help"});
    }

    private static List<String> submit(LocalStandaloneCluster spark, String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("org.apache.spark.deploy.SparkSubmit",
                "--master", "local[1]", "--deploy-mode", "client", "--class", "dev.odeflow.jobs.OdeflowCli",
                "--conf", "spark.ui.enabled=false", "--conf", "spark.driver.host=127.0.0.1",
                spark.emptyJar().toString()));
        cmd.addAll(List.of(args));
        return cmd;
    }
}
