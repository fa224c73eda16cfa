package dev.odeflow.kernels.backend.cuda;

import dev.odeflow.kernels.solver.ButcherTableau;
import dev.odeflow.kernels.solver.ErrorNorm;
import dev.odeflow.kernels.solver.Method;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static dev.odeflow.kernels.backend.cuda.CudaTestSupport.PARITY;
import static dev.odeflow.kernels.backend.cuda.CudaTestSupport.assertParity;
import static dev.odeflow.kernels.backend.cuda.CudaTestSupport.random;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** rk_combine and rk_error_norm_partial (+ reduce_partials) against the CPU arithmetic, on GPU and emulated. */
abstract class StageOpsParityContract {

    abstract DeviceUnderTest target();

    @Test
    void stageCombinationsAndErrorNormMatchTheCpu() {
        target().assume();
        Random rng = new Random(System.nanoTime());
        ButcherTableau tab = Method.DOPRI5.tableau();
        int stages = tab.stages();
        int dim = 3 * 1000 + 7;
        double h = 0.05 + 0.1 * rng.nextDouble();
        double[] y = random(rng, dim, 1.0);
        double[] k = random(rng, stages * dim, 1.0);
        KernelDevice device = target().device();
        long before = device.tracker().liveCount();
        try (CudaStageOps ops = new CudaStageOps(device, dim, stages);
             DeviceBuffer dy = device.allocate((long) Float.BYTES * dim);
             DeviceBuffer dk = device.allocate((long) Float.BYTES * stages * dim);
             DeviceBuffer out = device.allocate((long) Float.BYTES * dim)) {
            float[] yf = CudaCnfKernel.toFloat(y);
            float[] kf = CudaCnfKernel.toFloat(k);
            dy.upload(yf);
            dk.upload(kf);
            for (int s = 1; s < stages; s++) {
                double[] a = new double[stages];
                System.arraycopy(tab.a()[s], 0, a, 0, s);
                double[] expected = new double[dim];
                for (int i = 0; i < dim; i++) {
                    double acc = 0;
                    for (int j = 0; j < stages; j++) {
                        acc += a[j] * kf[j * dim + i];
                    }
                    expected[i] = yf[i] + h * acc;
                }
                out.poison();
                ops.combine(dim, dy, dk, dim, a, h, out);
                float[] got = new float[dim];
                out.download(got);
                assertParity("stage " + s, expected, toDouble(got), 0, dim, PARITY);
            }
            // y1 = y + h Σ b_j k_j, then the error norm of h Σ e_j k_j over a prefix (a seminorm) and in full
            ops.combine(dim, dy, dk, dim, tab.b(), h, out);
            float[] y1f = new float[dim];
            out.download(y1f);
            double[] err = new double[dim];
            for (int i = 0; i < dim; i++) {
                for (int j = 0; j < stages; j++) {
                    err[i] += tab.error()[j] * kf[j * dim + i];
                }
                err[i] *= h;
            }
            for (int prefix : new int[] {dim, 3000, 1}) {
                double expected = new ErrorNorm(prefix).apply(err, toDouble(yf), toDouble(y1f), 1e-3, 1e-6);
                double got = ops.errorNorm(dim, prefix, dy, out, dk, dim, tab.error(), h, 1e-3, 1e-6);
                CudaTestSupport.assertParity("error norm, prefix " + prefix, expected, got, 0, PARITY);
            }
        }
        assertEquals(before, device.tracker().liveCount(), "stage ops leaked device memory");
    }

    private static double[] toDouble(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }
}
