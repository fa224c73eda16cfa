package dev.odeflow.driver.train;

import dev.odeflow.driver.data.DataBlock;
import dev.odeflow.kernels.model.LossGradient;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.util.LongAccumulator;

/**
 * Mean negative log-likelihood of a data set, computed across the cluster with the exact-trace eval solver. Each
 * partition is evaluated in chunks of {@link #CHUNK_ROWS} rows (bounded memory; an adaptive solver's steps are set
 * by each chunk, not by the whole partition), counting the rows done for the driver's progress line.
 */
public final class Evaluator {

    /** Rows per evaluation call. */
    public static final int CHUNK_ROWS = 4096;

    private Evaluator() {
    }

    /** Result of an evaluation: mean NLL (in the objective's space) over {@code rows} rows. */
    public record Nll(double mean, long rows) {
    }

    /**
     * −mean log p(x) over every row of {@code blocks} (one block per partition); NaN for an empty set. The
     * per-partition sums are combined in a {@link PartitionTree}, so the result does not depend on the order in
     * which Spark delivers them.
     */
    public static Nll meanNll(JavaSparkContext jsc, JavaRDD<DataBlock> blocks, Objective objective, double[] w,
                              int depth) {
        return meanNll(jsc, blocks, objective, w, depth, null);
    }

    /** As {@link #meanNll(JavaSparkContext, JavaRDD, Objective, double[], int)}, adding rows done to {@code progress}. */
    public static Nll meanNll(JavaSparkContext jsc, JavaRDD<DataBlock> blocks, Objective objective, double[] w,
                              int depth, LongAccumulator progress) {
        Broadcast<double[]> bw = jsc.broadcast(w);
        try {
            Function2<PartitionTree, DataBlock, PartitionTree> seqOp = (acc, b) -> {
                LossGradient nll = new LossGradient(0);
                if (b.n() > 0) {
                    double sum = 0;
                    for (int from = 0; from < b.n(); from += CHUNK_ROWS) {
                        int m = Math.min(CHUNK_ROWS, b.n() - from);
                        double[] chunk = java.util.Arrays.copyOfRange(b.rows(), from * b.d(), (from + m) * b.d());
                        for (double v : objective.logLikelihood(bw.value(), chunk, m)) {
                            sum -= v;
                        }
                        if (progress != null) {
                            progress.add(m);
                        }
                    }
                    nll.add(sum, new double[0], b.n(), 0, 0, 0, 0);
                }
                return acc.addLeaf(TaskContext.getPartitionId(), nll);
            };
            LossGradient total = blocks.treeAggregate(new PartitionTree(blocks.getNumPartitions()), seqOp,
                    PartitionTree::merge, depth).total();
            return new Nll(total.count() == 0 ? Double.NaN : total.lossSum() / total.count(), total.count());
        } finally {
            bw.destroy();
        }
    }
}
