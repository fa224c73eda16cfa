package dev.odeflow.jobs.cluster;

import dev.odeflow.jobs.model.TestModels;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.odeflow.driver.conf.TrainConfig;
import dev.odeflow.driver.output.RunLock;
import dev.odeflow.jobs.model.TinyFlows;
import dev.odeflow.jobs.train.DriverTraining;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code train} submitted with {@code --deploy-mode cluster} to a real standalone cluster (the driver runs in a
 * worker as a DriverWrapper JVM), every output at a {@code file:} URI outside the cluster's working directories.
 * The first submission's driver JVM is killed once a checkpoint exists: the master reports the driver FAILED.
 * The same submission again (the job has {@code resume = auto}) takes over the dead driver's lock, continues
 * from the last checkpoint, ends FINISHED, and leaves the model, the metrics and the summary, with weights
 * bitwise equal to an uninterrupted run.
 */
@Tag("cluster")
class StandaloneClusterModeTest {

    static final int ITERATIONS = 24;
    static final int EVERY = 3;
    /** The first driver is killed once this iteration's checkpoint is on disk. */
    static final int KILL_AFTER_CHECKPOINT = 6;
    private static final Pattern RESUMED = Pattern.compile("odeflow resuming from \\S+ \\(iteration (\\d+)\\)");
    private static final Pattern PROGRESS = Pattern.compile("odeflow iter (\\d+)/" + ITERATIONS);

    @Test
    @Timeout(value = 280, unit = TimeUnit.SECONDS)
    void aResubmittedJobContinuesFromTheLastCheckpoint(@TempDir Path tmp, @TempDir Path shared) throws Exception {
        Path run = shared.resolve("run");
        Path job = shared.resolve("job.conf");
        List<String> lines = new ArrayList<>(StandaloneFailoverTest.JOB);
        lines.set(lines.indexOf("iterations=24"), "iterations=" + ITERATIONS);
        lines.addAll(List.of("checkpoint.every=" + EVERY, "checkpoint.keep=2", "resume=auto",
                "output.dir=file:" + run));
        Files.writeString(job, String.join("\n", lines) + "\n");
        Path checkpoints = run.resolve("checkpoints");

        LocalStandaloneCluster cluster = new LocalStandaloneCluster(tmp);
        try (cluster) {
            cluster.start(2, 2, 1536, Duration.ofSeconds(60));
            List<String> submit = submit(cluster, job);

            Process first = cluster.launch("submit-1", submit);
            String d1 = cluster.awaitNewDriver(Set.of(), Duration.ofSeconds(60));
            awaitCheckpoint(cluster, d1, checkpoints.resolve(String.format("checkpoint-%010d.ckpt",
                    KILL_AFTER_CHECKPOINT)), Duration.ofSeconds(120));
            ProcessHandle wrapper = cluster.driverProcess(d1).orElseThrow(() -> new AssertionError(
                    "no DriverWrapper JVM for " + d1 + ":\n" + cluster.driverOutput(d1)));
            assertTrue(wrapper.destroyForcibly(), "killed the driver JVM");
            assertEquals("FAILED", cluster.awaitDriverEnd(d1, Duration.ofSeconds(60)),
                    "the master's final state of the killed driver: " + cluster.masterState());
            long firstIterations = metricLines(run).size();
            assertTrue(firstIterations >= KILL_AFTER_CHECKPOINT && firstIterations < ITERATIONS,
                    "the first attempt stopped mid-run after " + firstIterations + " iterations");
            assertTrue(Files.exists(run.resolve(RunLock.FILE_NAME)), "the killed driver left its lock behind");
            int newest = newestCheckpoint(checkpoints);

            Process second = cluster.launch("submit-2", submit);
            String d2 = cluster.awaitNewDriver(Set.of(d1), Duration.ofSeconds(60));
            String state = cluster.awaitDriverEnd(d2, Duration.ofSeconds(150));
            String log = cluster.driverOutput(d2);
            assertEquals("FINISHED", state, "the resubmitted driver: " + cluster.masterState() + "\n" + log);
            assertTrue(second.waitFor(30, TimeUnit.SECONDS), "spark-submit waited for the driver, then returned:\n"
                    + cluster.tail("submit-2", 20));
            assertTrue(first.waitFor(30, TimeUnit.SECONDS), cluster.tail("submit-1", 20));
            assertTrue(cluster.countLines("submit-2", "State of driver " + d2 + " is FINISHED") > 0,
                    cluster.tail("submit-2", 20));

            Matcher resumed = RESUMED.matcher(log);
            assertTrue(resumed.find(), "the retry resumed:\n" + log);
            int from = Integer.parseInt(resumed.group(1));
            assertEquals(newest, from, "resumed from the first attempt's last checkpoint");
            assertTrue(from >= KILL_AFTER_CHECKPOINT, "at or after the checkpoint awaited before the kill: " + from);
            assertTrue(log.contains("taking over the lock"), "the dead driver's lock was taken over:\n" + log);
            List<Integer> trained = PROGRESS.matcher(log).results().map(m -> Integer.parseInt(m.group(1))).toList();
            assertEquals(from + 1, trained.stream().mapToInt(i -> i).min().orElse(-1), "only the rest: " + trained);
            assertEquals(ITERATIONS, trained.stream().mapToInt(i -> i).max().orElse(-1), "to the end: " + trained);
        } finally {
            cluster.keepLogs(Path.of("target", "cluster-test-logs", "cluster-mode"));
        }

        assertTrue(Files.isRegularFile(run.resolve("model").resolve("model.json")));
        assertTrue(Files.isRegularFile(run.resolve("model").resolve("weights.safetensors")));
        List<String> metrics = metricLines(run);
        assertEquals(ITERATIONS, metrics.size(), "metrics.jsonl lists each iteration once");
        for (int i = 0; i < ITERATIONS; i++) {
            assertTrue(metrics.get(i).startsWith("{\"iteration\":" + (i + 1) + ","), metrics.get(i));
        }
        assertEquals("succeeded", new ObjectMapper().readTree(run.resolve("summary.json").toFile())
                .path("status").asText());
        assertFalse(Files.exists(run.resolve(RunLock.FILE_NAME)), "the lock was released");

        double[] clusterWeights = TestModels.read(run.resolve("model")).weights();
        SparkSession spark = SparkSession.builder().master("local[2]").appName("reference")
                .config("spark.ui.enabled", "false").getOrCreate();
        try {
            TrainConfig config = TrainConfig.from(DriverTraining.load(job,
                    List.of("output.dir=" + shared.resolve("reference"))));
            double[] reference = DriverTraining.train(spark, config).flow().weights();
            assertArrayEquals(reference, clusterWeights, "killed and resubmitted run == uninterrupted run");
        } finally {
            spark.stop();
        }
    }

    private static List<String> submit(LocalStandaloneCluster cluster, Path job) throws IOException {
        return List.of("org.apache.spark.deploy.SparkSubmit",
                "--master", cluster.masterUrl(), "--deploy-mode", "cluster",
                "--class", "dev.odeflow.jobs.OdeflowCli",
                "--driver-memory", "512m", "--driver-cores", "1",
                "--conf", "spark.standalone.submit.waitAppCompletion=true",
                "--conf", "spark.driver.extraClassPath=" + cluster.classPath(),
                "--conf", "spark.driver.extraJavaOptions=" + LocalStandaloneCluster.ADD_OPENS,
                "--conf", "spark.executor.extraClassPath=" + cluster.classPath(),
                "--conf", "spark.executor.extraJavaOptions=" + LocalStandaloneCluster.ADD_OPENS,
                "--conf", "spark.executor.memory=512m", "--conf", "spark.executor.cores=1",
                "--conf", "spark.cores.max=2", "--conf", "spark.ui.enabled=false",
                cluster.emptyJar().toString(), "train", job.toString());
    }

    /** Waits for {@code file}, failing early (with the driver's output) if the driver ends first. */
    private static void awaitCheckpoint(LocalStandaloneCluster cluster, String driver, Path file, Duration timeout)
            throws IOException, InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (!Files.exists(file)) {
            boolean ended = cluster.masterState().driver(driver).map(MasterState.Driver::ended).orElse(false);
            if (ended || System.nanoTime() > end) {
                throw new AssertionError("no " + file + (ended ? "; the driver ended: " : " within " + timeout + ": ")
                        + cluster.masterState() + "\n" + cluster.driverOutput(driver));
            }
            Thread.sleep(100);
        }
    }

    private static List<String> metricLines(Path run) throws IOException {
        Path f = run.resolve("metrics.jsonl");
        return Files.exists(f) ? Files.readAllLines(f).stream().filter(l -> !l.isBlank()).toList() : List.of();
    }

    private static int newestCheckpoint(Path dir) throws IOException {
        try (var files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.matches("checkpoint-\\d+\\.ckpt"))
                    .mapToInt(n -> Integer.parseInt(n.substring(11, n.length() - 5))).max().orElse(-1);
        }
    }
}
