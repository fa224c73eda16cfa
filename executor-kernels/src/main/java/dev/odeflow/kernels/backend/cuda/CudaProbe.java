package dev.odeflow.kernels.backend.cuda;

import jcuda.CudaException;
import jcuda.driver.JCudaDriver;

/**
 * Decides once per JVM whether CUDA is usable: JCuda's native library loads (it needs libcuda.so.1, i.e. a
 * driver), the driver sees a device, the kernels were built into this jar, and device 0 loads them. Each
 * failure becomes a one-line reason; nothing here throws.
 */
public final class CudaProbe {

    private CudaProbe() {
    }

    private static final class Holder {
        static final CudaAvailability RESULT = probe();
    }

    /** The cached result of {@link #probe()}. */
    public static CudaAvailability availability() {
        return Holder.RESULT;
    }

    /** Probes now (uncached). */
    public static CudaAvailability probe() {
        int devices = 0;
        int version = 0;
        try {
            JCudaDriver.setExceptionsEnabled(true);
            JCudaDriver.cuInit(0);
            int[] v = new int[1];
            JCudaDriver.cuDriverGetVersion(v);
            version = v[0];
            int[] count = new int[1];
            JCudaDriver.cuDeviceGetCount(count);
            devices = count[0];
            if (devices == 0) {
                return CudaAvailability.unusable("the CUDA driver (" + versionLabel(version) + ") sees no device",
                        0, version);
            }
            if (KernelImage.load().isEmpty()) {
                return CudaAvailability.unusable("CUDA kernels not built: this executor-kernels jar was packaged "
                        + "without nvcc", devices, version);
            }
            CudaDevice.get(0);
            return CudaAvailability.usable(devices, version);
        } catch (UnsatisfiedLinkError e) {
            return CudaAvailability.unusable("no CUDA driver: JCuda's native library cannot load ("
                    + linkFailure(e.getMessage()) + ")", devices, version);
        } catch (NoClassDefFoundError e) {
            return CudaAvailability.unusable("JCuda is unusable in this JVM (" + oneLine(e) + ")", devices, version);
        } catch (CudaException e) {
            return CudaAvailability.unusable("CUDA error while probing (" + versionLabel(version) + "): "
                    + oneLine(e), devices, version);
        } catch (IllegalStateException e) {
            return CudaAvailability.unusable(oneLine(e), devices, version);
        }
    }

    static String versionLabel(int version) {
        return version == 0 ? "version unknown" : "CUDA " + version / 1000 + "." + (version % 1000) / 10;
    }

    /**
     * The root cause inside JCuda's long UnsatisfiedLinkError message (which embeds nested stack traces):
     * the text of the last nested UnsatisfiedLinkError, e.g. "...: libcuda.so.1: cannot open shared object file".
     */
    static String linkFailure(String message) {
        if (message == null || message.isBlank()) {
            return "UnsatisfiedLinkError";
        }
        String marker = "UnsatisfiedLinkError: ";
        int at = message.lastIndexOf(marker);
        String tail = at < 0 ? message : message.substring(at + marker.length());
        int stack = tail.indexOf(" at ");
        int newline = tail.indexOf('\n');
        int end = tail.length();
        if (stack >= 0) {
            end = Math.min(end, stack);
        }
        if (newline >= 0) {
            end = Math.min(end, newline);
        }
        String cause = tail.substring(0, end).replaceAll("\\s+", " ").trim();
        return cause.length() > 300 ? cause.substring(0, 300) + "..." : cause;
    }

    private static String oneLine(Throwable e) {
        String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        msg = msg.replaceAll("\\s+", " ").trim();
        return msg.length() > 300 ? msg.substring(0, 300) + "..." : msg;
    }
}
