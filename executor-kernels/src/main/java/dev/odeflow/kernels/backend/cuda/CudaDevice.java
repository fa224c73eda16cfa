package dev.odeflow.kernels.backend.cuda;

import jcuda.CudaException;
import jcuda.Pointer;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdevice_attribute;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUfunction;
import jcuda.driver.CUfunction_attribute;
import jcuda.driver.CUmodule;
import jcuda.driver.JCudaDriver;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One CUDA device in this JVM: its retained primary context (shared with any other CUDA user in the process),
 * the odeflow module loaded once, its entry points, an allocation tracker and the cache of resident partition
 * data. Every driver call goes through {@link #call}, which makes the context current on the calling thread
 * first (so executor task threads can use it in turn) and turns a sticky error into
 * {@link DeviceFailedException}: the device then releases its context, leaves the per-JVM table (a later
 * {@link #get} starts afresh) and refuses every further call.
 *
 * <p>Launches go to the legacy default stream without waiting: the synchronous copies that follow
 * (download of results) are ordered after them and wait for them, so no per-launch synchronisation is needed.
 */
public final class CudaDevice implements KernelDevice {

    private static final Map<Integer, CudaDevice> DEVICES = new ConcurrentHashMap<>();

    private final int ordinal;
    private final CUdevice device;
    private final CUcontext context;
    private final Map<String, CUfunction> functions = new HashMap<>();
    private final SharedMemoryOptIn sharedOptIn;
    private final AllocationTracker tracker = new AllocationTracker();
    private final ResidentCache<DeviceBuffer> residentData;
    private final int sharedPerBlockOptIn;
    private final String description;
    private volatile String failure;

    private CudaDevice(int ordinal, byte[] image) {
        this.ordinal = ordinal;
        this.device = new CUdevice();
        JCudaDriver.cuDeviceGet(device, ordinal);
        this.context = new CUcontext();
        JCudaDriver.cuDevicePrimaryCtxRetain(context, device);
        JCudaDriver.cuCtxSetCurrent(context);
        CUmodule module = new CUmodule();
        JCudaDriver.cuModuleLoadData(module, image);
        for (String entry : KernelImage.ENTRY_POINTS) {
            CUfunction f = new CUfunction();
            JCudaDriver.cuModuleGetFunction(f, module, entry);
            functions.put(entry, f);
        }
        this.sharedPerBlockOptIn = attribute(CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_BLOCK_OPTIN);
        int major = attribute(CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR);
        int minor = attribute(CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR);
        byte[] name = new byte[256];
        JCudaDriver.cuDeviceGetName(name, name.length, device);
        long[] free = new long[1];
        long[] total = new long[1];
        JCudaDriver.cuMemGetInfo(free, total);
        this.description = "cuda:" + ordinal + " " + new String(name).trim().replace("\0", "") + " (sm_" + major + minor
                + ", " + (total[0] >> 20) + " MiB)";
        this.residentData = new ResidentCache<>(total[0] / 4, DeviceBuffer::bytes);
        this.sharedOptIn = new SharedMemoryOptIn((entry, bytes) -> JCudaDriver.cuFuncSetAttribute(functions.get(entry),
                CUfunction_attribute.CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES, bytes));
    }

    /**
     * The device with this ordinal, initialised on first use: primary context retained, module loaded from
     * {@link KernelImage}. Fails with a CudaException (driver error) or IllegalStateException (no kernels).
     */
    public static CudaDevice get(int ordinal) {
        return DEVICES.computeIfAbsent(ordinal, o -> {
            byte[] image = KernelImage.load().orElseThrow(() -> new IllegalStateException(
                    "CUDA kernels not built: executor-kernels was packaged without nvcc (no "
                            + KernelImage.FATBIN_RESOURCE + " or " + KernelImage.PTX_RESOURCE + ")"));
            JCudaDriver.setExceptionsEnabled(true);
            JCudaDriver.cuInit(0);
            return new CudaDevice(o, image);
        });
    }

    public int ordinal() {
        return ordinal;
    }

    /**
     * Runs driver calls with this device's context current on the calling thread. A sticky error (see
     * {@link DeviceFailedException}) closes the device and is rethrown as that exception; so is any call on a
     * device that failed before.
     */
    void call(Runnable driverCalls) {
        String earlier = failure;
        if (earlier != null) {
            throw new DeviceFailedException(description + " failed earlier (" + earlier + ")", null);
        }
        try {
            JCudaDriver.cuCtxSetCurrent(context);
            driverCalls.run();
        } catch (CudaException e) {
            if (DeviceFailedException.sticky(e.getMessage())) {
                throw fail(e);
            }
            throw e;
        }
    }

    /** The sticky error that closed this device, if one did. */
    public java.util.Optional<String> failure() {
        return java.util.Optional.ofNullable(failure);
    }

    private synchronized DeviceFailedException fail(CudaException e) {
        if (failure == null) {
            failure = e.getMessage();
            DEVICES.remove(ordinal, this);
            try {
                JCudaDriver.cuDevicePrimaryCtxRelease(device);
            } catch (CudaException ignored) {
                // the context is already unusable; releasing it is all that is left to do
            }
        }
        return new DeviceFailedException(description + " failed (" + e.getMessage()
                + "); its context is released and the device is no longer used", e);
    }

    @Override
    public AllocationTracker tracker() {
        return tracker;
    }

    /** Partition data kept resident across iterations, keyed by block id (budget: a quarter of device memory). */
    public ResidentCache<DeviceBuffer> residentData() {
        return residentData;
    }

    /** Largest dynamic shared memory a block can opt in to. */
    @Override
    public int sharedPerBlockOptIn() {
        return sharedPerBlockOptIn;
    }

    /** Allocates {@code bytes} on this device (context made current first). */
    @Override
    public DeviceBuffer allocate(long bytes) {
        return new CudaBuffer(this, bytes);
    }

    @Override
    public void launch(String entry, LaunchGeometry g, Object... args) {
        CUfunction f = functions.get(entry);
        if (f == null) {
            throw new IllegalArgumentException("no kernel entry point '" + entry + "'; known: " + functions.keySet());
        }
        if (g.sharedBytes() > sharedPerBlockOptIn) {
            throw new IllegalArgumentException(entry + " needs " + g.sharedBytes()
                    + " bytes of shared memory per block; " + description + " allows " + sharedPerBlockOptIn);
        }
        Pointer[] params = new Pointer[args.length];
        for (int i = 0; i < args.length; i++) {
            params[i] = argument(entry, i, args[i]);
        }
        call(() -> {
            sharedOptIn.ensure(entry, g.sharedBytes());
            JCudaDriver.cuLaunchKernel(f, g.blocks(), 1, 1, g.threads(), 1, 1, g.sharedBytes(), null,
                    Pointer.to(params), null);
        });
    }

    /** Waits for this device's launches (the default stream) to finish. */
    @Override
    public void synchronize() {
        call(() -> JCudaDriver.cuStreamSynchronize(null));
    }

    private static Pointer argument(String entry, int index, Object arg) {
        if (arg == null) {
            return Pointer.to(new CUdeviceptr());
        }
        if (arg instanceof CudaBuffer b) {
            return Pointer.to(b.pointer());
        }
        if (arg instanceof Integer v) {
            return Pointer.to(new int[] {v});
        }
        if (arg instanceof Long v) {
            return Pointer.to(new long[] {v});
        }
        if (arg instanceof Float v) {
            return Pointer.to(new float[] {v});
        }
        if (arg instanceof Double v) {
            return Pointer.to(new double[] {v});
        }
        throw new IllegalArgumentException("kernel " + entry + " argument " + index + " has unsupported type "
                + arg.getClass().getName());
    }

    private int attribute(int attribute) {
        int[] v = new int[1];
        JCudaDriver.cuDeviceGetAttribute(v, attribute, device);
        return v[0];
    }

    @Override
    public String toString() {
        return description;
    }
}
