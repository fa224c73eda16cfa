package dev.odeflow.driver.train;

import dev.odeflow.driver.data.MinibatchPlan;
import dev.odeflow.driver.data.TrainingBlock;
import dev.odeflow.driver.data.Seeds;
import dev.odeflow.kernels.model.LossGradient;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.broadcast.Broadcast;

/**
 * One iteration's summed loss and gradient over the cluster: each partition picks its minibatch units (rows,
 * windows: {@link MinibatchPlan}) and calls {@link Objective#addLossGradient} with noise seeded by
 * (seed, iteration, partition); the partitions are combined by {@code treeAggregate} into a
 * {@link PartitionTree}, so the sum is the same for every execution order.
 */
public final class DistributedGradient {

    private DistributedGradient() {
    }

    /**
     * The loss and gradient sums of iteration {@code iteration} (0-based) over {@code blocks}, which hold one
     * block per partition.
     */
    public static <B extends TrainingBlock> LossGradient compute(JavaRDD<B> blocks, Objective<B> objective,
                                                                 Broadcast<double[]> w,
                                       MinibatchPlan plan, long seed, long iteration, int depth) {
        int partitions = blocks.getNumPartitions();
        if (partitions != plan.partitions()) {
            throw new IllegalStateException("data has " + partitions + " partitions, the minibatch plan "
                    + plan.partitions());
        }
        int dim = objective.paramDim();
        Function2<PartitionTree, B, PartitionTree> seqOp = (acc, block) -> {
            int p = TaskContext.getPartitionId();
            return acc.addLeaf(p, partitionLossGradient(objective, w.value(), block, plan, p, seed, iteration, dim));
        };
        Function2<PartitionTree, PartitionTree, PartitionTree> combOp = PartitionTree::merge;
        return blocks.treeAggregate(new PartitionTree(partitions), seqOp, combOp, depth).total();
    }

    /** Partition p's contribution at an iteration (also used to check the distributed sum). */
    public static <B extends TrainingBlock> LossGradient partitionLossGradient(Objective<B> objective, double[] w,
                                                                               B block, MinibatchPlan plan,
                                                                               int partition, long seed,
                                                                               long iteration, int dim) {
        LossGradient lg = new LossGradient(dim);
        int[] units = plan.indices(block, partition, iteration);
        if (units.length > 0) {
            objective.addLossGradient(w, block, units, noiseSeed(seed, iteration, partition), lg);
        }
        return lg;
    }

    /** The Hutchinson-noise seed of a partition at an iteration. */
    public static long noiseSeed(long seed, long iteration, int partition) {
        return Seeds.derive(seed, Seeds.NOISE, iteration, partition);
    }
}
