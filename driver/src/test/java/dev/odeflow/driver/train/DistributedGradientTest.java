package dev.odeflow.driver.train;

import dev.odeflow.driver.SparkTestSession;
import dev.odeflow.driver.data.DataBlock;
import dev.odeflow.driver.data.MinibatchPlan;
import dev.odeflow.driver.data.ToyData;
import dev.odeflow.kernels.backend.BackendKind;
import dev.odeflow.kernels.trace.Divergence;
import dev.odeflow.kernels.dynamics.Activation;
import dev.odeflow.kernels.dynamics.LayerKind;
import dev.odeflow.kernels.gradient.AdjointOptions;
import dev.odeflow.kernels.gradient.GradientMethod;
import dev.odeflow.kernels.dynamics.CnfArchitecture;
import dev.odeflow.kernels.model.CnfModel;
import dev.odeflow.kernels.model.CnfSettings;
import dev.odeflow.kernels.model.LossGradient;
import dev.odeflow.kernels.solver.Method;
import dev.odeflow.kernels.solver.SolverConfig;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DistributedGradientTest {

    static CnfModel tinyModel() {
        CnfSettings s = new CnfSettings(SolverConfig.fixedSteps(Method.RK4, 4), SolverConfig.fixedSteps(Method.RK4, 4),
                GradientMethod.BACKSOLVE_ADJOINT, AdjointOptions.like(1e-5, 1e-5), Divergence.EXACT, true,
                BackendKind.CPU);
        return new CnfModel(new CnfArchitecture(2, new int[] {8, 8}, LayerKind.CONCATSQUASH, Activation.TANH), s);
    }

    /** Three partitions of 40, 25 and 35 rows of 8gaussians. */
    static List<DataBlock> blocks() {
        double[] x = ToyData.generate("8gaussians", 100, 3);
        int[] sizes = {40, 25, 35};
        List<DataBlock> out = new ArrayList<>();
        int row = 0;
        for (int n : sizes) {
            out.add(new DataBlock(n, 2, java.util.Arrays.copyOfRange(x, row * 2, (row + n) * 2)));
            row += n;
        }
        return out;
    }

    @Test
    void treeAggregateEqualsOneProcessOverTheSameBatch() {
        JavaSparkContext jsc = SparkTestSession.jsc();
        List<DataBlock> local = blocks();
        JavaRDD<DataBlock> rdd = jsc.parallelize(local, 3);
        CnfModel model = tinyModel();
        Objective objective = new CnfObjective(model);
        double[] w = model.initialParameters(11, 0.5);
        MinibatchPlan plan = MinibatchPlan.of(new long[] {40, 25, 35}, 20, 7);
        for (long iteration : new long[] {0, 3}) {
            Broadcast<double[]> bw = jsc.broadcast(w);
            LossGradient distributed = DistributedGradient.compute(rdd, objective, bw, plan, 7, iteration, 2);
            bw.destroy();

            // the same rows, concatenated, through one call
            int total = 0;
            double[] all = new double[20 * 2];
            for (int p = 0; p < 3; p++) {
                double[] x = local.get(p).gather(plan.indices(local.get(p), p, iteration), 0, plan.share(p));
                System.arraycopy(x, 0, all, total * 2, x.length);
                total += plan.share(p);
            }
            assertEquals(20, total);
            LossGradient single = new LossGradient(w.length);
            model.addLossGradient(w, all, total, 0, single);

            assertEquals(single.count(), distributed.count());
            assertEquals(single.lossSum(), distributed.lossSum(), 1e-10 * Math.abs(single.lossSum()));
            double scale = 0;
            for (double g : single.gradient()) {
                scale = Math.max(scale, Math.abs(g));
            }
            assertTrue(scale > 0);
            assertArrayEquals(single.gradient(), distributed.gradient(), 1e-10 * scale);
            assertTrue(distributed.gradient()[w.length - 1] != 0, "T gets a gradient");
            assertTrue(distributed.nfeForward() > 0 && distributed.nfeBackward() > 0);
        }
    }

    @Test
    void depthDoesNotChangeTheSumBitwise() {
        JavaSparkContext jsc = SparkTestSession.jsc();
        List<DataBlock> local = new ArrayList<>();
        for (int p = 0; p < 7; p++) {
            local.add(new DataBlock(10 + p, 2, ToyData.generate("moons", 10 + p, p)));
        }
        JavaRDD<DataBlock> rdd = jsc.parallelize(local, 7);
        long[] rows = local.stream().mapToLong(DataBlock::n).toArray();
        MinibatchPlan plan = MinibatchPlan.of(rows, 30, 1);
        Objective objective = new GaussianObjective(2);
        double[] w = {0.1, -0.2, 0.3, 0.1, 0.9};
        Broadcast<double[]> bw = jsc.broadcast(w);
        LossGradient a = DistributedGradient.compute(rdd, objective, bw, plan, 1, 5, 1);
        LossGradient b = DistributedGradient.compute(rdd, objective, bw, plan, 1, 5, 2);
        LossGradient c = DistributedGradient.compute(rdd, objective, bw, plan, 1, 5, 4);
        bw.destroy();
        assertArrayEquals(a.gradient(), b.gradient(), 0.0);
        assertArrayEquals(a.gradient(), c.gradient(), 0.0);
        assertEquals(a.lossSum(), c.lossSum(), 0.0);
        assertEquals(30, a.count());
    }
}
