package dev.odeflow.kernels.backend.cuda;

import dev.odeflow.kernels.backend.CnfKernel;
import dev.odeflow.kernels.trace.Probe;
import dev.odeflow.kernels.dynamics.OdeNet;
import dev.odeflow.kernels.dynamics.CnfArchitecture;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every device allocation is released when a kernel closes or fails; running twice leaks nothing. */
abstract class LeakContract {

    abstract DeviceUnderTest target();

    @Test
    void runningTheSameWorkTwiceLeavesNoDeviceMemoryAllocated() {
        target().assume();
        KernelDevice device = target().device();
        AllocationTracker tracker = device.tracker();
        long liveBefore = tracker.liveCount();
        long bytesBefore = tracker.liveBytes();
        CnfArchitecture arch = CnfArchitecture.ffjordToy();
        double[] theta = new OdeNet(arch.widths(), arch.layer(), arch.activation()).initialParameters(new Random(1));
        int n = 1000;
        for (int run = 0; run < 2; run++) {
            long total = tracker.totalCount();
            CnfKernel k = target().kernel(arch, theta, n, Probe.exact(2));
            assertTrue(tracker.liveCount() > liveBefore, "the kernel allocates on the device");
            double[] y = new double[k.dim()];
            double[] out = new double[k.dim()];
            k.eval(0.3, y, out);
            k.vjp(0.3, y, out, null, new double[k.dim()], new double[theta.length]);
            k.close();
            k.close();
            assertTrue(tracker.totalCount() > total);
            assertEquals(liveBefore, tracker.liveCount(), "run " + run + ": " + tracker);
            assertEquals(bytesBefore, tracker.liveBytes(), "run " + run + ": " + tracker);
            assertThrows(IllegalStateException.class, () -> k.eval(0, y, out), "use after close is an error");
        }
    }

    @Test
    void aFailedConstructionFreesWhatItAllocated() {
        target().assume();
        KernelDevice device = target().device();
        long before = device.tracker().liveCount();
        CnfArchitecture arch = CnfArchitecture.ffjordToy();
        int thetaSize = NetworkPlan.of(arch, 2).thetaSize();
        // far more samples than the device can hold scratch for: the scratch allocation fails mid-way
        assertThrows(RuntimeException.class,
                () -> target().kernel(arch, new double[thetaSize], Integer.MAX_VALUE / 4, Probe.none()));
        assertEquals(before, device.tracker().liveCount(), device.tracker().toString());
        assertThrows(IllegalArgumentException.class,
                () -> target().kernel(arch, new double[thetaSize - 1], 10, Probe.exact(2)));
        assertEquals(before, device.tracker().liveCount());
    }
}
