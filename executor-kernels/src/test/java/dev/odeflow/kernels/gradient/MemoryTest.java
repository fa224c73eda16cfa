package dev.odeflow.kernels.gradient;

import dev.odeflow.kernels.cnf.CnfSystem;
import dev.odeflow.kernels.trace.Probe;
import dev.odeflow.kernels.dynamics.Activation;
import dev.odeflow.kernels.dynamics.LayerKind;
import dev.odeflow.kernels.dynamics.OdeNet;
import dev.odeflow.kernels.solver.Method;
import dev.odeflow.kernels.solver.SolverConfig;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The backsolve adjoint's memory must not grow with the number of steps: neither what the forward pass
 * retains nor what the backward pass allocates. The checkpointed and direct methods must grow (O(steps)).
 */
class MemoryTest {

    private static final int N = 16;
    private final OdeNet net = new OdeNet(new int[] {2, 16, 16, 2}, LayerKind.CONCATSQUASH, Activation.TANH);
    private final double[] theta = net.initialParameters(new Random(1));

    private ForwardPass run(GradientMethod method, int steps) {
        double[] y0 = new double[3 * N];
        Random rng = new Random(2);
        for (int i = 0; i < 2 * N; i++) {
            y0[i] = rng.nextGaussian();
        }
        return Gradients.forward(new CnfSystem(net, theta, N, Probe.exact(2)), y0, new double[] {0, 1},
                SolverConfig.fixedSteps(Method.RK4, steps), method, AdjointOptions.like(1e-6, 1e-6));
    }

    private long backwardAllocation(GradientMethod method, int steps) {
        ForwardPass fp = run(method, steps);
        double[] g = fp.solution().last().clone();
        com.sun.management.ThreadMXBean bean = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().getId();
        long before = bean.getThreadAllocatedBytes(id);
        Sensitivities s = fp.backward(new double[][] {null, g});
        long after = bean.getThreadAllocatedBytes(id);
        assertTrue(Double.isFinite(s.theta()[0]));
        return after - before;
    }

    @Test
    void backsolveAdjointMemoryDoesNotGrowWithSteps() {
        assertEquals(run(GradientMethod.BACKSOLVE_ADJOINT, 10).retainedBytes(),
                run(GradientMethod.BACKSOLVE_ADJOINT, 1000).retainedBytes(), "retained bytes after the forward pass");
        // Interpreted SIMD code boxes its vectors; let the JIT compile (and scalar-replace) the kernels first.
        for (int warm = 0; warm < 200 && backwardAllocation(GradientMethod.BACKSOLVE_ADJOINT, 200) > 1_000_000; warm++) {
            Thread.onSpinWait();
        }
        long few = backwardAllocation(GradientMethod.BACKSOLVE_ADJOINT, 10);
        long many = backwardAllocation(GradientMethod.BACKSOLVE_ADJOINT, 1000);
        long stateBytes = 8L * (2 * 3 * N + theta.length + 1);
        assertTrue(many - few < 20 * stateBytes, "backward allocation grew from " + few + " to " + many
                + " bytes between 10 and 1000 steps (one augmented state is " + stateBytes + " bytes)");
    }

    @Test
    void storingMethodsGrowWithSteps() {
        for (GradientMethod m : new GradientMethod[] {GradientMethod.CHECKPOINTED_ADJOINT, GradientMethod.DIRECT_BACKPROP}) {
            long few = run(m, 10).retainedBytes();
            long many = run(m, 1000).retainedBytes();
            assertTrue(many > 50 * few, m + " should keep O(steps) memory: " + few + " vs " + many);
        }
        long ckpt = run(GradientMethod.CHECKPOINTED_ADJOINT, 1000).retainedBytes();
        long direct = run(GradientMethod.DIRECT_BACKPROP, 1000).retainedBytes();
        assertTrue(direct > 3 * ckpt, "direct backprop keeps every stage: " + direct + " vs checkpoints " + ckpt);
    }
}
