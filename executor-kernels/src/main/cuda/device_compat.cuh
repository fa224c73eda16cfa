// Shared-memory declarations that also compile on the host for the kernel emulator (host_emulation/),
// which runs the very same kernel code on CPU threads so the kernels' arithmetic can be checked against the
// CPU reference on machines without a GPU.
#pragma once

#ifdef ODEFLOW_HOST_EMULATION
#include "host_emulation/emulation.h"
#else
#define ODEFLOW_DYNAMIC_SHARED(T, name) extern __shared__ T name[]
#define ODEFLOW_STATIC_SHARED(T, name, N) __shared__ T name[N]
#endif
