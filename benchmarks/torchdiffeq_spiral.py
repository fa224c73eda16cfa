"""The torchdiffeq side of the spiral trajectory fit, on odeflow's recipe (conf/jobs/spiral.conf):

    python3 benchmarks/torchdiffeq_spiral.py threads=2 dtype=float32

torchdiffeq's examples/ode_demo.py data (dy/dt = (y^3)A, A = [[-0.1, 2], [-2, -0.1]], y(0) = (2, 0), 1000 points
on [0, 25], dopri5) and field (Linear(2, 50) - tanh - Linear(50, 2) on y**3, weights N(0, 0.1^2), zero biases),
trained as odeflow's spiral.conf does: 20 random windows of 10 consecutive points per iteration, each from its
observed first value; rk4 with one step per observation interval; the L1 loss; gradient=adjoint
(odeint_adjoint) or direct (odeint); Adam at 2e-2 with a cosine decay to 1e-4 over 3000 iterations, no weight
decay. Then the RMSE of the whole spiral predicted from y(0) (dopri5, rtol 1e-7, atol 1e-9) over every point
after the first, as odeflow's result.train_rmse. Prints one JSON line: training wall time and the RMSE.
"""
import json
import math
import sys
import time

import numpy as np
import torch
import torch.nn as nn
from torchdiffeq import odeint, odeint_adjoint

from ffjord_toy import parse_args

DEFAULTS = dict(n="1000", iterations="3000", window="10", batch="20", lr="2e-2", min_lr="1e-4", seed="0",
                threads="2", dtype="float32", gradient="adjoint")
A = [[-0.1, 2.0], [-2.0, -0.1]]


class Field(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(2, 50), nn.Tanh(), nn.Linear(50, 2))
        for m in self.net.modules():
            if isinstance(m, nn.Linear):
                nn.init.normal_(m.weight, mean=0, std=0.1)
                nn.init.constant_(m.bias, val=0)

    def forward(self, t, y):
        return self.net(y ** 3)


def main(argv):
    kv = parse_args(argv, DEFAULTS, "torchdiffeq_spiral")
    torch.set_num_threads(int(kv["threads"]))
    torch.manual_seed(int(kv["seed"]))
    rng = np.random.default_rng(int(kv["seed"]))
    dtype = {"float64": torch.float64, "float32": torch.float32}[kv["dtype"]]
    n, iters, window, batch = (int(kv[k]) for k in ("n", "iterations", "window", "batch"))
    t = torch.linspace(0, 25, n, dtype=torch.float64)
    a = torch.tensor(A, dtype=torch.float64)
    with torch.no_grad():
        true_y = odeint(lambda _, y: torch.mm(y ** 3, a), torch.tensor([[2.0, 0.0]], dtype=torch.float64), t,
                        method="dopri5", rtol=1e-10, atol=1e-10).to(dtype)[:, 0, :]
    t = t.to(dtype)
    field = Field().to(dtype)
    adam = torch.optim.Adam(field.parameters(), lr=float(kv["lr"]))
    solve = odeint if kv["gradient"] == "direct" else odeint_adjoint
    lr, min_lr = float(kv["lr"]), float(kv["min_lr"])
    t0 = time.perf_counter()
    for it in range(iters):
        s = torch.from_numpy(rng.choice(np.arange(n - window + 1), batch, replace=False))
        y0 = true_y[s]
        ys = torch.stack([true_y[s + i] for i in range(window)], dim=0)
        tw = t[:window] - t[0]
        for group in adam.param_groups:
            group["lr"] = min_lr + (lr - min_lr) * 0.5 * (1 + math.cos(math.pi * it / iters))
        adam.zero_grad()
        pred = solve(field, y0, tw, method="rk4", options=dict(grid_constructor=lambda f, y, tt: tt))
        loss = torch.abs(pred - ys).sum()
        loss.backward()
        adam.step()
    train_s = time.perf_counter() - t0
    with torch.no_grad():
        pred = odeint(field, true_y[:1].to(torch.float64).to(dtype), t, method="dopri5", rtol=1e-7, atol=1e-9)
        rmse = torch.sqrt(((pred[1:, 0, :] - true_y[1:]) ** 2).mean()).item()
    print(json.dumps(dict(peer="torchdiffeq", job="spiral " + kv["gradient"], dtype=kv["dtype"],
                          threads=int(kv["threads"]), iterations=iters, train_s=train_s, train_rmse=rmse)), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
