// Fused Runge-Kutta stage arithmetic on device-resident float32 states.
//   rk_combine:            out = y + h * sum_j a_j k_j     (one launch per stage, any number of stages)
//   rk_error_norm_partial: per-block sums of ((h * sum_j e_j k_j) / (atol + rtol * max(|y0|, |y1|)))^2 over
//                          the first `prefix` components, in double; reduce_partials (width 1) then sums
//                          the blocks and the host takes sqrt(sum / prefix) (dev.odeflow.kernels.solver.ErrorNorm).
// k holds the stages back to back: stage j of component i at k[j * k_stride + i].
#pragma once

#include "device_compat.cuh"

extern "C" __global__ void rk_combine(int dim, int stages, const float* __restrict__ y, const float* __restrict__ k,
                                      long long k_stride, const double* __restrict__ a, double h,
                                      float* __restrict__ out) {
    const int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < dim) {
        double acc = 0.0;
        for (int j = 0; j < stages; j++) {
            const double c = a[j];
            if (c != 0.0) {
                acc += c * (double) k[(size_t) j * k_stride + i];
            }
        }
        out[i] = (float) ((double) y[i] + h * acc);
    }
}

#define ODEFLOW_NORM_THREADS 256

extern "C" __global__ void rk_error_norm_partial(int prefix, int stages, const float* __restrict__ y0,
                                                 const float* __restrict__ y1, const float* __restrict__ k,
                                                 long long k_stride, const double* __restrict__ e, double h,
                                                 double rtol, double atol, double* __restrict__ partial) {
    ODEFLOW_STATIC_SHARED(double, sums, ODEFLOW_NORM_THREADS);
    const int i = blockIdx.x * blockDim.x + threadIdx.x;
    double r2 = 0.0;
    if (i < prefix) {
        double err = 0.0;
        for (int j = 0; j < stages; j++) {
            const double c = e[j];
            if (c != 0.0) {
                err += c * (double) k[(size_t) j * k_stride + i];
            }
        }
        err *= h;
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
