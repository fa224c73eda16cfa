package dev.odeflow.kernels.backend.cuda;

import dev.odeflow.kernels.backend.CnfKernel;
import dev.odeflow.kernels.backend.ComputeBackend;
import dev.odeflow.kernels.regularization.Regularization;
import dev.odeflow.kernels.trace.Probe;
import dev.odeflow.kernels.dynamics.CnfArchitecture;

import java.util.Optional;

/** The CUDA backend on one device: {@link CudaCnfKernel}s for architectures whose weights fit in shared memory. */
public final class CudaBackend implements ComputeBackend {

    private final CudaDevice device;

    /** The backend on device {@code ordinal} (context retained and kernels loaded on first use). */
    public CudaBackend(int ordinal) {
        this.device = CudaDevice.get(ordinal);
    }

    public CudaDevice device() {
        return device;
    }

    @Override
    public String name() {
        return "cuda:" + device.ordinal();
    }

    /** Why this architecture cannot run on this device (or why the device cannot run anything any more). */
    public Optional<String> unsupported(CnfArchitecture arch, Probe probe) {
        Optional<String> failed = device.failure().map(e -> device + " failed earlier (" + e + ")");
        return failed.isPresent() ? failed : unsupportedReason(NetworkPlan.of(arch, probe.count()), device.sharedPerBlockOptIn());
    }

    /** The check behind {@link #unsupported}: θ (float32) and the widths must fit in one block's shared memory. */
    public static Optional<String> unsupportedReason(NetworkPlan plan, int sharedPerBlock) {
        if (plan.sharedBytes() > sharedPerBlock) {
            return Optional.of("not supported on CUDA: " + plan + " has " + plan.thetaSize() + " parameters ("
                    + plan.sharedBytes() + " bytes of shared memory per block), the device allows " + sharedPerBlock);
        }
        return Optional.empty();
    }

    @Override
    public CnfKernel cnfKernel(CnfArchitecture arch, double[] theta, int n, Probe probe,
                               Regularization regularization) {
        if (regularization.active()) {
            throw new IllegalArgumentException(Regularization.NOT_ON_CUDA);
        }
        NetworkPlan plan = NetworkPlan.of(arch, probe.count());
        if (theta == null || theta.length != plan.thetaSize()) {
            throw new IllegalArgumentException("parameter vector has " + (theta == null ? "no" : theta.length)
                    + " entries, " + arch + " needs " + plan.thetaSize());
        }
        if (n < 1) {
            throw new IllegalArgumentException("a CNF kernel needs at least one sample, got " + n);
        }
        if (probe.directions() != null && probe.directions().length != (long) n * probe.count() * arch.dim()) {
            throw new IllegalArgumentException("probe has " + probe.directions().length + " values, expected "
                    + (long) n * probe.count() * arch.dim());
        }
        unsupported(arch, probe).ifPresent(reason -> {
            throw new IllegalArgumentException(reason);
        });
        return new CudaCnfKernel(device, arch, theta, n, probe);
    }

    @Override
    public String toString() {
        return device.toString();
    }
}
