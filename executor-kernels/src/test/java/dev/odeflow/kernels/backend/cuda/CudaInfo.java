package dev.odeflow.kernels.backend.cuda;

import jcuda.CudaException;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdevice_attribute;
import jcuda.driver.JCudaDriver;

import java.util.Locale;

/**
 * Prints what the CUDA probe sees (driver version, devices, why not usable) and the card's nominal peaks, and
 * exits 0 only when CUDA is usable, so bin/gpu-first-light records the probe as failed when the GPU tests would
 * merely have skipped.
 */
public final class CudaInfo {

    private CudaInfo() {
    }

    public static void main(String[] args) {
        CudaAvailability av = CudaProbe.availability();
        System.out.println("driver: " + CudaProbe.versionLabel(av.driverVersion()) + ", devices: " + av.deviceCount());
        if (!av.available()) {
            System.out.println("CUDA unusable: " + av.reason());
            System.exit(1);
        }
        CudaDevice d = CudaDevice.get(0);
        System.out.println("using " + d + ", shared memory per block (opt-in): " + d.sharedPerBlockOptIn() + " bytes");
        System.out.println(peaks());
    }

    /** Nominal FP32 FLOP/s and DRAM bandwidth of device 0 from its attributes (best effort). */
    static String peaks() {
        try {
            CUdevice dev = new CUdevice();
            JCudaDriver.cuDeviceGet(dev, 0);
            int sms = attribute(dev, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT);
            int major = attribute(dev, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR);
            int minor = attribute(dev, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR);
            int clockKHz = attribute(dev, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_CLOCK_RATE);
            int memKHz = attribute(dev, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MEMORY_CLOCK_RATE);
            int busBits = attribute(dev, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_GLOBAL_MEMORY_BUS_WIDTH);
            // FP32 lanes per SM: 64 on sm_80 (A100), 128 on sm_86/89/90 and later
            int lanes = major == 8 && minor == 0 ? 64 : 128;
            double flops = 2.0 * sms * lanes * clockKHz * 1e3;
            double bytes = 2.0 * memKHz * 1e3 * busBits / 8;
            return String.format(Locale.ROOT, "peaks (nominal, from attributes): %d SMs x %d FP32 lanes at %.0f MHz = %.1f "
                    + "TFLOP/s FP32 (FMA = 2); memory %d-bit at %.0f MHz DDR = %.0f GB/s", sms, lanes, clockKHz / 1e3,
                    flops / 1e12, busBits, memKHz / 1e3, bytes / 1e9);
        } catch (CudaException e) {
            return "peaks: attributes unavailable (" + e.getMessage() + "); see nvidia-smi and the card's data sheet";
        }
    }

    private static int attribute(CUdevice dev, int attribute) {
        int[] v = new int[1];
        JCudaDriver.cuDeviceGetAttribute(v, attribute, dev);
        return v[0];
    }
}
