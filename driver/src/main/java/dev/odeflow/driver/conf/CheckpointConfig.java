package dev.odeflow.driver.conf;

import java.io.Serializable;

/**
 * Checkpointing.
 *
 * @param dir    Hadoop FileSystem directory (null = no checkpoints)
 * @param every  write every K iterations; 0 = never
 * @param keep   how many recent checkpoints to keep
 * @param resume whether to continue from the latest checkpoint in {@code dir} ({@link ResumePolicy})
 * @param existing what a fresh run does with checkpoints already in {@code dir}
 */
public record CheckpointConfig(String dir, int every, int keep, ResumePolicy resume,
                               ExistingCheckpoints existing)
        implements Serializable {

    public CheckpointConfig {
        if (existing == null || resume == null) {
            throw new IllegalArgumentException("checkpoint.existing and resume are required");
        }
        if (every < 0 || keep < 1) {
            throw new IllegalArgumentException("checkpoint.every must be >= 0 and checkpoint.keep >= 1");
        }
        if ((every > 0 || resume.mayResume()) && (dir == null || dir.isBlank())) {
            throw new IllegalArgumentException("checkpoints and resume need checkpoint.dir or output.dir");
        }
    }

    public static CheckpointConfig none() {
        return new CheckpointConfig(null, 0, 2, ResumePolicy.NEVER, ExistingCheckpoints.FAIL);
    }
}
