package dev.odeflow.kernels.backend.cuda;

import jcuda.Pointer;
import jcuda.Sizeof;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.JCudaDriver;

/**
 * One device allocation, counted by its device's {@link AllocationTracker}. Closing frees it (idempotent).
 * Transfers are synchronous. Not thread-safe: a buffer belongs to one solve.
 */
public final class DeviceBuffer implements AutoCloseable {

    /** A bit pattern that is NaN both as float and as double: poisons outputs so unwritten elements show. */
    static final int NAN_BITS = 0xFFFFFFFF;

    private final CudaDevice device;
    private final CUdeviceptr pointer;
    private final long bytes;
    private boolean closed;

    DeviceBuffer(CudaDevice device, long bytes) {
        if (bytes < 1) {
            throw new IllegalArgumentException("device allocation of " + bytes + " bytes");
        }
        this.device = device;
        this.bytes = bytes;
        CUdeviceptr p = new CUdeviceptr();
        JCudaDriver.cuMemAlloc(p, bytes);
        this.pointer = p;
        device.tracker().allocated(bytes);
    }

    public long bytes() {
        return bytes;
    }

    CUdeviceptr pointer() {
        if (closed) {
            throw new IllegalStateException("device buffer used after close");
        }
        return pointer;
    }

    public void upload(float[] src) {
        check(src.length, Sizeof.FLOAT);
        JCudaDriver.cuMemcpyHtoD(pointer(), Pointer.to(src), (long) src.length * Sizeof.FLOAT);
    }

    public void upload(double[] src) {
        check(src.length, Sizeof.DOUBLE);
        JCudaDriver.cuMemcpyHtoD(pointer(), Pointer.to(src), (long) src.length * Sizeof.DOUBLE);
    }

    public void upload(int[] src) {
        check(src.length, Sizeof.INT);
        JCudaDriver.cuMemcpyHtoD(pointer(), Pointer.to(src), (long) src.length * Sizeof.INT);
    }

    /** Copies the first dst.length floats into dst. */
    public void download(float[] dst) {
        check(dst.length, Sizeof.FLOAT);
        JCudaDriver.cuMemcpyDtoH(Pointer.to(dst), pointer(), (long) dst.length * Sizeof.FLOAT);
    }

    /** Copies the first dst.length doubles into dst. */
    public void download(double[] dst) {
        check(dst.length, Sizeof.DOUBLE);
        JCudaDriver.cuMemcpyDtoH(Pointer.to(dst), pointer(), (long) dst.length * Sizeof.DOUBLE);
    }

    /** Fills the whole buffer with NaN (as float and as double). */
    public void poison() {
        JCudaDriver.cuMemsetD32(pointer(), NAN_BITS, bytes / Sizeof.INT);
    }

    private void check(long elements, int size) {
        if (elements * size > bytes) {
            throw new IllegalArgumentException(elements + " elements of " + size + " bytes exceed the device buffer of "
                    + bytes + " bytes");
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        device.makeCurrent();
        try {
            JCudaDriver.cuMemFree(pointer);
        } finally {
            device.tracker().freed(bytes);
        }
    }
}
