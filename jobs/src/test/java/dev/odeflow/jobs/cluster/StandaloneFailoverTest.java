package dev.odeflow.jobs.cluster;

import dev.odeflow.jobs.model.TestModels;
import dev.odeflow.jobs.model.ModelDirectory;
import dev.odeflow.jobs.model.TinyFlows;
import dev.odeflow.jobs.train.DriverTraining;
import dev.odeflow.driver.conf.TrainConfig;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Trains on a real standalone cluster (master and 2 workers as separate JVMs on loopback, job submitted through
 * SparkSubmit in its own JVM), kills one executor JVM mid-training and checks that the job still finishes with
 * exactly the parameters of an uninterrupted run.
 */
@Tag("cluster")
class StandaloneFailoverTest {

    static final List<String> JOB = List.of("data=toy:8gaussians", "data.n=2000", "model.hidden=16",
            "solver.method=rk4", "solver.steps=4", "eval.method=rk4", "eval.steps=4", "gradient=direct",
            "iterations=24", "batch_size=200", "partitions=2", "eval.every=0", "log.every=1", "seed=5",
            "plots=false", "weights.dtype=F64", TinyFlows.CPU);
    static final int KILL_AFTER = 5;

    @Test
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void killedExecutorDoesNotChangeTheResult(@TempDir Path tmp) throws Exception {
        Path job = tmp.resolve("job.conf");
        Files.writeString(job, String.join("\n", JOB) + "\n");
        Path out = tmp.resolve("cluster-run");
        LocalStandaloneCluster cluster = new LocalStandaloneCluster(tmp);
        try (cluster) {
            cluster.start(2, Duration.ofSeconds(60));
            List<String> submit = new ArrayList<>(List.of("org.apache.spark.deploy.SparkSubmit",
                    "--master", cluster.masterUrl(), "--deploy-mode", "client",
                    "--class", "dev.odeflow.jobs.OdeflowCli",
                    "--conf", "spark.executor.extraClassPath=" + cluster.classPath(),
                    "--conf", "spark.executor.memory=512m", "--conf", "spark.executor.cores=1",
                    "--conf", "spark.cores.max=2", "--conf", "spark.driver.host=127.0.0.1",
                    "--conf", "spark.ui.enabled=false", "--conf", "spark.task.maxFailures=8",
                    "--conf", "spark.executor.extraJavaOptions=" + LocalStandaloneCluster.ADD_OPENS,
                    cluster.emptyJar().toString(), "train", job.toString(), "output.dir=" + out));
            Process driver = cluster.launch("driver", submit);
            cluster.awaitLog("driver", "odeflow iter " + KILL_AFTER + "/", 1, Duration.ofSeconds(120));
            List<ProcessHandle> executors = cluster.executors();
            assertEquals(2, executors.size(), "two executors before the kill:\n" + cluster.tail("driver", 30));
            ProcessHandle busiest = executors.stream()
                    .max(java.util.Comparator.comparingLong(LocalStandaloneCluster::tasksRun)).orElseThrow();
            assertTrue(LocalStandaloneCluster.tasksRun(busiest) > 0, "the executor to kill has run tasks");
            busiest.destroyForcibly();
            assertTrue(driver.waitFor(150, TimeUnit.SECONDS), "driver finished:\n" + cluster.tail("driver", 40));
            String log = cluster.tail("driver", 400);
            assertEquals(0, driver.exitValue(), "driver exit code:\n" + log);
            assertTrue(cluster.countLines("driver", "odeflow iter 24/24") == 1, log);
            assertEquals(1, cluster.countLines("driver", "Lost executor"), "the driver lost one executor:\n" + log);
        } finally {
            cluster.keepLogs(Path.of("target", "cluster-test-logs"));
        }

        double[] clusterWeights = TestModels.read(out.resolve("model")).weights();
        SparkSession spark = SparkSession.builder().master("local[2]").appName("reference")
                .config("spark.ui.enabled", "false").getOrCreate();
        try {
            TrainConfig config = TrainConfig.from(DriverTraining.load(job, List.of()));
            double[] reference = DriverTraining.train(spark, config).flow().weights();
            assertArrayEquals(reference, clusterWeights, "cluster run with a killed executor == uninterrupted run");
        } finally {
            spark.stop();
        }
    }
}
