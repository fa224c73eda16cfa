package dev.odeflow.kernels.backend.cuda;

import jcuda.Pointer;
import jcuda.Sizeof;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.JCudaDriver;

/**
 * A {@link DeviceBuffer} in CUDA device memory (cuMemAlloc / cuMemFree), counted by its device's tracker. Every
 * operation runs through {@link CudaDevice#call}, so it works from any thread (the context is made current) and
 * a sticky error closes the device. Freeing a buffer of a failed device only uncounts it: its memory went with
 * the context.
 */
final class CudaBuffer implements DeviceBuffer {

    private final CudaDevice device;
    private final CUdeviceptr pointer;
    private final long bytes;
    private boolean closed;

    CudaBuffer(CudaDevice device, long bytes) {
        if (bytes < 1) {
            throw new IllegalArgumentException("device allocation of " + bytes + " bytes");
        }
        this.device = device;
        this.bytes = bytes;
        CUdeviceptr p = new CUdeviceptr();
        device.call(() -> JCudaDriver.cuMemAlloc(p, bytes));
        this.pointer = p;
        device.tracker().allocated(bytes);
    }

    @Override
    public long bytes() {
        return bytes;
    }

    CUdeviceptr pointer() {
        if (closed) {
            throw new IllegalStateException("device buffer used after close");
        }
        return pointer;
    }

    @Override
    public void upload(float[] src) {
        check(src.length, Sizeof.FLOAT);
        copyIn(Pointer.to(src), (long) src.length * Sizeof.FLOAT);
    }

    @Override
    public void upload(double[] src) {
        check(src.length, Sizeof.DOUBLE);
        copyIn(Pointer.to(src), (long) src.length * Sizeof.DOUBLE);
    }

    @Override
    public void upload(int[] src) {
        check(src.length, Sizeof.INT);
        copyIn(Pointer.to(src), (long) src.length * Sizeof.INT);
    }

    @Override
    public void download(float[] dst) {
        check(dst.length, Sizeof.FLOAT);
        copyOut(Pointer.to(dst), (long) dst.length * Sizeof.FLOAT);
    }

    @Override
    public void download(double[] dst) {
        check(dst.length, Sizeof.DOUBLE);
        copyOut(Pointer.to(dst), (long) dst.length * Sizeof.DOUBLE);
    }

    @Override
    public void poison() {
        CUdeviceptr p = pointer();
        device.call(() -> JCudaDriver.cuMemsetD32(p, NAN_BITS, bytes / Sizeof.INT));
    }

    private void copyIn(Pointer src, long byteCount) {
        CUdeviceptr p = pointer();
        device.call(() -> JCudaDriver.cuMemcpyHtoD(p, src, byteCount));
    }

    private void copyOut(Pointer dst, long byteCount) {
        CUdeviceptr p = pointer();
        device.call(() -> JCudaDriver.cuMemcpyDtoH(dst, p, byteCount));
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
        try {
            if (device.failure().isEmpty()) {
                device.call(() -> JCudaDriver.cuMemFree(pointer));
            }
        } finally {
            device.tracker().freed(bytes);
        }
    }
}
