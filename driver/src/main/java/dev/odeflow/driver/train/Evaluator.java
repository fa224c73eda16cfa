package dev.odeflow.driver.train;

import dev.odeflow.driver.data.DataBlock;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/** Mean negative log-likelihood of a data set, computed across the cluster with the exact-trace eval solver. */
public final class Evaluator {

    private Evaluator() {
    }

    /** Result of an evaluation: mean NLL (in the objective's space) over {@code rows} rows. */
    public record Nll(double mean, long rows) {
    }

    /** −mean log p(x) over every row of {@code blocks}; NaN for an empty set. */
    public static Nll meanNll(JavaSparkContext jsc, JavaRDD<DataBlock> blocks, Objective objective, double[] w,
                              int depth) {
        Broadcast<double[]> bw = jsc.broadcast(w);
        try {
            double[] zero = new double[2];
            double[] sum = blocks.treeAggregate(zero, (acc, b) -> {
                if (b.n() > 0) {
                    double[] ll = objective.logLikelihood(bw.value(), b.rows(), b.n());
                    for (double v : ll) {
                        acc[0] -= v;
                    }
                    acc[1] += b.n();
                }
                return acc;
            }, (a, b) -> {
                a[0] += b[0];
                a[1] += b[1];
                return a;
            }, depth);
            return new Nll(sum[1] == 0 ? Double.NaN : sum[0] / sum[1], (long) sum[1]);
        } finally {
            bw.destroy();
        }
    }
}
