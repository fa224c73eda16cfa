"""The machine's practical FMA peak, as the fraction figures in BENCHMARKS.md use it: GFLOP/s of PyTorch's own
large matrix product (MKL or its fallback), per thread count and dtype. Run it with the same vector-width
restriction as the measurements it serves (ATEN_CPU_CAPABILITY=avx2 MKL_ENABLE_INSTRUCTIONS=AVX2 for 256 bits).

    python3 benchmarks/peak.py threads=1,2 n=2048

With shape=ROWSxKxN[,...] it times instead, on one thread, the two products of a layer that odeflow's
`bin/odeflow bench case=product shape=...` times: y = x·a (rows×k · k×n) and acc += xᵀ·g (k×rows · rows×n).

    python3 benchmarks/peak.py shape=1000x860x860,256x64x64 dtype=float32
"""
import json
import statistics
import sys
import time

import torch

from ffjord_toy import parse_args


def main(argv):
    kv = parse_args(argv, dict(threads="1,2", n="2048", runs="5", shape="", dtype="float32"), "peak")
    if kv["shape"]:
        products(kv)
        return
    n = int(kv["n"])
    for threads in (int(t) for t in kv["threads"].split(",")):
        torch.set_num_threads(threads)
        for dtype in (torch.float64, torch.float32):
            a = torch.randn(n, n, dtype=dtype)
            b = torch.randn(n, n, dtype=dtype)
            c = torch.empty(n, n, dtype=dtype)
            start = time.perf_counter()
            while time.perf_counter() - start < 1:
                torch.mm(a, b, out=c)
            times = []
            for _ in range(int(kv["runs"])):
                t0 = time.perf_counter()
                torch.mm(a, b, out=c)
                times.append(time.perf_counter() - t0)
            gflops = 2 * n ** 3 / statistics.median(times) * 1e-9
            print(json.dumps(dict(peak="torch.mm", n=n, threads=threads, dtype=str(dtype).split(".")[1],
                                  capability=torch.backends.cpu.get_cpu_capability(), gflops=round(gflops, 1))),
                  flush=True)


def median_time(op, runs):
    start = time.perf_counter()
    while time.perf_counter() - start < 1:
        op()
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        op()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def products(kv):
    torch.set_num_threads(1)
    dtype = getattr(torch, kv["dtype"])
    for shape in kv["shape"].split(","):
        rows, k, n = (int(v) for v in shape.split("x"))
        x = torch.rand(rows, k, dtype=dtype) - 0.5
        a = torch.rand(k, n, dtype=dtype) - 0.5
        y = torch.empty(rows, n, dtype=dtype)
        g = torch.rand(rows, n, dtype=dtype) - 0.5
        acc = torch.rand(k, n, dtype=dtype) - 0.5
        mul = median_time(lambda: torch.mm(x, a, out=y), int(kv["runs"]))
        add_t = median_time(lambda: acc.addmm_(x.t(), g), int(kv["runs"]))
        flops = 2.0 * rows * k * n
        print(json.dumps(dict(peak="torch.mm", shape=shape, dtype=kv["dtype"], threads=1,
                              capability=torch.backends.cpu.get_cpu_capability(),
                              mul_s=round(mul, 6), mul_gflops=round(flops / mul * 1e-9, 1),
                              mul_add_transposed_s=round(add_t, 6),
                              mul_add_transposed_gflops=round(flops / add_t * 1e-9, 1))), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
