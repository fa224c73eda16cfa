// The FFJORD ODEnet f(t, z; theta) for one sample per thread: forward pass with forward-mode tangents along
// the probe directions (the trace), and its reverse including the second-order terms.
//
// Parameter layout (float copy of the CPU layout, per layer l in order):
//   concatsquash: W [out,in], b [out], hyper_bias [out], hyper_gate.weight [out], hyper_gate.bias [out]
//   concat:       W [out,in+1] (column 0 multiplies t), b [out]
// Scratch layout: feature-major, one column per sample: element (row, i) at scratch[row * stride + i], so a
// warp's accesses to one row are coalesced. Rows, per layer l: X_l = [x; dx_1..dx_m] ((1+m)*in rows) then
// P_l = [p; q_1..q_m] ((1+m)*out rows) with p = W x + b (before the gate) and q_j = W dx_j; after the last
// layer the reverse work rows: H ((1+m)*maxW), Pbar ((1+m)*maxW), Hbar (maxW), Gpre (maxW), tbar (1).
// dev.odeflow.kernels.backend.cuda.NetworkPlan computes the same rows on the host.
#pragma once

#include "activations.cuh"

#define ODEFLOW_LAYER_CONCAT 0
#define ODEFLOW_LAYER_CONCATSQUASH 1

struct OdeNet {
    int layers;          // L
    const int* widths;   // L + 1 entries (shared memory)
    int kind;            // ODEFLOW_LAYER_*
    int act;             // ODEFLOW_ACT_*
    const float* theta;  // shared memory copy of theta
    float t;
    int m;               // probe directions per sample (0: no trace)
    const float* probe;  // n x m x d, or null for the basis vectors
    int n;
    long long stride;    // scratch column stride (>= n)
};

__device__ __forceinline__ int layer_param_count(int kind, int in, int out) {
    return kind == ODEFLOW_LAYER_CONCATSQUASH ? out * in + 4 * out : out * (in + 1) + out;
}

__device__ __forceinline__ int weight_row_length(int kind, int in) {
    return kind == ODEFLOW_LAYER_CONCATSQUASH ? in : in + 1;
}

/** Component c of probe direction j for sample i. */
__device__ __forceinline__ float probe_at(const OdeNet& net, int i, int j, int c, int d) {
    return net.probe == nullptr ? (j == c ? 1.f : 0.f) : net.probe[((size_t) i * net.m + j) * d + c];
}

/** Gate g and time term hb*t of output o of a layer whose parameters start at th. */
__device__ __forceinline__ void layer_gate(const OdeNet& net, const float* th, int in, int out, int o,
                                           float* g, float* hbt) {
    if (net.kind == ODEFLOW_LAYER_CONCATSQUASH) {
        const float* b = th + out * in;
        const float* hb = b + out;
        const float* wg = hb + out;
        const float* bg = wg + out;
        *g = odeflow_sigmoid(wg[o] * net.t + bg[o]);
        *hbt = hb[o] * net.t;
    } else {
        *g = 1.f;
        *hbt = 0.f;
    }
}

#define SR(row) S[(size_t) (row) * net.stride]

/**
 * Forward pass for sample i: fills X_l and P_l, writes f into out[i*d..] and -trace into out[n*d + i]
 * (when m > 0). S points at scratch + i.
 */
__device__ void ode_forward_sample(const OdeNet& net, int i, const float* __restrict__ z, float* __restrict__ out,
                                   float* S) {
    const int m = net.m;
    const int d = net.widths[0];
    for (int c = 0; c < d; c++) {
        SR(c) = z[(size_t) i * d + c];
    }
    for (int j = 0; j < m; j++) {
        for (int c = 0; c < d; c++) {
            SR((1 + j) * d + c) = probe_at(net, i, j, c, d);
        }
    }
    float trace = 0.f;
    int rowX = 0;
    int off = 0;
    for (int l = 0; l < net.layers; l++) {
        const int in = net.widths[l];
        const int out_w = net.widths[l + 1];
        const int rowP = rowX + (1 + m) * in;
        const int rowN = rowP + (1 + m) * out_w;
        const bool last = l == net.layers - 1;
        const int ws = weight_row_length(net.kind, in);
        const int c0 = ws - in;
        const float* W = net.theta + off;
        const float* b = W + out_w * ws;
        for (int o = 0; o < out_w; o++) {
            const float* Wo = W + o * ws + c0;
            float p = b[o];
            if (c0 == 1) {
                p += W[o * ws] * net.t;
            }
            for (int k = 0; k < in; k++) {
                p = fmaf(Wo[k], SR(rowX + k), p);
            }
            float g, hbt;
            layer_gate(net, W, in, out_w, o, &g, &hbt);
            const float h = fmaf(p, g, hbt);
            SR(rowP + o) = p;
            float s1 = 0.f;
            if (!last) {
                SR(rowN + o) = act_value(net.act, h);
                s1 = act_d1(net.act, h);
            } else if (out != nullptr) {
                out[(size_t) i * d + o] = h;
            }
            for (int j = 0; j < m; j++) {
                const int rx = rowX + (1 + j) * in;
                float q = 0.f;
                for (int k = 0; k < in; k++) {
                    q = fmaf(Wo[k], SR(rx + k), q);
                }
                SR(rowP + (1 + j) * out_w + o) = q;
                const float dh = q * g;
                if (!last) {
                    SR(rowN + (1 + j) * out_w + o) = s1 * dh;
                } else {
                    trace = fmaf(probe_at(net, i, j, o, d), dh, trace);
                }
            }
        }
        rowX = rowN;
        off += layer_param_count(net.kind, in, out_w);
    }
    if (out != nullptr && m > 0) {
        out[(size_t) net.n * d + i] = -trace;
    }
}

/** Number of scratch rows taken by the layers' forward records (X_l, P_l for every layer). */
__device__ __forceinline__ int forward_rows(const OdeNet& net) {
    int rows = 0;
    for (int l = 0; l < net.layers; l++) {
        rows += (1 + net.m) * (net.widths[l] + net.widths[l + 1]);
    }
    return rows;
}

__device__ __forceinline__ int max_width(const OdeNet& net) {
    int w = 0;
    for (int l = 0; l <= net.layers; l++) {
        w = max(w, net.widths[l]);
    }
    return w;
}
