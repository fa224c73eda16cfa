package dev.odeflow.driver.data;

import java.io.Serializable;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Which rows each partition contributes to each iteration's global minibatch.
 *
 * <p>Partition p with n_p rows takes a share b_p of the global batch B proportional to n_p (largest-remainder
 * rounding, so the shares sum to B). Its rows form an endless stream of epochs; epoch e is a permutation of
 * the block drawn from {@code Seeds.derive(seed, SHUFFLE, e, p)}, and iteration t (0-based) takes stream
 * positions [t·b_p, (t+1)·b_p). So every epoch visits every row exactly once, and the rows of any iteration
 * are a pure function of (seed, iteration, partition): a restarted run picks exactly the same batches.
 * Permutations are computed once per epoch and cached per executor JVM.
 */
public final class MinibatchPlan implements Serializable {

    private static final long serialVersionUID = 1L;
    private static final int CACHE_ENTRIES = 64;
    private static final Map<PermKey, int[]> CACHE = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<PermKey, int[]> e) {
            return size() > CACHE_ENTRIES;
        }
    };

    private record PermKey(long seed, int partition, long epoch, int n) {
    }

    private final long[] rows;
    private final int[] shares;
    private final long seed;

    private MinibatchPlan(long[] rows, int[] shares, long seed) {
        this.rows = rows;
        this.shares = shares;
        this.seed = seed;
    }

    /** The plan for partitions with the given row counts and a global batch size. */
    public static MinibatchPlan of(long[] partitionRows, int globalBatch, long seed) {
        if (globalBatch < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, got " + globalBatch);
        }
        long total = 0;
        for (long r : partitionRows) {
            if (r < 0 || r > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("partition row count out of range: " + r);
            }
            total += r;
        }
        if (total == 0) {
            throw new IllegalArgumentException("no training rows in any partition");
        }
        int p = partitionRows.length;
        int[] shares = new int[p];
        double[] frac = new double[p];
        long assigned = 0;
        for (int i = 0; i < p; i++) {
            double exact = (double) globalBatch * partitionRows[i] / total;
            shares[i] = (int) Math.floor(exact);
            frac[i] = exact - shares[i];
            assigned += shares[i];
        }
        Integer[] order = new Integer[p];
        for (int i = 0; i < p; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> frac[a] != frac[b] ? Double.compare(frac[b], frac[a]) : Integer.compare(a, b));
        for (int k = 0; assigned < globalBatch; k++) {
            int i = order[k % p];
            if (partitionRows[i] > 0) {
                shares[i]++;
                assigned++;
            }
        }
        return new MinibatchPlan(partitionRows.clone(), shares, seed);
    }

    /** Partition p's share of the global batch. */
    public int share(int partition) {
        return shares[partition];
    }

    public int partitions() {
        return shares.length;
    }

    public long rows(int partition) {
        return rows[partition];
    }

    /** The global batch size (sum of the shares). */
    public int globalBatch() {
        return Arrays.stream(shares).sum();
    }

    /** Epoch of partition p's first row of iteration t. */
    public long epochOf(int partition, long iteration) {
        return rows[partition] == 0 ? 0 : iteration * shares[partition] / rows[partition];
    }

    /** Row indices (into the partition's block) that partition p uses at iteration t. */
    public int[] indices(int partition, long iteration) {
        int n = (int) rows[partition];
        int b = shares[partition];
        int[] out = new int[b];
        if (b == 0) {
            return out;
        }
        long pos = iteration * b;
        long epoch = -1;
        int[] perm = null;
        for (int i = 0; i < b; i++, pos++) {
            long e = pos / n;
            if (e != epoch) {
                epoch = e;
                perm = permutation(partition, e, n);
            }
            out[i] = perm[(int) (pos % n)];
        }
        return out;
    }

    /** The units (rows, windows) of {@code block}, partition p's, that it uses at iteration t. */
    public int[] indices(TrainingBlock block, int partition, long iteration) {
        if (block.units() != rows[partition]) {
            throw new IllegalStateException("partition " + partition + " has " + block.units() + " units, the plan "
                    + rows[partition]);
        }
        return indices(partition, iteration);
    }

    /** The permutation of epoch e of partition p (Fisher–Yates from the derived seed). */
    int[] permutation(int partition, long epoch, int n) {
        PermKey key = new PermKey(seed, partition, epoch, n);
        synchronized (CACHE) {
            int[] cached = CACHE.get(key);
            if (cached != null) {
                return cached;
            }
        }
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) {
            perm[i] = i;
        }
        SplittableRandom rng = new SplittableRandom(Seeds.derive(seed, Seeds.SHUFFLE, epoch, partition));
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        synchronized (CACHE) {
            CACHE.put(key, perm);
        }
        return perm;
    }
}
