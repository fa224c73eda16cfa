package dev.odeflow.driver.train;

import dev.odeflow.kernels.model.LossGradient;

import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;

/**
 * A treeAggregate buffer that sums per-partition {@link LossGradient}s in a fixed binary tree over partition
 * indices, whatever order Spark delivers and merges them in. Floating-point addition is not associative, so
 * this is what makes the aggregated gradient (and so a resumed or re-executed run) bitwise reproducible.
 *
 * <p>Node (level ℓ, index i) covers partitions [i·2^ℓ, (i+1)·2^ℓ); its value is left.merge(right) of its
 * children, and a node whose sibling covers no partition is promoted unchanged. The buffer holds only the
 * complete nodes it has seen, so its size stays O(log P) for contiguous ranges.
 */
public final class PartitionTree implements Serializable {

    private static final long serialVersionUID = 1L;

    private final int partitions;
    private final int rootLevel;
    private final Map<Long, LossGradient> nodes = new HashMap<>();

    public PartitionTree(int partitions) {
        if (partitions < 1) {
            throw new IllegalArgumentException("need at least one partition");
        }
        this.partitions = partitions;
        int level = 0;
        while ((1L << level) < partitions) {
            level++;
        }
        this.rootLevel = level;
    }

    /** Adds partition p's result; each partition is added exactly once. Returns this. */
    public PartitionTree addLeaf(int partition, LossGradient g) {
        if (partition < 0 || partition >= partitions) {
            throw new IllegalArgumentException("partition " + partition + " outside 0.." + (partitions - 1));
        }
        insert(0, partition, g);
        return this;
    }

    /** Adds every node of {@code o} into this; returns this. */
    public PartitionTree merge(PartitionTree o) {
        if (o.partitions != partitions) {
            throw new IllegalArgumentException("trees over " + partitions + " and " + o.partitions + " partitions");
        }
        for (Map.Entry<Long, LossGradient> e : o.nodes.entrySet()) {
            insert((int) (e.getKey() >>> 32), (int) (long) e.getKey(), e.getValue());
        }
        return this;
    }

    /** The sum over all partitions; fails if some partition is missing. */
    public LossGradient total() {
        LossGradient root = nodes.get(key(rootLevel, 0));
        if (root == null || nodes.size() != 1) {
            throw new IllegalStateException("aggregate is incomplete: have " + nodes.size() + " partial sums of "
                    + partitions + " partitions");
        }
        return root;
    }

    private void insert(int level, int index, LossGradient g) {
        while (level < rootLevel) {
            int sibling = index ^ 1;
            if (((long) sibling << level) >= partitions) {
                level++;
                index >>= 1;
                continue;
            }
            LossGradient other = nodes.remove(key(level, sibling));
            if (other == null) {
                break;
            }
            g = (index & 1) == 0 ? g.merge(other) : other.merge(g);
            level++;
            index >>= 1;
        }
        if (nodes.putIfAbsent(key(level, index), g) != null) {
            throw new IllegalStateException("partition range (level " + level + ", index " + index
                    + ") was aggregated twice");
        }
    }

    private static long key(int level, int index) {
        return ((long) level << 32) | (index & 0xffffffffL);
    }
}
