package dev.odeflow.driver.train;

import dev.odeflow.driver.data.DataBlock;
import dev.odeflow.kernels.model.LossGradient;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.broadcast.Broadcast;

/** Mean negative log-likelihood of a data set, computed across the cluster with the exact-trace eval solver. */
public final class Evaluator {

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
        Broadcast<double[]> bw = jsc.broadcast(w);
        try {
            Function2<PartitionTree, DataBlock, PartitionTree> seqOp = (acc, b) -> {
                LossGradient nll = new LossGradient(0);
                if (b.n() > 0) {
                    double sum = 0;
                    for (double v : objective.logLikelihood(bw.value(), b.rows(), b.n())) {
                        sum -= v;
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
