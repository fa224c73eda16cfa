package dev.odeflow.kernels.backend.cuda;

import dev.odeflow.kernels.backend.CnfKernel;
import dev.odeflow.kernels.backend.cpu.CpuBackend;
import dev.odeflow.kernels.trace.Divergence;
import dev.odeflow.kernels.trace.Probe;
import dev.odeflow.kernels.dynamics.Activation;
import dev.odeflow.kernels.dynamics.LayerKind;
import dev.odeflow.kernels.dynamics.OdeNet;
import dev.odeflow.kernels.dynamics.CnfArchitecture;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Random;
import java.util.stream.Stream;

import static dev.odeflow.kernels.backend.cuda.CudaTestSupport.PARITY;
import static dev.odeflow.kernels.backend.cuda.CudaTestSupport.assertParity;
import static dev.odeflow.kernels.backend.cuda.CudaTestSupport.poisoned;
import static dev.odeflow.kernels.backend.cuda.CudaTestSupport.random;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * cnf_forward and cnf_vjp (+ reduce_partials) against the CPU reference on seeded random inputs (see
 * {@link CudaTestSupport#seed()}: fixed, or -Dodeflow.test.seed=N; a failure names its seed), for every
 * layer type, activation and probe kind. Outputs start as NaN so unwritten elements fail. Runs on the GPU
 * ({@link CudaKernelParityTest}) and on the host emulation of the kernels ({@link EmulatedKernelParityTest}).
 */
@ExtendWith(SeedReporter.class)
abstract class KernelParityContract {

    abstract DeviceUnderTest target();

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of(CnfArchitecture.ffjordToy(), Divergence.EXACT, 300),
                Arguments.of(CnfArchitecture.ffjordToy(), Divergence.RADEMACHER, 1000),
                Arguments.of(new CnfArchitecture(2, new int[] {64, 64, 64}, LayerKind.CONCAT, Activation.TANH),
                        Divergence.EXACT, 257),
                Arguments.of(new CnfArchitecture(3, new int[] {32, 16}, LayerKind.CONCATSQUASH, Activation.SOFTPLUS),
                        Divergence.GAUSSIAN, 130),
                Arguments.of(new CnfArchitecture(4, new int[] {24}, LayerKind.CONCAT, Activation.ELU),
                        Divergence.EXACT, 129),
                Arguments.of(new CnfArchitecture(2, new int[] {16, 16}, LayerKind.CONCATSQUASH, Activation.SWISH),
                        Divergence.RADEMACHER, 77),
                Arguments.of(new CnfArchitecture(5, new int[] {40, 40}, LayerKind.CONCATSQUASH, Activation.TANH),
                        null, 200));
    }

    private static Probe probe(Divergence div, int n, int d, long seed) {
        return div == null ? Probe.none() : Probe.noise(div, n, d, seed);
    }

    @ParameterizedTest(name = "{0} {1} n={2}")
    @MethodSource("cases")
    void evalMatchesTheCpu(CnfArchitecture arch, Divergence div, int n) {
        target().assume();
        Random rng = CudaTestSupport.rng();
        int d = arch.dim();
        double[] theta = new OdeNet(arch.widths(), arch.layer(), arch.activation()).initialParameters(rng);
        Probe probe = probe(div, n, d, rng.nextLong());
        double t = rng.nextDouble();
        try (CnfKernel cpu = new CpuBackend().cnfKernel(arch, theta, n, probe);
             CnfKernel gpu = target().kernel(arch, theta, n, probe)) {
            assertEquals(cpu.dim(), gpu.dim());
            double[] y = random(rng, cpu.dim(), 1.0);
            double[] expected = new double[cpu.dim()];
            cpu.eval(t, y, expected);
            double[] actual = poisoned(gpu.dim());
            gpu.eval(t, y, actual);
            assertParity("f", expected, actual, 0, n * d, PARITY);
            if (div != null) {
                assertParity("-trace", expected, actual, n * d, cpu.dim(), PARITY);
            }
        }
    }

    @ParameterizedTest(name = "{0} {1} n={2}")
    @MethodSource("cases")
    void vjpMatchesTheCpuAndAddsIntoTheAccumulators(CnfArchitecture arch, Divergence div, int n) {
        target().assume();
        Random rng = CudaTestSupport.rng();
        int d = arch.dim();
        double[] theta = new OdeNet(arch.widths(), arch.layer(), arch.activation()).initialParameters(rng);
        Probe probe = probe(div, n, d, rng.nextLong());
        double t = rng.nextDouble();
        try (CnfKernel cpu = new CpuBackend().cnfKernel(arch, theta, n, probe);
             CnfKernel gpu = target().kernel(arch, theta, n, probe)) {
            int dim = cpu.dim();
            double[] y = random(rng, dim, 1.0);
            double[] a = random(rng, dim, 1.0);
            double[] gyBase = random(rng, dim, 0.1);
            double[] gThetaBase = random(rng, theta.length, 0.1);

            double[] fCpu = new double[dim];
            double[] gyCpu = gyBase.clone();
            double[] gThetaCpu = gThetaBase.clone();
            double dtCpu = cpu.vjp(t, y, a, fCpu, gyCpu, gThetaCpu);

            double[] fGpu = poisoned(dim);
            double[] gyGpu = gyBase.clone();
            double[] gThetaGpu = gThetaBase.clone();
            double dtGpu = gpu.vjp(t, y, a, fGpu, gyGpu, gThetaGpu);

            assertParity("f", fCpu, fGpu, 0, dim, PARITY);
            // compare the added parts, so the base values cannot hide an error
            assertParity("a^T df/dz", minus(gyCpu, gyBase), minus(gyGpu, gyBase), 0, n * d, PARITY);
            for (int i = n * d; i < dim; i++) {
                assertEquals(gyBase[i], gyGpu[i], 0.0, "the delta-logp part of gy gets nothing");
            }
            assertParity("a^T df/dtheta", minus(gThetaCpu, gThetaBase), minus(gThetaGpu, gThetaBase), 0,
                    theta.length, PARITY);
            CudaTestSupport.assertParity("a^T df/dt", dtCpu, dtGpu, norm(a), PARITY);
            // a second call on the same kernel must give the same answer (no state left behind)
            double[] gThetaAgain = new double[theta.length];
            double[] gyAgain = new double[dim];
            gpu.vjp(t, y, a, null, gyAgain, gThetaAgain);
            assertParity("a^T df/dtheta, second call", minus(gThetaGpu, gThetaBase), gThetaAgain, 0, theta.length, 1e-6);
        }
    }

    @ParameterizedTest(name = "{0} {1} n={2}")
    @MethodSource("cases")
    void residentEvalMatchesTheCpu(CnfArchitecture arch, Divergence div, int n) {
        target().assume();
        Random rng = CudaTestSupport.rng();
        int d = arch.dim();
        double[] theta = new OdeNet(arch.widths(), arch.layer(), arch.activation()).initialParameters(rng);
        Probe probe = probe(div, n, d, rng.nextLong());
        double t = rng.nextDouble();
        try (CnfKernel cpu = new CpuBackend().cnfKernel(arch, theta, n, probe);
             CudaCnfKernel gpu = (CudaCnfKernel) target().kernel(arch, theta, n, probe);
             DeviceBuffer y = gpu.device().allocate((long) Float.BYTES * gpu.dim());
             DeviceBuffer out = gpu.device().allocate((long) Float.BYTES * gpu.dim())) {
            float[] yf = CudaCnfKernel.toFloat(random(rng, cpu.dim(), 1.0));
            double[] yd = new double[yf.length];
            for (int i = 0; i < yf.length; i++) {
                yd[i] = yf[i];
            }
            double[] expected = new double[cpu.dim()];
            cpu.eval(t, yd, expected);
            y.upload(yf);
            out.poison();
            gpu.evalResident(t, y, out);
            float[] got = new float[gpu.dim()];
            out.download(got);
            double[] actual = new double[got.length];
            for (int i = 0; i < got.length; i++) {
                actual[i] = got[i];
            }
            assertParity("resident f and -trace", expected, actual, 0, cpu.dim(), PARITY);
        }
    }

    private static double[] minus(double[] x, double[] base) {
        double[] r = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            r[i] = x[i] - base[i];
        }
        return r;
    }

    private static double norm(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x * x;
        }
        return Math.sqrt(s);
    }
}
