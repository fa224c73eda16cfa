// The single CUDA module of odeflow: compiled by nvcc at build time (profile "cuda" of executor-kernels)
// into /cuda/odeflow_kernels.ptx (compute_80, JIT-compiled by the driver) and /cuda/odeflow_kernels.fatbin
// (sm_90 cubin + compute_80 PTX), loaded with cuModuleLoadData. Entry points are extern "C" so their
// names are stable: cnf_forward, cnf_vjp, reduce_partials, rk_combine, rk_error_norm_partial.
#include "cnf_dynamics.cuh"
#include "rk_stages.cuh"
