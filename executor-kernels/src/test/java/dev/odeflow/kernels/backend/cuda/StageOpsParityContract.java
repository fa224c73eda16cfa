package dev.odeflow.kernels.backend.cuda;

import dev.odeflow.kernels.solver.ButcherTableau;
import dev.odeflow.kernels.solver.ErrorNorm;
import dev.odeflow.kernels.solver.Method;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static dev.odeflow.kernels.backend.cuda.CudaTestSupport.PARITY;
import static dev.odeflow.kernels.backend.cuda.CudaTestSupport.assertParity;
import static dev.odeflow.kernels.backend.cuda.CudaTestSupport.random;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** rk_combine and rk_error_norm_partial (+ reduce_partials) against the CPU arithmetic, on GPU and emulated. */
@ExtendWith(SeedReporter.class)
abstract class StageOpsParityContract {

    abstract DeviceUnderTest target();

    @Test
    void stageCombinationsAndErrorNormMatchTheCpu() {
        target().assume();
        Random rng = CudaTestSupport.rng();
        ButcherTableau tab = Method.DOPRI5.tableau();
        int stages = tab.stages();
        int dim = 3 * 1000 + 7;
        double h = 0.05 + 0.1 * rng.nextDouble();
        float[] yf = CudaCnfKernel.toFloat(random(rng, dim, 1.0));
        float[][] kf = new float[stages][];
        KernelDevice device = target().device();
        long before = device.tracker().liveCount();
        List<DeviceBuffer> k = new ArrayList<>();
        try (CudaStageOps ops = new CudaStageOps(device, dim);
             DeviceBuffer dy = device.allocate((long) Float.BYTES * dim);
             DeviceBuffer out = device.allocate((long) Float.BYTES * dim)) {
            dy.upload(yf);
            for (int j = 0; j < stages; j++) {
                kf[j] = CudaCnfKernel.toFloat(random(rng, dim, 1.0));
                k.add(device.allocate((long) Float.BYTES * dim));
                k.get(j).upload(kf[j]);
            }
            for (int s = 1; s < stages; s++) {
                double[] a = new double[stages];
                System.arraycopy(tab.a()[s], 0, a, 0, s);
                double[] expected = new double[dim];
                for (int i = 0; i < dim; i++) {
                    double acc = 0;
                    for (int j = 0; j < stages; j++) {
                        acc += a[j] * kf[j][i];
                    }
                    expected[i] = yf[i] + h * acc;
                }
                out.poison();
                // stages after s are not computed yet in a real step: pass them as null
                List<DeviceBuffer> known = new ArrayList<>(k.subList(0, s));
                while (known.size() < stages) {
                    known.add(null);
                }
                ops.combine(dim, dy, known, a, h, out);
                float[] got = new float[dim];
                out.download(got);
                assertParity("stage " + s, expected, toDouble(got), 0, dim, PARITY);
            }
            // y1 = y + h Σ b_j k_j, then the error norm of h Σ e_j k_j over a prefix (a seminorm) and in full
            ops.combine(dim, dy, k, tab.b(), h, out);
            float[] y1f = new float[dim];
            out.download(y1f);
            double[] err = new double[dim];
            for (int i = 0; i < dim; i++) {
                for (int j = 0; j < stages; j++) {
                    err[i] += tab.error()[j] * kf[j][i];
                }
                err[i] *= h;
            }
            for (int prefix : new int[] {dim, 3000, 1}) {
                double expected = new ErrorNorm(prefix).apply(err, toDouble(yf), toDouble(y1f), 1e-3, 1e-6);
                double got = ops.errorNorm(dim, prefix, dy, out, k, tab.error(), h, 1e-3, 1e-6);
                CudaTestSupport.assertParity("error norm, prefix " + prefix, expected, got, 0, PARITY);
            }
            double[] eight = new double[8];
            Arrays.fill(eight, 1);
            assertThrows(IllegalArgumentException.class, () -> ops.combine(dim, dy, k, eight, h, out));
        } finally {
            k.forEach(DeviceBuffer::close);
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
