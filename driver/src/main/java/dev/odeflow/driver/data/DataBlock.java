package dev.odeflow.driver.data;

/**
 * One partition's rows as a single dense n×d row-major array: the unit the driver caches per partition.
 * The array is owned by the block; callers must not modify it. A minibatch draws rows.
 */
public record DataBlock(int n, int d, double[] rows) implements TrainingBlock {

    public DataBlock {
        if (n < 0 || d < 1 || rows == null || rows.length != (long) n * d) {
            throw new IllegalArgumentException("a data block needs n >= 0, d >= 1 and n*d values; got n=" + n
                    + ", d=" + d + ", values=" + (rows == null ? "null" : rows.length));
        }
    }

    @Override
    public int units() {
        return n;
    }

    /** The first {@code k} rows (k <= n) as a new block. */
    public DataBlock head(int k) {
        int m = Math.min(k, n);
        double[] r = new double[m * d];
        System.arraycopy(rows, 0, r, 0, r.length);
        return new DataBlock(m, d, r);
    }

    /** Copies the listed rows, in order, into a new n'×d array. */
    public double[] gather(int[] index, int from, int count) {
        double[] out = new double[count * d];
        for (int i = 0; i < count; i++) {
            System.arraycopy(rows, index[from + i] * d, out, i * d, d);
        }
        return out;
    }
}
