"""The torchdiffeq side of `bin/odeflow bench case=ffjord-toy ...`: the same case, operations and protocol.

    python3 benchmarks/torchdiffeq_kernels.py what=eval_forward batch=100,1000,10000 threads=2 dtype=float64
    python3 benchmarks/torchdiffeq_kernels.py case=miniboone what=iteration steps=8 batch=1000 threads=2

    python3 benchmarks/torchdiffeq_kernels.py what=eval_forward,eval_adjoint,iteration method=dopri5 device=cuda \
        dtype=float32 batch=100,1000,10000,100000 warmup_s=0.5      (bin/gpu-first-light's run on a GPU)

case=ffjord-toy | tabular-16 | miniboone   the shapes of odeflow's BenchCase (ffjord_toy.CASES); divergence=
exact | gaussian overrides the case's trace (Gaussian Hutchinson noise is drawn once and held fixed)

what=eval_forward  one evaluation of FFJORD's CNF dynamics [f, -tr(df/dz)] (exact trace, 2-D), as odeint calls it
what=eval_adjoint  one evaluation of torchdiffeq's adjoint augmented dynamics (adjoint.py: a vector-Jacobian
                   product of that function w.r.t. t, the state and every parameter)
what=iteration     one training step: odeint_adjoint forward solve, backward (adjoint) solve, Adam (lr 1e-3);
                   method=rk4 steps=20 (fixed grid) or method=dopri5 (rtol = atol = 1e-5), as odeflow's bench;
                   gradient=direct backpropagates through odeint's steps instead (odeflow's gradient=direct)

what takes a comma-separated list (each measured at every batch, in that order). device=cpu (default) | cuda
| cuda:N: where the model and the data live; on a GPU the timings wait for it (torch.cuda.synchronize).

Protocol as BenchMain: inputs N(0, 2^2), T = 0.5 at t = 0.25, warm-up of at least 3 runs and warmup_s seconds
(default 2), then `runs` timed runs (each repeating the operation to fill ~0.3 s for the evaluations), the median printed as one JSON
line per batch with odeflow's keys.
"""
import json
import math
import statistics
import sys
import time

import torch
from torchdiffeq import odeint, odeint_adjoint

from ffjord_toy import CASES, Cnf, nll, parse_args



def parse(argv):
    return parse_args(argv, dict(case="ffjord-toy", what="iteration", method="rk4", steps="20", batch="100",
                                 runs="5", threads="1", dtype="float64", divergence="",
                                 gradient="adjoint", device="cpu", warmup_s="2"), "torchdiffeq_kernels")


def shape(kv):
    dim, hidden, activation, trace = CASES[kv["case"]]
    return dim, hidden, activation, kv["divergence"] or trace


def flops_per_row(dim, hidden):
    widths = [dim, *hidden, dim]
    return 2 * sum(a * b for a, b in zip(widths[:-1], widths[1:]))


def operation(kv, what, batch, dtype, device):
    torch.manual_seed(0)
    dim, hidden, activation, trace = shape(kv)
    cnf = Cnf(dim, hidden, activation=activation).to(dtype=dtype, device=device)
    gen = torch.Generator().manual_seed(1)
    x = (torch.randn(batch, dim, generator=gen, dtype=dtype) * 2).to(device)
    if trace == "gaussian":
        cnf.func.noise = torch.randn(batch, dim, generator=gen, dtype=dtype).to(device)
    state = torch.cat([x, torch.zeros(batch, 1, dtype=dtype, device=device)], 1)
    t = torch.tensor(0.25, dtype=dtype, device=device)
    params = tuple(cnf.func.parameters())
    counts = [0, 0]
    if what == "eval_forward":
        def op():
            with torch.no_grad():  # as in odeint_adjoint's forward pass; the trace switches autograd on itself
                cnf.func(t, state)
        return op, counts
    if what == "eval_adjoint":
        adj = torch.full_like(state, 0.1)

        def op():
            with torch.enable_grad():
                tt = t.detach().requires_grad_(True)
                y = state.detach().requires_grad_(True)
                f = cnf.func(tt, y)
                torch.autograd.grad(f, (tt, y) + params, -adj, allow_unused=True, retain_graph=True)
        return op, counts
    steps = int(kv["steps"])
    if kv["method"] == "rk4":
        options = dict(grid_constructor=lambda func, y0, tt: torch.linspace(tt[0], tt[-1], steps + 1, dtype=tt.dtype))
    else:
        options = None
    adam = torch.optim.Adam(cnf.parameters(), lr=1e-3)

    def op():
        cnf.func.nfe = 0
        adam.zero_grad()
        if kv["gradient"] == "direct":
            loss = nll(cnf, x, odeint, kv["method"], options, adjoint=False)
        else:
            loss = nll(cnf, x, odeint_adjoint, kv["method"], options)
        counts[0] += cnf.func.nfe
        loss.backward()
        counts[1] += cnf.func.nfe - counts[0]
        adam.step()
    return op, counts


def main(argv):
    kv = parse(argv)
    torch.set_num_threads(int(kv["threads"]))
    dtype = {"float64": torch.float64, "float32": torch.float32}[kv["dtype"]]
    device = torch.device(kv["device"])
    sync = torch.cuda.synchronize if device.type == "cuda" else (lambda: None)
    for what in kv["what"].split(","):
        for batch in (int(b) for b in kv["batch"].split(",")):
            print(json.dumps(measure(kv, what, batch, dtype, device, sync)), flush=True)


def measure(kv, what, batch, dtype, device, sync):
    op, counts = operation(kv, what, batch, dtype, device)
    start, warm = time.perf_counter(), 0
    while warm < 3 or time.perf_counter() - start < float(kv["warmup_s"]):
        op()
        warm += 1
    sync()
    once = (time.perf_counter() - start) / warm
    reps = 1 if what == "iteration" else max(1, min(10000, int(0.3 / max(once, 1e-6))))
    times = []
    for _ in range(max(5, int(kv["runs"]))):
        counts[0] = counts[1] = 0
        sync()
        t0 = time.perf_counter()
        for _ in range(reps):
            op()
        sync()
        times.append((time.perf_counter() - t0) / reps)
    median = statistics.median(times)
    dim, hidden, _, trace = shape(kv)
    row = dict(peer="torchdiffeq", case=kv["case"], what=what, dtype=kv["dtype"], batch=batch,
               threads=int(kv["threads"]), device=str(device), divergence=trace, runs=len(times), median_s=median,
               min_s=min(times), max_s=max(times))
    if device.type == "cuda":
        row.update(device_name=torch.cuda.get_device_name(device))
    if what == "iteration":
        row.update(method=kv["method"], steps=int(kv["steps"]) if kv["method"] == "rk4" else None,
                   gradient=kv["gradient"], nfe_forward=counts[0], nfe_backward=counts[1])
    else:
        rows = 1 + (dim if trace == "exact" else 1)
        flops = flops_per_row(dim, hidden) * batch * rows * (1 if what == "eval_forward" else 3)
        row.update(evals_per_s=1 / median, flops_per_eval=flops, gflops=flops / median * 1e-9)
    return row


if __name__ == "__main__":
    main(sys.argv[1:])
