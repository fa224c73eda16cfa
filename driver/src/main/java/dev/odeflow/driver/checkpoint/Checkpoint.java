package dev.odeflow.driver.checkpoint;

import dev.odeflow.driver.optim.OptimizerState;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

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
 * @param runId       the run's identity, fixed at its fresh start and carried through resumes
 * @param config      the run's configuration fingerprint (job key → canonical value; empty in format-1 files)
 */
public record Checkpoint(long iteration, double[] parameters, OptimizerState optimizer, long seed, int partitions,
                         int globalBatch, String runId, SortedMap<String, String> config) {

    public Checkpoint {
        if (iteration < 0 || parameters == null || optimizer == null || partitions < 1 || globalBatch < 1
                || runId == null || config == null) {
            throw new IllegalArgumentException("invalid checkpoint contents");
        }
        parameters = parameters.clone();
        config = Collections.unmodifiableSortedMap(new TreeMap<>(config));
    }

    /** Settings of this checkpoint's run that differ from {@code current}: "key: checkpoint X, this job Y". */
    public List<String> configDifferences(SortedMap<String, String> current) {
        List<String> out = new ArrayList<>();
        SortedMap<String, String> keys = new TreeMap<>(config);
        keys.putAll(current);
        for (String k : keys.keySet()) {
            String mine = config.get(k);
            String theirs = current.get(k);
            if (!java.util.Objects.equals(mine, theirs)) {
                out.add(k + ": checkpoint " + (mine == null ? "(unset)" : mine) + ", this job "
                        + (theirs == null ? "(unset)" : theirs));
            }
        }
        return out;
    }

    @Override
    public double[] parameters() {
        return parameters.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Checkpoint c && c.iteration == iteration && Arrays.equals(c.parameters, parameters)
                && c.optimizer.equals(optimizer) && c.seed == seed && c.partitions == partitions
                && c.globalBatch == globalBatch && c.runId.equals(runId) && c.config.equals(config);
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
