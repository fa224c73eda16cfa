package dev.odeflow.jobs.train;

import dev.odeflow.driver.TrainingOutcome;
import dev.odeflow.driver.checkpoint.Checkpoint;
import dev.odeflow.driver.conf.JobConf;
import dev.odeflow.driver.output.OutputStore;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * A training run of any model kind, as the {@code train} command finishes it: its outputs (model directory,
 * pictures), its summary, what a failed final write keeps ({@link FailedFinalWrite}) and its one result line.
 */
public interface FinishedRun {

    /** Writes the model directory and pictures into {@code dir}; returns the locations written. */
    List<String> write(OutputStore dir, TrainOutputs outputs) throws IOException;

    /** Writes summary.json; returns its location. */
    String writeSummary(OutputStore dir, String jobFile, JobConf conf, SparkSession spark) throws IOException;

    /** The driver's result. */
    TrainingOutcome driver();

    /** The checkpoint of the last iteration (on disk or not). */
    default Checkpoint finalState() {
        return driver().finalState();
    }

    /** The newest checkpoint written or resumed from, if any. */
    default Optional<String> lastCheckpoint() {
        return driver().lastCheckpoint();
    }

    /** The line the command prints last: the final metrics. */
    String resultLine();
}
