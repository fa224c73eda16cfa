package dev.odeflow.kernels.bench;

import dev.odeflow.kernels.classifier.ClassifierArchitecture;
import dev.odeflow.kernels.classifier.ClassifierBlock;
import dev.odeflow.kernels.classifier.ClassifierModel;
import dev.odeflow.kernels.classifier.GradientStep;
import dev.odeflow.kernels.classifier.ImageBatch;
import dev.odeflow.kernels.dynamics.Precision;
import dev.odeflow.kernels.gradient.AdjointOptions;
import dev.odeflow.kernels.gradient.GradientMethod;
import dev.odeflow.kernels.solver.Method;
import dev.odeflow.kernels.solver.SolverConfig;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * {@code bin/odeflow bench case=classifier block=ode gradient=adjoint steps=2,8,32 batch=128 precision=float64}: one
 * gradient of the
 * MNIST classifier (odenet_mnist.py's network, rk4 with the given fixed steps over [0, 1]) on random images, per
 * step count one JSON line with the median time of several runs after a warm-up, the NFE, and the bytes the
 * gradient keeps between its forward and backward passes (every layer's activations and the ODE block's solve:
 * what grows with the steps under direct backprop and not under the adjoint).
 */
final class ClassifierBench {

    private ClassifierBench() {
    }

    static void run(String[] args, PrintStream out) {
        Map<String, String> kv = BenchArgs.caseKeys(args, new TreeMap<>(Map.of("block", "ode", "gradient", "adjoint",
                "steps", "2", "batch", "128", "runs", "5", "precision", "float64")), "classifier");
        ClassifierBlock block = ClassifierBlock.parse(kv.get("block"));
        GradientMethod gradient = GradientMethod.parse(kv.get("gradient"));
        int batch = BenchArgs.positive(kv.get("batch"));
        int runs = BenchArgs.positive(kv.get("runs"));
        Precision precision = Precision.parse(kv.get("precision"));
        for (String s : kv.get("steps").split(",")) {
            out.println(measure(block, gradient, precision, BenchArgs.positive(s.trim()), batch, runs));
            out.flush();
        }
    }

    private static String measure(ClassifierBlock block, GradientMethod gradient, Precision precision, int steps,
                                  int batch, int runs) {
        SolverConfig rk4 = SolverConfig.fixedSteps(Method.RK4, steps);
        ClassifierModel model = new ClassifierModel(ClassifierArchitecture.mnist(block, precision), rk4, rk4, gradient,
                AdjointOptions.like(1e-3, 1e-3));
        double[] w = model.initialParameters(0);
        SplittableRandom rng = new SplittableRandom(1);
        double[] px = new double[batch * ClassifierArchitecture.MNIST_IMAGE.size()];
        int[] labels = new int[batch];
        for (int i = 0; i < px.length; i++) {
            px[i] = rng.nextDouble();
        }
        for (int i = 0; i < batch; i++) {
            labels[i] = rng.nextInt(10);
        }
        ImageBatch images = new ImageBatch(ClassifierArchitecture.MNIST_IMAGE, batch, px, labels);
        GradientStep last = model.gradientStep(w, images); // warm-up
        double[] times = new double[runs];
        for (int r = 0; r < runs; r++) {
            long t0 = System.nanoTime();
            last = model.gradientStep(w, images);
            times[r] = (System.nanoTime() - t0) * 1e-9;
        }
        Arrays.sort(times);
        return String.format(Locale.ROOT, "{\"case\":\"classifier\",\"block\":\"%s\",\"gradient\":\"%s\",\"precision\":\"%s\",\"steps\":%d,"
                        + "\"batch\":%d,\"parameters\":%d,\"runs\":%d,\"median_s\":%.4f,\"min_s\":%.4f,\"max_s\":%.4f,"
                        + "\"nfe_forward\":%d,\"nfe_backward\":%d,\"kept_mib\":%.1f}",
                block.label(), gradient.label(), precision.label(), steps, batch, model.parameterCount(), runs, times[runs / 2], times[0],
                times[runs - 1], last.forward().nfe(), last.backward().nfe(), last.keptBytes() / 1048576.0);
    }
}
