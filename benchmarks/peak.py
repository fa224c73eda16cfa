"""The machine's practical FMA peak, as the fraction figures in BENCHMARKS.md use it: GFLOP/s of PyTorch's own
large matrix product (MKL or its fallback), per thread count and dtype. Run it with the same vector-width
restriction as the measurements it serves (ATEN_CPU_CAPABILITY=avx2 MKL_ENABLE_INSTRUCTIONS=AVX2 for 256 bits).

    python3 benchmarks/peak.py threads=1,2 n=2048
"""
import json
import statistics
import sys
import time

import torch

from ffjord_toy import parse_args


def main(argv):
    kv = parse_args(argv, dict(threads="1,2", n="2048", runs="5"), "peak")
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


if __name__ == "__main__":
    main(sys.argv[1:])
