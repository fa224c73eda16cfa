package dev.odeflow.driver.conf;

import java.io.Serializable;

/**
 * Optimizer and learning-rate schedule settings.
 *
 * @param kind        adam or sgd
 * @param lr          base learning rate
 * @param weightDecay L2 penalty added to the gradient (torch.optim's weight_decay)
 * @param beta1       Adam first-moment decay
 * @param beta2       Adam second-moment decay
 * @param eps         Adam epsilon
 * @param momentum    SGD momentum
 * @param clipNorm    global gradient-norm clip; 0 = off
 * @param schedule    schedule shape
 * @param warmup      linear warm-up iterations
 * @param minLr       cosine schedule's final learning rate
 * @param stepSize    step schedule's period
 * @param gamma       step schedule's factor
 */
public record OptimizerConfig(OptimizerKind kind, double lr, double weightDecay, double beta1, double beta2,
                              double eps, double momentum, double clipNorm, ScheduleKind schedule, int warmup,
                              double minLr, int stepSize, double gamma) implements Serializable {

    public OptimizerConfig {
        if (kind == null || schedule == null) {
            throw new IllegalArgumentException("optimizer kind and schedule are required");
        }
        if (!(lr > 0) || !Double.isFinite(lr)) {
            throw new IllegalArgumentException("learning rate must be > 0, got " + lr);
        }
        if (!(weightDecay >= 0) || !(clipNorm >= 0) || !(minLr >= 0) || warmup < 0) {
            throw new IllegalArgumentException("weight decay, clip norm, min lr and warm-up must be >= 0");
        }
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1) || !(eps > 0)) {
            throw new IllegalArgumentException("Adam needs 0 <= beta1, beta2 < 1 and eps > 0");
        }
        if (!(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("momentum must be in [0, 1), got " + momentum);
        }
        if (stepSize < 1 || !(gamma > 0)) {
            throw new IllegalArgumentException("step schedule needs step_size >= 1 and gamma > 0");
        }
    }

    /** FFJORD's toy defaults: Adam, lr 1e-3, weight decay 1e-5, no clipping, constant lr. */
    public static OptimizerConfig adamDefaults() {
        return new OptimizerConfig(OptimizerKind.ADAM, 1e-3, 1e-5, 0.9, 0.999, 1e-8, 0.9, 0, ScheduleKind.NONE, 0, 0,
                1000, 0.5);
    }
}
