package dev.odeflow.jobs.cli;

import dev.odeflow.driver.CnfTrainer;
import dev.odeflow.driver.conf.JobConf;
import dev.odeflow.driver.conf.TrainConfig;
import dev.odeflow.driver.output.OutputStore;
import dev.odeflow.driver.output.RunLock;
import dev.odeflow.jobs.train.DriverTraining;
import dev.odeflow.jobs.train.FailedFinalWrite;
import dev.odeflow.jobs.train.FinishedRun;
import dev.odeflow.jobs.train.RunSummary;
import dev.odeflow.jobs.train.TrainOutputs;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code train <job.conf> [key=value ...]}: trains the job's model kind with the driver, then writes
 * {@code <output.dir>/model} and, for 2-D data, the pictures. Without output.dir the run goes to {@code runs/<job name>}.
 */
public final class TrainCommand {

    public static final String NAME = "train";

    private TrainCommand() {
    }

    public static void run(List<String> args, PrintStream out, PrintStream err) throws IOException {
        CommandLine cl = CommandLine.parse(NAME, args, Set.of());
        if (cl.positionals().size() != 1) {
            throw new UsageException(NAME + ": expected one job file (a path; key=value arguments are overrides), got "
                    + (cl.positionals().isEmpty() ? "none" : cl.positionals()));
        }
        Path jobFile = Path.of(cl.positionals().get(0));
        if (!Files.isRegularFile(jobFile)) {
            throw new UsageException(NAME + ": job file " + jobFile + " does not exist");
        }
        List<String> overrides = new ArrayList<>();
        cl.overrides().forEach((k, v) -> overrides.add(k + "=" + v));
        JobConf conf = DriverTraining.load(jobFile, overrides);
        TrainOutputs outputs;
        try {
            outputs = TrainOutputs.from(conf.asMap());
        } catch (IllegalArgumentException e) {
            throw new UsageException(NAME + ": " + e.getMessage());
        }
        TrainConfig config = TrainConfig.from(conf);
        if (config.outputDir() == null) {
            String name = jobFile.getFileName().toString().replaceFirst("\\.conf$", "");
            config = config.withOutputDir(Path.of("runs", name).toString());
        }
        String app = "odeflow train " + jobFile.getFileName();
        org.apache.spark.sql.SparkSession spark = SparkSessions.getOrCreate(app, DriverTraining.sparkSettings(conf));
        // output.dir on any Hadoop file system, with the session's Hadoop settings (spark.hadoop.*, core-site.xml)
        OutputStore dir;
        try {
            dir = OutputStore.at(config.outputDir(), spark.sparkContext().hadoopConfiguration());
        } catch (IllegalArgumentException e) {
            throw new UsageException(NAME + ": output.dir: " + e.getMessage());
        }
        dir.checkWritable();
        FinishedRun run;
        // The run owns its output directory from training through the model and the pictures.
        try (RunLock lock = CnfTrainer.lockOutputs(config, spark.sparkContext().hadoopConfiguration())) {
            try {
                run = DriverTraining.train(spark, config, err::println);
            } catch (Exception e) { // Spark's job failures are checked SparkExceptions thrown from Scala
                try {
                    RunSummary.writeFailed(dir, jobFile.toString(), conf, spark, ErrorMessages.describe(e));
                } catch (IOException | RuntimeException summaryFailed) {
                    e.addSuppressed(summaryFailed);
                }
                throw e;
            }
            List<String> written;
            try {
                written = run.write(dir, outputs);
            } catch (IOException | java.io.UncheckedIOException e) {
                FailedFinalWrite failure = FailedFinalWrite.of(e, dir.uri(), run, config,
                        spark.sparkContext().hadoopConfiguration());
                try {
                    RunSummary.writeFailed(dir, jobFile.toString(), conf, spark, ErrorMessages.describe(failure));
                } catch (IOException | RuntimeException summaryFailed) {
                    failure.addSuppressed(summaryFailed);
                }
                throw failure;
            }
            for (String p : written) {
                out.println("wrote " + p);
            }
            out.println("wrote " + run.writeSummary(dir, jobFile.toString(), conf, spark));
        }
        out.println(run.resultLine());
    }
}
