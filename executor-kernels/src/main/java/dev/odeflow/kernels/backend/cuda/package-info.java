/**
 * The CUDA backend: JCuda driver API host code for the fused kernels compiled from
 * {@code src/main/cuda/} at build time.
 *
 * <ul>
 *   <li>{@link dev.odeflow.kernels.backend.cuda.CudaProbe} decides once per JVM whether CUDA can be used (driver,
 *       device, kernels built, module loadable) and why not.</li>
 *   <li>{@link dev.odeflow.kernels.backend.cuda.CudaDevice}: one retained primary context and one loaded module
 *       per device per JVM, made current at the start of every use; allocations are counted by an
 *       {@link dev.odeflow.kernels.backend.cuda.AllocationTracker}.</li>
 *   <li>{@link dev.odeflow.kernels.backend.cuda.CudaCnfKernel}: the augmented CNF dynamics (one fused launch per
 *       evaluation, one fused launch plus a reduction per VJP).</li>
 *   <li>{@link dev.odeflow.kernels.backend.cuda.CudaStageOps}: fused RK stage combination and error norm;
 *       {@link dev.odeflow.kernels.backend.cuda.ResidentSolver}: a forward solve with the state on the device.</li>
 *   <li>{@link dev.odeflow.kernels.backend.cuda.ResidentCache}: partition data kept on the device across
 *       iterations, keyed by block id.</li>
 * </ul>
 * {@link dev.odeflow.kernels.backend.cuda.KernelDevice} and {@link dev.odeflow.kernels.backend.cuda.DeviceBuffer}
 * abstract the device so the tests can also run this host code on an emulation of the kernel sources.
 * Geometry and memory plans ({@link dev.odeflow.kernels.backend.cuda.NetworkPlan},
 * {@link dev.odeflow.kernels.backend.cuda.LaunchGeometry}) are plain Java so they are tested without a GPU.
 */
package dev.odeflow.kernels.backend.cuda;
