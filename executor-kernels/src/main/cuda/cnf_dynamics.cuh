// The two fused launches of the augmented CNF dynamics:
//   cnf_forward: one evaluation of [f; -trace] for a tile of samples per block, weights in shared memory.
//   cnf_vjp:     forward + reverse (VJPs including the second-order terms of the trace) and per-block
//                partial sums of the parameter gradient in double precision, reduced by reduce_partials.
#pragma once

#include "cnf_network.cuh"
#include "device_compat.cuh"

/** Copies theta (floats) and the widths into dynamic shared memory; returns the network view. */
__device__ OdeNet load_network(int n, int layers, const int* __restrict__ widths, int kind, int act,
                               const float* __restrict__ theta, int theta_size, float t, int m,
                               const float* probe, long long stride) {
    ODEFLOW_DYNAMIC_SHARED(float, shared_mem);
    float* th = shared_mem;
    int* ws = reinterpret_cast<int*>(shared_mem + theta_size);
    for (int e = threadIdx.x; e < theta_size; e += blockDim.x) {
        th[e] = theta[e];
    }
    for (int e = threadIdx.x; e <= layers; e += blockDim.x) {
        ws[e] = widths[e];
    }
    __syncthreads();
    OdeNet net;
    net.layers = layers;
    net.widths = ws;
    net.kind = kind;
    net.act = act;
    net.theta = th;
    net.t = t;
    net.m = m;
    net.probe = probe;
    net.n = n;
    net.stride = stride;
    return net;
}

extern "C" __global__ void cnf_forward(int n, int layers, const int* __restrict__ widths, int kind, int act,
                                       const float* __restrict__ theta, int theta_size, float t, int m,
                                       const float* __restrict__ probe, const float* __restrict__ y,
                                       float* __restrict__ dydt, float* __restrict__ scratch, long long stride) {
    const OdeNet net = load_network(n, layers, widths, kind, act, theta, theta_size, t, m, probe, stride);
    const int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) {
        ode_forward_sample(net, i, y, dydt, scratch + i);
    }
}

/**
 * Reverse of one layer for sample i (phase A: bars of p, q, the gate and time; phase B: pull back through
 * W and through the previous layer's activation into H, or into gz at the input layer).
 */
__device__ void ode_reverse_layer_sample(const OdeNet& net, int i, int l, int off, int rowX, int rowP,
                                         int rowH, int rowPb, int rowHbar, int rowG, int maxW,
                                         float* __restrict__ gz, float* tbar, float* S) {
    const int m = net.m;
    const int in = net.widths[l];
    const int out_w = net.widths[l + 1];
    const int ws = weight_row_length(net.kind, in);
    const int c0 = ws - in;
    const float* W = net.theta + off;
    const bool squash = net.kind == ODEFLOW_LAYER_CONCATSQUASH;
    const float* hb = W + out_w * ws + out_w;
    const float* wg = hb + out_w;
    float tb = *tbar;
    // Phase A.
    for (int o = 0; o < out_w; o++) {
        const float hbar = SR(rowH + o);
        float g, hbt;
        layer_gate(net, W, in, out_w, o, &g, &hbt);
        float gbar = 0.f;
        if (squash) {
            gbar = hbar * SR(rowP + o);
            tb = fmaf(hbar, hb[o], tb);
        } else {
            tb = fmaf(hbar, W[o * ws], tb);
        }
        SR(rowPb + o) = hbar * g;
        SR(rowHbar + o) = hbar;
        for (int j = 0; j < m; j++) {
            const float dhb = SR(rowH + (1 + j) * maxW + o);
            SR(rowPb + (1 + j) * maxW + o) = dhb * g;
            gbar = fmaf(dhb, SR(rowP + (1 + j) * out_w + o), gbar);
        }
        if (squash) {
            const float gpre = gbar * g * (1.f - g);
            SR(rowG + o) = gpre;
            tb = fmaf(gpre, wg[o], tb);
        }
    }
    *tbar = tb;
    // Phase B.
    const int d = net.widths[0];
    int inPrev = 0, offPrev = 0, rowPPrev = 0;
    if (l > 0) {
        inPrev = net.widths[l - 1];
        offPrev = off - layer_param_count(net.kind, inPrev, in);
        rowPPrev = rowX - (1 + m) * in;
    }
    for (int k = 0; k < in; k++) {
        float xs = 0.f;
        for (int o = 0; o < out_w; o++) {
            xs = fmaf(W[o * ws + c0 + k], SR(rowPb + o), xs);
        }
        if (l == 0) {
            gz[(size_t) i * d + k] = xs;
            continue;
        }
        float g, hbt;
        layer_gate(net, net.theta + offPrev, inPrev, in, k, &g, &hbt);
        const float h = fmaf(SR(rowPPrev + k), g, hbt);
        const float s1 = act_d1(net.act, h);
        const float s2 = act_d2(net.act, h);
        float h0 = xs * s1;
        for (int j = 0; j < m; j++) {
            float dxs = 0.f;
            for (int o = 0; o < out_w; o++) {
                dxs = fmaf(W[o * ws + c0 + k], SR(rowPb + (1 + j) * maxW + o), dxs);
            }
            const float dh = SR(rowPPrev + (1 + j) * in + k) * g;
            h0 = fmaf(dxs * s2, dh, h0);
            SR(rowH + (1 + j) * maxW + k) = dxs * s1;
        }
        SR(rowH + k) = h0;
    }
}

#define SRS(row, s) scratch[(size_t) (row) * net.stride + (s)]

/** Block-cooperative sum over the tile's samples of layer l's parameter gradient, in double. */
__device__ void ode_reduce_layer_block(const OdeNet& net, int l, int off, int rowX, int rowPb, int rowHbar,
                                       int rowG, int maxW, int s0, int s1, const float* __restrict__ scratch,
                                       double* __restrict__ partial_row) {
    const int m = net.m;
    const int in = net.widths[l];
    const int out_w = net.widths[l + 1];
    const int ws = weight_row_length(net.kind, in);
    const int c0 = ws - in;
    const int count = layer_param_count(net.kind, in, out_w);
    const bool squash = net.kind == ODEFLOW_LAYER_CONCATSQUASH;
    for (int e = threadIdx.x; e < count; e += blockDim.x) {
        double acc = 0.0;
        if (e < out_w * ws) {
            const int o = e / ws;
            const int c = e % ws;
            if (c < c0) {
                for (int s = s0; s < s1; s++) {
                    acc += (double) SRS(rowPb + o, s);
                }
                acc *= (double) net.t;
            } else {
                const int k = c - c0;
                for (int s = s0; s < s1; s++) {
                    float v = SRS(rowPb + o, s) * SRS(rowX + k, s);
                    for (int j = 0; j < m; j++) {
                        v = fmaf(SRS(rowPb + (1 + j) * maxW + o, s), SRS(rowX + (1 + j) * in + k, s), v);
                    }
                    acc += (double) v;
                }
            }
        } else {
            const int e2 = e - out_w * ws;
            const int which = e2 / out_w;
            const int o = e2 % out_w;
            if (!squash || which == 0) {
                for (int s = s0; s < s1; s++) {
                    acc += (double) SRS(rowPb + o, s);
                }
            } else if (which == 1) {
                for (int s = s0; s < s1; s++) {
                    acc += (double) SRS(rowHbar + o, s);
                }
                acc *= (double) net.t;
            } else {
                for (int s = s0; s < s1; s++) {
                    acc += (double) SRS(rowG + o, s);
                }
                if (which == 2) {
                    acc *= (double) net.t;
                }
            }
        }
        partial_row[off + e] = acc;
    }
}

/**
 * Forward and reverse for a tile of samples. a = [aZ (n*d), aL (n) when m > 0]. Writes f into f_out
 * (n*d + n), a^T df/dz into gz (n*d), and into partial[blockIdx.x * (theta_size + 1) + e] the block's sum
 * of a^T df/dtheta_e, with e = theta_size holding a^T df/dt.
 */
extern "C" __global__ void cnf_vjp(int n, int layers, const int* __restrict__ widths, int kind, int act,
                                   const float* __restrict__ theta, int theta_size, float t, int m,
                                   const float* __restrict__ probe, const float* __restrict__ y,
                                   const float* __restrict__ a, float* __restrict__ f_out,
                                   float* __restrict__ gz, float* __restrict__ scratch, long long stride,
                                   double* __restrict__ partial) {
    const OdeNet net = load_network(n, layers, widths, kind, act, theta, theta_size, t, m, probe, stride);
    const int i = blockIdx.x * blockDim.x + threadIdx.x;
    const bool active = i < n;
    float* S = scratch + i;
    const int d = net.widths[0];
    const int maxW = max_width(net);
    const int rowH = forward_rows(net);
    const int rowPb = rowH + (1 + m) * maxW;
    const int rowHbar = rowPb + (1 + m) * maxW;
    const int rowG = rowHbar + maxW;
    const int rowT = rowG + maxW;
    if (active) {
        ode_forward_sample(net, i, y, f_out, S);
        for (int o = 0; o < d; o++) {
            SR(rowH + o) = a[(size_t) i * d + o];
            for (int j = 0; j < m; j++) {
                SR(rowH + (1 + j) * maxW + o) = -a[(size_t) n * d + i] * probe_at(net, i, j, o, d);
            }
        }
    }
    const int s0 = blockIdx.x * blockDim.x;
    const int s1 = min(n, s0 + (int) blockDim.x);
    double* partial_row = partial + (size_t) blockIdx.x * (theta_size + 1);
    float tbar = 0.f;
    int offEnd = theta_size;
    int rowEnd = rowH;
    for (int l = layers - 1; l >= 0; l--) {
        const int in = net.widths[l];
        const int out_w = net.widths[l + 1];
        const int off = offEnd - layer_param_count(kind, in, out_w);
        const int rowP = rowEnd - (1 + m) * out_w;
        const int rowX = rowP - (1 + m) * in;
        if (active) {
            ode_reverse_layer_sample(net, i, l, off, rowX, rowP, rowH, rowPb, rowHbar, rowG, maxW, gz, &tbar, S);
        }
        __syncthreads();
        ode_reduce_layer_block(net, l, off, rowX, rowPb, rowHbar, rowG, maxW, s0, s1, scratch, partial_row);
        __syncthreads();
        offEnd = off;
        rowEnd = rowX;
    }
    if (active) {
        SR(rowT) = tbar;
    }
    __syncthreads();
    if (threadIdx.x == 0) {
        double acc = 0.0;
        for (int s = s0; s < s1; s++) {
            acc += (double) SRS(rowT, s);
        }
        partial_row[theta_size] = acc;
    }
}

/** out[e] = sum over rows r of partial[r * width + e], in double; one thread per column. */
extern "C" __global__ void reduce_partials(int rows, int width, const double* __restrict__ partial,
                                           double* __restrict__ out) {
    const int e = blockIdx.x * blockDim.x + threadIdx.x;
    if (e < width) {
        double acc = 0.0;
        for (int r = 0; r < rows; r++) {
            acc += partial[(size_t) r * width + e];
        }
        out[e] = acc;
    }
}
