package dev.odeflow.driver.train;

import dev.odeflow.driver.data.TrainingBlock;
import dev.odeflow.kernels.model.LossGradient;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.util.LongAccumulator;

/**
 * An objective's evaluation metric over a data set (the CNF's NLL, a trajectory fit's RMSE), computed across the
 * cluster with the evaluation solver: each partition adds {@link Objective#addEvaluation}, counting the units done
 * for the driver's progress line.
 */
public final class Evaluator {

    private Evaluator() {
    }

    /**
     * Result of an evaluation.
     *
     * @param mean  the mean of the evaluation sum (what {@link Objective#metric} turns into the metric)
     * @param count what it is a mean over (rows; observed values)
     * @param metric the metric; NaN for an empty set
     */
    public record Evaluation(double mean, long count, double metric) {
    }

    /**
     * The evaluation of every block of {@code blocks} (one per partition). The per-partition sums are combined in a
     * {@link PartitionTree}, so the result does not depend on the order in which Spark delivers them.
     */
    public static <B extends TrainingBlock> Evaluation evaluate(JavaSparkContext jsc, JavaRDD<B> blocks,
                                                                Objective<B> objective, double[] w, int depth) {
        return evaluate(jsc, blocks, objective, w, depth, null);
    }

    /** As {@link #evaluate(JavaSparkContext, JavaRDD, Objective, double[], int)}, adding units done to {@code progress}. */
    public static <B extends TrainingBlock> Evaluation evaluate(JavaSparkContext jsc, JavaRDD<B> blocks,
                                                                Objective<B> objective, double[] w, int depth,
                                                                LongAccumulator progress) {
        Broadcast<double[]> bw = jsc.broadcast(w);
        try {
            Function2<PartitionTree, B, PartitionTree> seqOp = (acc, b) -> {
                LossGradient sum = new LossGradient(0);
                if (b.units() > 0) {
                    objective.addEvaluation(bw.value(), b, done -> {
                        if (progress != null) {
                            progress.add(done);
                        }
                    }, sum);
                }
                return acc.addLeaf(TaskContext.getPartitionId(), sum);
            };
            LossGradient total = blocks.treeAggregate(new PartitionTree(blocks.getNumPartitions()), seqOp,
                    PartitionTree::merge, depth).total();
            double mean = total.count() == 0 ? Double.NaN : total.lossSum() / total.count();
            return new Evaluation(mean, total.count(), objective.metric(mean));
        } finally {
            bw.destroy();
        }
    }
}
