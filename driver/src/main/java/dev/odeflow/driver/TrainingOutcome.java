package dev.odeflow.driver;

import dev.odeflow.driver.checkpoint.Checkpoint;

import java.util.Optional;

/** What every kind's finished training leaves for checkpoint handling: its final state and newest checkpoint. */
public interface TrainingOutcome {

    /** The checkpoint of the last iteration (written to disk or not). */
    Checkpoint finalState();

    /** The newest checkpoint file written or resumed from, if any. */
    Optional<String> lastCheckpoint();
}
