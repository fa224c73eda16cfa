package dev.odeflow.driver;

import dev.odeflow.driver.checkpoint.Checkpoint;
import dev.odeflow.driver.metrics.RunStats;
import dev.odeflow.driver.train.ImageScores;
import dev.odeflow.kernels.classifier.ClassifierModel;

import java.util.List;
import java.util.Optional;

/**
 * The outcome of {@link ClassifierTrainer}.
 *
 * @param parameters     final θ in the model's layout order
 * @param model          the classifier θ belongs to
 * @param finalLoss      mean cross-entropy of the last iteration's batch, NaN if none ran
 * @param scores         the final scores on the train, validation and test images, in that order (no images: a
 *                       NaN error)
 * @param metricsLine    the final metrics as the console reports them
 * @param iterations     completed iterations (including those before a resume)
 * @param wallSeconds    wall time of this call's training loop
 * @param metricsFile    the metrics.jsonl written, if output.dir was set
 * @param lastCheckpoint the newest checkpoint written or resumed from, if any
 * @param finalState     the checkpoint of the last iteration (see {@link TrainResult#finalState()})
 * @param stats          where the time and the solver work went (rows: images per split)
 * @param source         what was read
 */
public record ClassifierResult(double[] parameters, ClassifierModel model, double finalLoss, List<ImageScores> scores,
                               String metricsLine, long iterations, double wallSeconds, Optional<String> metricsFile,
                               Optional<String> lastCheckpoint, Checkpoint finalState, RunStats stats, String source)
        implements TrainingOutcome {

    public ClassifierResult {
        parameters = parameters.clone();
        scores = List.copyOf(scores);
        if (scores.size() != 3) {
            throw new IllegalArgumentException("a classifier result has the scores of 3 splits, got " + scores.size());
        }
    }

    @Override
    public double[] parameters() {
        return parameters.clone();
    }

    public ImageScores train() {
        return scores.get(0);
    }

    public ImageScores val() {
        return scores.get(1);
    }

    public ImageScores test() {
        return scores.get(2);
    }
}
