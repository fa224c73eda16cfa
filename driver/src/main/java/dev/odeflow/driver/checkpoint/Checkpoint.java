package dev.odeflow.driver.checkpoint;

import dev.odeflow.driver.optim.OptimizerState;

import java.util.Arrays;

/**
 * The state of a run after {@code iteration} completed iterations. Every random choice of the run is a pure
 * function of (seed, iteration, partition), so (seed, iteration) is the whole RNG and epoch state; partitions
 * and the global batch size are stored to refuse resuming under a different data layout.
 *
 * @param iteration   completed iterations
 * @param parameters  w after those iterations
 * @param optimizer   the optimizer's state
 * @param seed        the run's seed
 * @param partitions  number of data partitions
 * @param globalBatch global batch size
 */
public record Checkpoint(long iteration, double[] parameters, OptimizerState optimizer, long seed, int partitions,
                         int globalBatch) {

    public Checkpoint {
        if (iteration < 0 || parameters == null || optimizer == null || partitions < 1 || globalBatch < 1) {
            throw new IllegalArgumentException("invalid checkpoint contents");
        }
        parameters = parameters.clone();
    }

    @Override
    public double[] parameters() {
        return parameters.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Checkpoint c && c.iteration == iteration && Arrays.equals(c.parameters, parameters)
                && c.optimizer.equals(optimizer) && c.seed == seed && c.partitions == partitions
                && c.globalBatch == globalBatch;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(iteration) * 31 + Arrays.hashCode(parameters);
    }

    @Override
    public String toString() {
        return "Checkpoint(iteration " + iteration + ", " + parameters.length + " parameters, " + optimizer + ")";
    }
}
