package dev.odeflow.kernels.model;

import dev.odeflow.kernels.dynamics.CnfArchitecture;

import dev.odeflow.kernels.backend.BackendKind;
import dev.odeflow.kernels.trace.Divergence;
import dev.odeflow.kernels.dynamics.Activation;
import dev.odeflow.kernels.dynamics.Gemm;
import dev.odeflow.kernels.dynamics.LayerKind;
import dev.odeflow.kernels.gradient.AdjointOptions;
import dev.odeflow.kernels.gradient.GradientMethod;
import dev.odeflow.kernels.solver.Method;
import dev.odeflow.kernels.solver.SolverConfig;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The batches {@link ReproducibilityTest} computes in its own JVM and in child JVMs started with other vector
 * widths, JIT modes and kernels. Run as a program, it prints the kernels in use and then, per case, one line:
 * the case name and the bits of the loss sum and of every gradient entry, in hex.
 */
public final class ReproducibilityProbe {

    /** One seeded batch through {@link CnfModel#addLossGradient}. */
    record Case(String name, CnfArchitecture arch, CnfSettings settings, int batch, long seed) {

        long[] bits(int threads) {
            CnfModel model = new CnfModel(arch, settings).withThreads(threads);
            Random rng = new Random(seed);
            double[] w = model.initialParameters(seed, 0.8);
            for (int i = 0; i < w.length - 1; i++) {
                w[i] *= 2.5; // livelier dynamics than the initialization's
            }
            double[] x = new double[batch * arch.dim()];
            for (int i = 0; i < x.length; i++) {
                x[i] = 2 * rng.nextGaussian();
            }
            LossGradient acc = new LossGradient(w.length);
            model.addLossGradient(w, x, batch, seed + 1, acc);
            long[] out = new long[w.length + 1];
            out[0] = Double.doubleToRawLongBits(acc.lossSum());
            for (int i = 0; i < w.length; i++) {
                out[i + 1] = Double.doubleToRawLongBits(acc.gradient()[i]);
            }
            return out;
        }
    }

    private static CnfSettings cpu(SolverConfig train, GradientMethod g, Divergence div, boolean seminorm) {
        return CnfSettings.ffjordToy().withBackend(BackendKind.CPU).withTrain(train).withGradient(g)
                .withDivergence(div).withAdjoint(new AdjointOptions(1e-5, 1e-5, seminorm));
    }

    /** The main job's setting on its architecture, over more than one block of samples, and two adaptive ones. */
    static List<Case> largeCases() {
        CnfArchitecture toy = new CnfArchitecture(2, new int[] {64, 64, 64}, LayerKind.CONCATSQUASH, Activation.TANH);
        List<Case> cases = new ArrayList<>();
        cases.add(new Case("main-job rk4x6 adjoint exact", toy, cpu(SolverConfig.fixedSteps(Method.RK4, 6),
                GradientMethod.BACKSOLVE_ADJOINT, Divergence.EXACT, false), 300, 7));
        cases.add(new Case("dopri5 adjoint seminorm rademacher", toy, cpu(SolverConfig.adaptive(Method.DOPRI5, 1e-5,
                1e-5), GradientMethod.BACKSOLVE_ADJOINT, Divergence.RADEMACHER, true), 260, 8));
        CnfArchitecture odd = new CnfArchitecture(3, new int[] {37, 19}, LayerKind.CONCAT, Activation.TANH);
        cases.add(new Case("tsit5 checkpointed gaussian, odd widths", odd, cpu(SolverConfig.adaptive(Method.TSIT5,
                1e-6, 1e-6), GradientMethod.CHECKPOINTED_ADJOINT, Divergence.GAUSSIAN, false), 150, 9));
        return cases;
    }

    /** Small enough for the interpreter: odd widths (every vector tail), tanh and softplus. */
    static List<Case> smallCases() {
        List<Case> cases = new ArrayList<>();
        cases.add(new Case("small concatsquash tanh", new CnfArchitecture(2, new int[] {13, 7},
                LayerKind.CONCATSQUASH, Activation.TANH), cpu(SolverConfig.fixedSteps(Method.RK4, 3),
                GradientMethod.BACKSOLVE_ADJOINT, Divergence.EXACT, false), 5, 3));
        cases.add(new Case("small concat softplus", new CnfArchitecture(2, new int[] {9},
                LayerKind.CONCAT, Activation.SOFTPLUS), cpu(SolverConfig.adaptive(Method.DOPRI5, 1e-5, 1e-5),
                GradientMethod.DIRECT_BACKPROP, Divergence.RADEMACHER, false), 4, 4));
        return cases;
    }

    static String line(Case c, long[] bits) {
        StringBuilder sb = new StringBuilder(c.name());
        for (long b : bits) {
            sb.append(' ').append(Long.toHexString(b));
        }
        return sb.toString();
    }

    /** Args: "large" and/or "small". */
    public static void main(String[] args) {
        System.out.println("kernels " + Gemm.kernels());
        for (String which : args) {
            for (Case c : which.equals("large") ? largeCases() : smallCases()) {
                System.out.println(line(c, c.bits(1)));
            }
        }
    }
}
