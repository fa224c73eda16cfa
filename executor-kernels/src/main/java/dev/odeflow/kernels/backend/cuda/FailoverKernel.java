package dev.odeflow.kernels.backend.cuda;

import dev.odeflow.kernels.backend.CnfKernel;

import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * {@code backend=auto}'s kernel on a GPU: the CUDA kernel until its device fails ({@link DeviceFailedException}),
 * then, for the rest of the task, the fallback (CPU) kernel for the same network, parameters and batch, after
 * one log line. The failed call is repeated on the fallback: {@link CudaCnfKernel#vjp} adds into its outputs
 * only after every transfer succeeded, so a failure leaves the caller's accumulators as they were.
 */
final class FailoverKernel implements CnfKernel {

    private final Supplier<CnfKernel> fallback;
    private final Logger log;
    private CnfKernel current;
    private boolean failedOver;

    FailoverKernel(CnfKernel primary, Supplier<CnfKernel> fallback, Logger log) {
        this.current = primary;
        this.fallback = fallback;
        this.log = log;
    }

    /** Whether the device failed and this kernel now runs on the fallback. */
    boolean failedOver() {
        return failedOver;
    }

    @Override
    public int dim() {
        return current.dim();
    }

    @Override
    public int paramDim() {
        return current.paramDim();
    }

    @Override
    public void eval(double t, double[] y, double[] dydt) {
        try {
            current.eval(t, y, dydt);
        } catch (DeviceFailedException e) {
            failOver(e);
            current.eval(t, y, dydt);
        }
    }

    @Override
    public double vjp(double t, double[] y, double[] a, double[] f, double[] gy, double[] gTheta) {
        try {
            return current.vjp(t, y, a, f, gy, gTheta);
        } catch (DeviceFailedException e) {
            failOver(e);
            return current.vjp(t, y, a, f, gy, gTheta);
        }
    }

    private void failOver(DeviceFailedException e) {
        if (failedOver) {
            throw e;
        }
        failedOver = true;
        try {
            current.close();
        } catch (RuntimeException closing) {
            e.addSuppressed(closing);
        }
        current = fallback.get();
        log.warning("backend=auto: the GPU failed (" + e.getMessage() + "); this task continues on the CPU");
    }

    @Override
    public void close() {
        current.close();
    }
}
