// Pointwise activations with first and second derivatives, float32.
// Codes match dev.odeflow.kernels.backend.cuda.KernelCodes (Activation ordinal order).
#pragma once

#include "device_compat.cuh"

#define ODEFLOW_ACT_TANH 0
#define ODEFLOW_ACT_SOFTPLUS 1
#define ODEFLOW_ACT_ELU 2
#define ODEFLOW_ACT_SWISH 3

__device__ __forceinline__ float odeflow_sigmoid(float x) {
    if (x >= 0.f) {
        return 1.f / (1.f + expf(-x));
    }
    float e = expf(x);
    return e / (1.f + e);
}

__device__ __forceinline__ float act_value(int a, float x) {
    switch (a) {
        case ODEFLOW_ACT_TANH: return tanhf(x);
        case ODEFLOW_ACT_SOFTPLUS: return x > 20.f ? x : log1pf(expf(x));
        case ODEFLOW_ACT_ELU: return x > 0.f ? x : expm1f(x);
        default: return x * odeflow_sigmoid(x);
    }
}

__device__ __forceinline__ float act_d1(int a, float x) {
    switch (a) {
        case ODEFLOW_ACT_TANH: { float v = tanhf(x); return 1.f - v * v; }
        case ODEFLOW_ACT_SOFTPLUS: return odeflow_sigmoid(x);
        case ODEFLOW_ACT_ELU: return x > 0.f ? 1.f : expf(x);
        default: { float s = odeflow_sigmoid(x); return s + x * s * (1.f - s); }
    }
}

__device__ __forceinline__ float act_d2(int a, float x) {
    switch (a) {
        case ODEFLOW_ACT_TANH: { float v = tanhf(x); return -2.f * v * (1.f - v * v); }
        case ODEFLOW_ACT_SOFTPLUS: { float s = odeflow_sigmoid(x); return s * (1.f - s); }
        case ODEFLOW_ACT_ELU: return x > 0.f ? 0.f : expf(x);
        default: {
            float s = odeflow_sigmoid(x);
            float ds = s * (1.f - s);
            return 2.f * ds + x * ds * (1.f - 2.f * s);
        }
    }
}
