package dev.odeflow.driver.optim;

import dev.odeflow.driver.conf.OptimizerConfig;
import dev.odeflow.driver.conf.ScheduleKind;

import java.io.Serializable;

/**
 * The learning rate at each iteration (0-based), a pure function of the iteration so a resumed run continues
 * the same curve: an optional linear warm-up lr·(t+1)/warmup, then constant, cosine decay to min_lr at the last
 * iteration, or step decay lr·γ^⌊(t − warmup)/step_size⌋.
 */
public record LearningRateSchedule(ScheduleKind kind, double baseLr, int warmup, double minLr, int stepSize,
                                   double gamma, int totalIterations) implements Serializable {

    public LearningRateSchedule {
        if (kind == null || !(baseLr > 0) || warmup < 0 || !(minLr >= 0) || stepSize < 1 || !(gamma > 0)
                || totalIterations < 0) {
            throw new IllegalArgumentException("invalid learning-rate schedule");
        }
    }

    /** The schedule of an optimizer configuration over a run of {@code iterations}. */
    public static LearningRateSchedule of(OptimizerConfig c, int iterations) {
        return new LearningRateSchedule(c.schedule(), c.lr(), c.warmup(), c.minLr(), c.stepSize(), c.gamma(),
                iterations);
    }

    /** The learning rate of iteration t (0-based). */
    public double lr(long t) {
        if (t < warmup) {
            return baseLr * (t + 1) / warmup;
        }
        long u = t - warmup;
        return switch (kind) {
            case NONE -> baseLr;
            case STEP -> baseLr * StrictMath.pow(gamma, Math.floorDiv(u, stepSize));
            case COSINE -> {
                long span = Math.max(1, totalIterations - warmup - 1);
                double progress = Math.min(1.0, (double) u / span);
                yield minLr + (baseLr - minLr) * 0.5 * (1 + StrictMath.cos(Math.PI * progress));
            }
        };
    }
}
