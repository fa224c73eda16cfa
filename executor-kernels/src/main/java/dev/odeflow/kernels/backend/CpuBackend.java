package dev.odeflow.kernels.backend;

import dev.odeflow.kernels.cnf.CnfSystem;
import dev.odeflow.kernels.cnf.Probe;
import dev.odeflow.kernels.dynamics.OdeNet;
import dev.odeflow.kernels.model.CnfArchitecture;

/** The CPU reference backend: double precision, the twin every CUDA kernel is checked against. */
public final class CpuBackend implements ComputeBackend {

    @Override
    public String name() {
        return "cpu";
    }

    @Override
    public CnfKernel cnfKernel(CnfArchitecture arch, double[] theta, int n, Probe probe) {
        return new CnfSystem(new OdeNet(arch.widths(), arch.layer(), arch.activation()), theta, n, probe);
    }
}
