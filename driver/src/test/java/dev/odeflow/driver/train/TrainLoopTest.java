package dev.odeflow.driver.train;

import dev.odeflow.driver.CpuConfigs;
import dev.odeflow.driver.SparkTestSession;
import dev.odeflow.driver.data.DataBlock;
import dev.odeflow.driver.conf.ResumePolicy;
import dev.odeflow.driver.conf.TrainConfig;
import dev.odeflow.driver.data.PreparedData;
import dev.odeflow.driver.metrics.MetricsWriter;
import dev.odeflow.kernels.model.CnfModel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainLoopTest {

    private static PreparedData data;

    @BeforeAll
    static void load() {
        TrainConfig c = config(Path.of("unused"));
        data = PreparedData.load(SparkTestSession.get(), c.data(), c.partitions(), c.seed());
    }

    @AfterAll
    static void release() {
        data.unpersist();
    }

    static TrainConfig config(Path dir) {
        return config(dir, "seed=5");
    }

    private static TrainConfig config(Path dir, String... more) {
        List<String> overrides = new ArrayList<>(List.of("data=toy:8gaussians", "data.n=600", "partitions=3",
                "model.hidden=8,8", "solver.method=rk4", "solver.steps=4", "eval.method=rk4", "eval.steps=4",
                "model.divergence=rademacher", "iterations=6", "batch_size=24", "optim.schedule=cosine",
                "optim.clip_norm=5", "optim.lr=0.01", "eval.every=3", "log.every=2", "checkpoint.every=2",
                "output.dir=" + dir.resolve("out"), "checkpoint.dir=" + dir.resolve("ck")));
        overrides.addAll(List.of(more));
        return CpuConfigs.fromOverrides(overrides.toArray(String[]::new));
    }

    private static TrainLoop<DataBlock> loop(TrainConfig cfg, List<String> console) {
        CnfModel model = new CnfModel(cfg.architectureFor(2), cfg.settings());
        return new TrainLoop<>(SparkTestSession.jsc(), new CnfObjective(model), data.train(), data.trainRows(),
                data.val(), cfg, console::add);
    }

    private static double[] init(TrainConfig cfg) {
        return new CnfModel(cfg.architectureFor(2), cfg.settings()).initialParameters(99, cfg.initialEndTime());
    }

    @Test
    void resumedRunEqualsUninterruptedRunBitwise(@TempDir Path a, @TempDir Path b) throws Exception {
        TrainConfig full = config(a);
        List<String> console = new ArrayList<>();
        TrainLoop.Outcome straight = loop(full, console).run(init(full));
        assertEquals(6, straight.iterations());

        TrainConfig interrupted = config(b);
        TrainLoop.Outcome partial = loop(interrupted, new ArrayList<>()).run(init(interrupted), 3);
        assertEquals(3, partial.iterations());
        assertFalse(java.util.Arrays.equals(straight.parameters(), partial.parameters()));
        // the driver "dies" after iteration 3; the newest checkpoint is iteration 2
        TrainConfig resumed = interrupted.withCheckpoint(new dev.odeflow.driver.conf.CheckpointConfig(
                interrupted.checkpoint().dir(), 2, 2, ResumePolicy.ALWAYS,
                dev.odeflow.driver.conf.ExistingCheckpoints.FAIL));
        List<String> console2 = new ArrayList<>();
        TrainLoop.Outcome rest = loop(resumed, console2).run(init(resumed));
        assertEquals(6, rest.iterations());
        assertEquals(4, rest.history().size(), "iterations 3..6 were run after resuming");
        assertArrayEquals(straight.parameters(), rest.parameters(), 0.0);
        assertEquals(straight.optimizer(), rest.optimizer());
        assertTrue(console2.get(0).contains("resuming") && console2.get(0).contains("iteration 2"), console2.get(0));

        // T trained: the last parameter moved
        assertTrue(straight.parameters()[straight.parameters().length - 1] != init(full)[init(full).length - 1]);

        // metrics.jsonl lists every iteration exactly once, also after the resume
        List<String> lines = Files.readAllLines(b.resolve("out").resolve(MetricsWriter.FILE_NAME));
        assertEquals(6, lines.size());
        for (int i = 0; i < 6; i++) {
            String l = lines.get(i);
            assertTrue(l.startsWith("{\"iteration\":" + (i + 1) + ","), l);
            for (String key : new String[] {"loss", "nfe_forward", "nfe_backward", "accepted", "rejected", "wall_s",
                "samples_per_s", "\"T\""}) {
                assertTrue(l.contains(key), key + " missing in " + l);
            }
        }
        assertTrue(lines.get(2).contains("val_nll"), "validation at iteration 3: " + lines.get(2));
        assertTrue(console.stream().anyMatch(s -> s.startsWith("odeflow iter 2/6") && s.contains("eta")), console.toString());
    }

    @Test
    void resumeRefusesAnIncompatibleCheckpoint(@TempDir Path a) {
        TrainConfig cfg = config(a);
        loop(cfg.withIterations(2), new ArrayList<>()).run(init(cfg));
        TrainConfig other = CpuConfigs.fromOverrides("data=toy:8gaussians", "data.n=600", "partitions=3", "seed=6",
                "model.hidden=8,8", "solver.method=rk4", "solver.steps=4", "iterations=4", "batch_size=24",
                "checkpoint.every=2", "resume=true", "checkpoint.dir=" + a.resolve("ck"));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> loop(other, new ArrayList<>()).run(init(other)));
        assertTrue(e.getMessage().contains("checkpoint-") && e.getMessage().contains("seed"), e.getMessage());
    }

    @Test
    void resumeNamesEveryDifferingSetting(@TempDir Path a) {
        TrainConfig cfg = config(a);
        loop(cfg.withIterations(2), new ArrayList<>()).run(init(cfg));
        // Finding: a tanh checkpoint resumed silently into a softplus job on other data.
        TrainConfig other = CpuConfigs.fromOverrides("data=toy:moons", "data.n=600", "partitions=3", "seed=5",
                "model.hidden=8,8", "model.activation=softplus", "solver.method=rk4", "solver.steps=4",
                "model.divergence=rademacher", "iterations=2", "batch_size=24", "optim.schedule=cosine",
                "optim.clip_norm=5", "optim.lr=0.01", "checkpoint.every=2", "resume=true",
                "checkpoint.dir=" + a.resolve("ck"));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> loop(other, new ArrayList<>()).run(init(other)));
        assertTrue(e.getMessage().contains("model.activation: checkpoint tanh, this job softplus")
                && e.getMessage().contains("data: checkpoint toy:8gaussians, this job toy:moons"), e.getMessage());
        // Finding: resume=true iterations=60 loaded an iteration-200 checkpoint and reported the old weights.
        TrainConfig shorter = cfg.withIterations(1).withCheckpoint(new dev.odeflow.driver.conf.CheckpointConfig(
                cfg.checkpoint().dir(), 2, 2, ResumePolicy.ALWAYS,
                dev.odeflow.driver.conf.ExistingCheckpoints.FAIL));
        IllegalStateException e2 = assertThrows(IllegalStateException.class,
                () -> loop(shorter, new ArrayList<>()).run(init(shorter)));
        assertTrue(e2.getMessage().contains("iterations: checkpoint 2, this job 1"), e2.getMessage());
    }

    @Test
    void freshRunRefusesAnotherRunsCheckpointsOrMovesThemAside(@TempDir Path a) throws Exception {
        TrainConfig old = config(a);
        loop(old, new ArrayList<>()).run(init(old));
        Path ck = a.resolve("ck");
        List<String> before = checkpointNames(ck);
        assertEquals(List.of("checkpoint-0000000004.ckpt", "checkpoint-0000000006.ckpt"), before);
        // Finding: a resume=false run deleted its own new checkpoints (the keep-N rule counted the old ones as
        // newer) and a later resume loaded the old run's.
        TrainConfig fresh = config(a).withIterations(4);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> loop(fresh, new ArrayList<>()).run(init(fresh)));
        assertTrue(e.getMessage().contains("already holds 2 checkpoint(s)") && e.getMessage().contains("resume=true")
                && e.getMessage().contains("checkpoint.existing=move"), e.getMessage());
        assertEquals(before, checkpointNames(ck), "nothing was touched");

        TrainConfig moving = fresh.withCheckpoint(new dev.odeflow.driver.conf.CheckpointConfig(ck.toString(), 2, 2,
                ResumePolicy.NEVER, dev.odeflow.driver.conf.ExistingCheckpoints.MOVE));
        List<String> console = new ArrayList<>();
        loop(moving, console).run(init(moving));
        assertTrue(console.get(0).contains("moved 2 checkpoint(s)"), console.get(0));
        assertEquals(List.of("checkpoint-0000000002.ckpt", "checkpoint-0000000004.ckpt"), checkpointNames(ck));
        try (var dirs = Files.list(ck)) {
            assertEquals(1, dirs.filter(p -> p.getFileName().toString().startsWith("superseded-")).count());
        }
    }

    @Test
    void autoStartsFreshWithoutCheckpointsAndARetryContinuesFromTheLastOne(@TempDir Path a, @TempDir Path b) {
        TrainConfig job = config(a, "seed=5", "resume=auto");
        List<String> first = new ArrayList<>();
        TrainLoop.Outcome straight = loop(job, first).run(init(job));
        assertEquals(6, straight.history().size(), "no checkpoint: a fresh start");
        assertTrue(first.stream().noneMatch(s -> s.contains("resuming")), first.toString());

        TrainConfig retried = config(b, "seed=5", "resume=auto");
        loop(retried, new ArrayList<>()).run(init(retried), 3); // the first attempt dies after iteration 3
        List<String> second = new ArrayList<>();
        TrainLoop.Outcome rest = loop(retried, second).run(init(retried)); // the same job, started again
        assertTrue(second.get(0).contains("resuming") && second.get(0).contains("iteration 2"), second.get(0));
        assertEquals(4, rest.history().size(), "iterations 3..6 after the retry");
        assertArrayEquals(straight.parameters(), rest.parameters(), 0.0);
    }

    @Test
    void autoOverAnotherConfigurationsCheckpointsFollowsCheckpointExisting(@TempDir Path a) throws Exception {
        TrainConfig old = config(a, "seed=5");
        loop(old, new ArrayList<>()).run(init(old));
        Path ck = a.resolve("ck");
        List<String> before = checkpointNames(ck);
        TrainConfig other = config(a, "seed=6", "resume=auto");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> loop(other, new ArrayList<>()).run(init(other)));
        assertTrue(e.getMessage().contains("resume=auto") && e.getMessage().contains("seed: checkpoint 5, this job 6")
                && e.getMessage().contains("checkpoint.existing=move"), e.getMessage());
        assertEquals(before, checkpointNames(ck), "nothing was touched");

        TrainConfig moving = config(a, "seed=6", "resume=auto", "checkpoint.existing=move");
        List<String> console = new ArrayList<>();
        TrainLoop.Outcome fresh = loop(moving, console).run(init(moving));
        assertTrue(console.get(0).contains("moved 2 checkpoint(s) of another configuration (seed: checkpoint 5"),
                console.get(0));
        assertEquals(6, fresh.history().size(), "started fresh");
        assertEquals(before, checkpointNames(ck), "its own checkpoints 4 and 6 replace the moved ones");
    }

    private static List<String> checkpointNames(Path dir) throws java.io.IOException {
        try (var files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.matches("checkpoint-\\d+\\.ckpt"))
                    .sorted().toList();
        }
    }

    @Test
    void frozenEndTimeStaysPut(@TempDir Path a) {
        TrainConfig cfg = CpuConfigs.fromOverrides("data=toy:8gaussians", "data.n=600", "partitions=3", "seed=5",
                "iterations=5", "batch_size=24", "model.train_T=false", "optim.lr=0.05", "eval.every=0");
        double[] w0 = {0.1, -0.2, 0.3, 0.1, 0.7};
        TrainLoop.Outcome out = new TrainLoop<>(SparkTestSession.jsc(), new GaussianObjective(2, false), data.train(),
                data.trainRows(), null, cfg, s -> { }).run(w0);
        assertEquals(0.7, out.parameters()[4], 0.0);
        assertTrue(out.parameters()[0] != 0.1);
        TrainConfig free = CpuConfigs.fromOverrides("data=toy:8gaussians", "data.n=600", "partitions=3", "seed=5",
                "iterations=5", "batch_size=24", "optim.lr=0.05", "eval.every=0");
        TrainLoop.Outcome moved = new TrainLoop<>(SparkTestSession.jsc(), new GaussianObjective(2), data.train(),
                data.trainRows(), null, free, s -> { }).run(w0);
        assertTrue(moved.parameters()[4] != 0.7, "with train_T the last parameter trains");
    }

    @Test
    void sparkJobsNameTheIteration() throws Exception {
        List<String> descriptions = java.util.Collections.synchronizedList(new ArrayList<>());
        org.apache.spark.scheduler.SparkListener listener = new org.apache.spark.scheduler.SparkListener() {
            @Override
            public void onJobStart(org.apache.spark.scheduler.SparkListenerJobStart e) {
                descriptions.add(String.valueOf(e.properties().getProperty("spark.job.description")));
            }
        };
        org.apache.spark.SparkContext sc = SparkTestSession.get().sparkContext();
        sc.addSparkListener(listener);
        try {
            TrainConfig cfg = CpuConfigs.fromOverrides("data=toy:8gaussians", "data.n=600", "partitions=3",
                    "iterations=2", "batch_size=24", "eval.every=2");
            new TrainLoop<>(SparkTestSession.jsc(), new GaussianObjective(2), data.train(), data.trainRows(),
                    data.val(), cfg, s -> { }).run(new double[] {0, 0, 0, 0, 0.7});
            long deadline = System.currentTimeMillis() + 10_000;
            while (descriptions.size() < 2 && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
        } finally {
            sc.removeSparkListener(listener);
        }
        assertTrue(descriptions.contains("odeflow iteration 1/2") && descriptions.contains("odeflow iteration 2/2"),
                descriptions.toString());
    }

    @Test
    void nonFiniteLossStopsWithTheIteration() {
        Objective<DataBlock> exploding = new Exploding();
        TrainConfig cfg = CpuConfigs.fromOverrides("data=toy:8gaussians", "data.n=600", "partitions=3",
                "iterations=3", "batch_size=24", "eval.every=0");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new TrainLoop<>(
                SparkTestSession.jsc(), exploding, data.train(), data.trainRows(), null, cfg, s -> { })
                .run(new double[] {0, 0, 0.7}));
        assertTrue(e.getMessage().startsWith("iteration 1: the loss (NaN)"), e.getMessage());
    }

    /** An objective whose loss is NaN: a one-dimensional Gaussian's parameters, everything else NaN. */
    private static final class Exploding extends GaussianObjective {
        Exploding() {
            super(1);
        }

        @Override
        public void addLossGradient(double[] w, DataBlock block, int[] units, long noiseSeed,
                                    dev.odeflow.kernels.model.LossGradient acc) {
            acc.add(Double.NaN, new double[3], units.length, 0, 0, 0, 0);
        }

        @Override
        public void addEvaluation(double[] w, DataBlock block, java.util.function.LongConsumer progress,
                                  dev.odeflow.kernels.model.LossGradient acc) {
            acc.add(Double.NaN, new double[0], block.n(), 0, 0, 0, 0);
        }
    }
}
