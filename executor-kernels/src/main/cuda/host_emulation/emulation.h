// CUDA built-ins for running the kernels on the host: each block runs alone, its threads as std::threads,
// __syncthreads() a std::barrier, shared memory a host array (blocks never overlap, so one array serves all).
// Only what odeflow's kernels use is provided.
#pragma once

#include <algorithm>
#include <barrier>
#include <cmath>
#include <cstddef>
#include <cstdint>

#define __global__
#define __device__
#define __host__
#define __forceinline__ inline
#define __restrict__ __restrict

struct odeflow_dim3 {
    unsigned int x = 0, y = 0, z = 0;
};

namespace odeflow_emu {
inline thread_local odeflow_dim3 thread_idx;
inline thread_local odeflow_dim3 block_idx;
inline thread_local odeflow_dim3 block_dim;
inline std::barrier<>* block_barrier = nullptr;
alignas(16) inline unsigned char dynamic_shared[256 * 1024];
}  // namespace odeflow_emu

#define threadIdx (odeflow_emu::thread_idx)
#define blockIdx (odeflow_emu::block_idx)
#define blockDim (odeflow_emu::block_dim)

inline void __syncthreads() {
    odeflow_emu::block_barrier->arrive_and_wait();
}

using std::max;
using std::min;

#define ODEFLOW_DYNAMIC_SHARED(T, name) T* name = reinterpret_cast<T*>(odeflow_emu::dynamic_shared)
#define ODEFLOW_STATIC_SHARED(T, name, N) static T name[N]
