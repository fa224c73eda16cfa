"""The torchdiffeq side of the main job, on odeflow's recipe (conf/jobs/8gaussians.conf):

    python3 benchmarks/torchdiffeq_8gaussians.py threads=2 dtype=float32

FFJORD's toy CNF (concatsquash 2-64-64-64-2, tanh, exact trace, trainable T from 0.5) on '8gaussians': 50,000
rows split 40,000 / 5,000 / 5,000; minibatches of 512 drawn epoch by epoch from a permutation of the training
rows; rk4 with 6 steps, differentiated as odeflow's `gradient` says: gradient=direct backpropagates through
odeint's steps, gradient=adjoint solves the adjoint with rk4 6 steps (odeint_adjoint); Adam (lr 1e-2, L2
weight decay 1e-5) with a linear warm-up over 10 iterations and a cosine decay to 1e-4 at the last; 500 iterations; validation NLL on
1,000 rows at iteration 250 (inside the timed loop, as odeflow's eval.every = 250); then validation and test NLL
on all 5,000 rows each with dopri5 at rtol = atol = 1e-6. Prints one JSON line: training wall time and NLLs.
Every setting is a key=value argument; the defaults are odeflow's.
"""
import json
import math
import sys
import time

import numpy as np
import torch
from torchdiffeq import odeint, odeint_adjoint

from ffjord_toy import Cnf, eight_gaussians, nll, parse_args

DEFAULTS = dict(n="50000", iterations="500", batch="512", steps="6", lr="1e-2", min_lr="1e-4", warmup="10",
                weight_decay="1e-5", eval_every="250", eval_rows="1000", eval_tol="1e-6", seed="0", threads="2",
                dtype="float32", gradient="direct")


def parse(argv):
    return parse_args(argv, DEFAULTS, "torchdiffeq_8gaussians")


def learning_rate(t, base, min_lr, warmup, total):
    """odeflow's LearningRateSchedule (COSINE): linear warm-up lr*(t+1)/warmup, then cosine to min_lr."""
    if t < warmup:
        return base * (t + 1) / warmup
    span = max(1, total - warmup - 1)
    return min_lr + (base - min_lr) * 0.5 * (1 + math.cos(math.pi * min(1.0, (t - warmup) / span)))


def evaluate(cnf, x, tol, chunk=1000):
    total = 0.0
    with torch.no_grad():
        for i in range(0, x.shape[0], chunk):
            part = x[i:i + chunk]
            total += nll(cnf, part, odeint, "dopri5", None, rtol=tol, atol=tol, adjoint=False).item() * part.shape[0]
    return total / x.shape[0]


def main(argv):
    kv = parse(argv)
    torch.set_num_threads(int(kv["threads"]))
    dtype = {"float64": torch.float64, "float32": torch.float32}[kv["dtype"]]
    seed, n, iters, batch, steps = (int(kv[k]) for k in ("seed", "n", "iterations", "batch", "steps"))
    rng = np.random.default_rng(seed)
    torch.manual_seed(seed)
    data = torch.tensor(eight_gaussians(n, rng), dtype=dtype)
    n_train, n_val = int(0.8 * n), int(0.1 * n)
    train, val, test = data[:n_train], data[n_train:n_train + n_val], data[n_train + n_val:]
    cnf = Cnf().to(dtype)
    adam = torch.optim.Adam(cnf.parameters(), lr=float(kv["lr"]), weight_decay=float(kv["weight_decay"]))
    grid = dict(grid_constructor=lambda f, y0, t: torch.linspace(t[0], t[-1], steps + 1, dtype=t.dtype))
    order, pos = torch.randperm(n_train), 0
    t0 = time.perf_counter()
    for t in range(iters):
        if pos + batch > n_train:
            order, pos = torch.randperm(n_train), 0
        x = train[order[pos:pos + batch]]
        pos += batch
        for group in adam.param_groups:
            group["lr"] = learning_rate(t, float(kv["lr"]), float(kv["min_lr"]), int(kv["warmup"]), iters)
        adam.zero_grad()
        if kv["gradient"] == "direct":
            loss = nll(cnf, x, odeint, "rk4", grid, adjoint=False)
        else:
            loss = nll(cnf, x, odeint_adjoint, "rk4", grid)
        loss.backward()
        adam.step()
        every = int(kv["eval_every"])
        if every > 0 and (t + 1) % every == 0 and t + 1 < iters:
            print(f"iteration {t + 1}: loss {loss.item():.4f}, val NLL "
                  f"{evaluate(cnf, val[:int(kv['eval_rows'])], float(kv['eval_tol'])):.4f}", file=sys.stderr)
    train_s = time.perf_counter() - t0
    tol = float(kv["eval_tol"])
    print(json.dumps(dict(peer="torchdiffeq", job="8gaussians", dtype=kv["dtype"], gradient=kv["gradient"],
                          threads=int(kv["threads"]),
                          iterations=iters, train_s=train_s, T=cnf.end_time().item(),
                          val_nll=evaluate(cnf, val, tol), test_nll=evaluate(cnf, test, tol))), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
