package dev.odeflow.kernels.backend.cuda;

import dev.odeflow.kernels.dynamics.Activation;
import dev.odeflow.kernels.dynamics.LayerKind;
import dev.odeflow.kernels.dynamics.OdeNet;
import dev.odeflow.kernels.dynamics.ParameterLayout;
import dev.odeflow.kernels.dynamics.CnfArchitecture;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The device's view of θ and of its scratch/shared memory, checked against the CPU layout. GPU-free. */
class NetworkPlanTest {

    private static final CnfArchitecture[] ARCHS = {
        CnfArchitecture.ffjordToy(),
        new CnfArchitecture(2, new int[] {64, 64, 64}, LayerKind.CONCAT, Activation.TANH),
        new CnfArchitecture(3, new int[] {7, 5}, LayerKind.CONCATSQUASH, Activation.SOFTPLUS),
        new CnfArchitecture(5, new int[] {11}, LayerKind.CONCAT, Activation.SWISH),
        new CnfArchitecture(1, new int[] {}, LayerKind.CONCATSQUASH, Activation.ELU),
    };

    @Test
    void layerOffsetsAreTheCpuParameterLayout() {
        for (CnfArchitecture arch : ARCHS) {
            NetworkPlan plan = NetworkPlan.of(arch, arch.dim());
            ParameterLayout cpu = new OdeNet(arch.widths(), arch.layer(), arch.activation()).layout();
            assertEquals(cpu.size(), plan.thetaSize(), arch + ": θ size");
            for (int l = 0; l < plan.layers(); l++) {
                String p = "layers." + l + ".";
                int off = plan.layerOffset(l);
                int in = arch.widths()[l];
                int out = arch.widths()[l + 1];
                assertEquals(cpu.get(p + "_layer.weight").offset(), off, arch + " layer " + l + " weight");
                int ws = arch.layer() == LayerKind.CONCATSQUASH ? in : in + 1;
                assertEquals(cpu.get(p + "_layer.bias").offset(), off + out * ws, arch + " layer " + l + " bias");
                if (arch.layer() == LayerKind.CONCATSQUASH) {
                    // the order the kernels read: W, b, hyper_bias, hyper_gate.weight, hyper_gate.bias
                    assertEquals(cpu.get(p + "_hyper_bias.weight").offset(), off + out * in + out);
                    assertEquals(cpu.get(p + "_hyper_gate.weight").offset(), off + out * in + 2 * out);
                    assertEquals(cpu.get(p + "_hyper_gate.bias").offset(), off + out * in + 3 * out);
                }
                assertEquals(off + plan.layerParams(l), l + 1 < plan.layers() ? plan.layerOffset(l + 1) : cpu.size());
            }
        }
    }

    @Test
    void scratchRowsFollowTheKernelLayout() {
        NetworkPlan toy = NetworkPlan.of(CnfArchitecture.ffjordToy(), 2);
        // forward records: (1+m)(in+out) per layer; reverse rows: 2(1+m)maxW + 2 maxW + 1
        long forward = 3L * ((2 + 64) + (64 + 64) + (64 + 64) + (64 + 2));
        assertEquals(forward, toy.forwardRows());
        assertEquals(forward + 2 * 3 * 64 + 2 * 64 + 1, toy.scratchRows());
        assertEquals(toy.scratchRows() * 1000, toy.scratchFloats(1000));
        NetworkPlan none = NetworkPlan.of(CnfArchitecture.ffjordToy(), 0);
        assertEquals((2 + 64) + (64 + 64) + (64 + 64) + (64 + 2), none.forwardRows());
        assertEquals(toy.thetaSize() + 1, toy.partialWidth());
    }

    @Test
    void toyWeightsFitInDefaultSharedMemory() {
        NetworkPlan toy = NetworkPlan.of(CnfArchitecture.ffjordToy(), 2);
        assertEquals(4 * toy.thetaSize() + 4 * 5, toy.sharedBytes());
        assertTrue(toy.sharedBytes() <= SharedMemoryOptIn.DEFAULT_LIMIT, "toy model needs " + toy.sharedBytes());
        assertTrue(CudaBackend.unsupportedReason(toy, SharedMemoryOptIn.DEFAULT_LIMIT).isEmpty());
    }

    @Test
    void networksTooLargeForSharedMemoryAreRefusedWithAReason() {
        NetworkPlan big = NetworkPlan.of(new CnfArchitecture(2, new int[] {512, 512}, LayerKind.CONCATSQUASH,
                Activation.TANH), 2);
        String why = CudaBackend.unsupportedReason(big, 227 * 1024).orElseThrow();
        assertTrue(why.startsWith("not supported on CUDA"), why);
        assertTrue(why.contains(String.valueOf(big.thetaSize())), why);
    }

    @Test
    void invalidPlansAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new NetworkPlan(new int[] {2}, LayerKind.CONCAT, 0));
        assertThrows(IllegalArgumentException.class, () -> new NetworkPlan(new int[] {2, 2}, LayerKind.CONCAT, -1));
    }

    @Test
    void productFlopsCountTheValueAndTangentProductsOfEveryLayer() {
        NetworkPlan toy = NetworkPlan.of(CnfArchitecture.ffjordToy(), 2);
        // 2·(2·64 + 64·64 + 64·64 + 64·2) per product, 3 products (value + 2 tangents) per layer
        assertEquals(2.0 * 8448 * 3 * 10, toy.productFlops(10, false));
        assertEquals(3 * 2.0 * 8448 * 3 * 10, toy.productFlops(10, true));
        assertEquals(2.0 * 8448, NetworkPlan.of(CnfArchitecture.ffjordToy(), 0).productFlops(1, false));
    }
}
