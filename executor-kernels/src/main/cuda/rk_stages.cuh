// Fused Runge-Kutta stage arithmetic on device-resident float32 states. The stages k_0..k_{stages-1} are
// separate buffers (k0..k6; unused ones null), so a solver keeps each stage where cnf_forward wrote it.
//   rk_combine:            out = y + h * sum_j a_j k_j     (one launch per stage, up to 7 stages)
//   rk_error_norm_partial: per-block sums of ((h * sum_j e_j k_j) / (atol + rtol * max(|y0|, |y1|)))^2 over
//                          the first `prefix` components, in double; reduce_partials (width 1) then sums
//                          the blocks and the host takes sqrt(sum / prefix) (dev.odeflow.kernels.solver.ErrorNorm).
#pragma once

#include "device_compat.cuh"

#define ODEFLOW_MAX_STAGES 7
#define ODEFLOW_NORM_THREADS 256

/** sum_j c_j k_j[i] in double over the stages with a non-zero coefficient. */
__device__ __forceinline__ double stage_sum(int stages, const double* __restrict__ c, int i, const float* k0,
                                            const float* k1, const float* k2, const float* k3, const float* k4,
                                            const float* k5, const float* k6) {
    const float* ks[ODEFLOW_MAX_STAGES] = {k0, k1, k2, k3, k4, k5, k6};
    double acc = 0.0;
    for (int j = 0; j < stages && j < ODEFLOW_MAX_STAGES; j++) {
        const double w = c[j];
        if (w != 0.0) {
            acc += w * (double) ks[j][i];
        }
    }
    return acc;
}

extern "C" __global__ void rk_combine(int dim, int stages, const float* __restrict__ y, const float* k0,
                                      const float* k1, const float* k2, const float* k3, const float* k4,
                                      const float* k5, const float* k6, const double* __restrict__ a, double h,
                                      float* out) {
    const int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < dim) {
        out[i] = (float) ((double) y[i] + h * stage_sum(stages, a, i, k0, k1, k2, k3, k4, k5, k6));
    }
}

extern "C" __global__ void rk_error_norm_partial(int prefix, int stages, const float* __restrict__ y0,
                                                 const float* __restrict__ y1, const float* k0, const float* k1,
                                                 const float* k2, const float* k3, const float* k4, const float* k5,
                                                 const float* k6, const double* __restrict__ e, double h,
                                                 double rtol, double atol, double* __restrict__ partial) {
    ODEFLOW_STATIC_SHARED(double, sums, ODEFLOW_NORM_THREADS);
    const int i = blockIdx.x * blockDim.x + threadIdx.x;
    double r2 = 0.0;
    if (i < prefix) {
        const double err = h * stage_sum(stages, e, i, k0, k1, k2, k3, k4, k5, k6);
        const double scale = atol + rtol * fmax(fabs((double) y0[i]), fabs((double) y1[i]));
        const double r = err / scale;
        r2 = r * r;
    }
    sums[threadIdx.x] = r2;
    __syncthreads();
    for (int width = blockDim.x / 2; width > 0; width /= 2) {
        if (threadIdx.x < width) {
            sums[threadIdx.x] += sums[threadIdx.x + width];
        }
        __syncthreads();
    }
    if (threadIdx.x == 0) {
        partial[blockIdx.x] = sums[0];
    }
}
