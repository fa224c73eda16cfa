"""FFJORD's CNFs written from FFJORD's own definitions, for the torchdiffeq side of the benchmarks.

concatsquash layers (lib/layers/diffeq_layers/basic.py: ConcatSquashLinear), tanh or softplus between layers,
the exact trace by one autograd pass per dimension with create_graph=True (lib/layers/odefunc.py:
divergence_bf) or Hutchinson's estimator with fixed noise (divergence_approx), a
trainable end time T = s^2 (lib/layers/cnf.py: sqrt_end_time) and the standard normal base density. The
state is one tensor [z, logp] of shape (n, d + 1), which is what torchdiffeq makes of FFJORD's (z, logp) tuple.
"""
import math

import torch
import torch.nn as nn


class ConcatSquashLinear(nn.Module):
    def __init__(self, dim_in, dim_out):
        super().__init__()
        self._layer = nn.Linear(dim_in, dim_out)
        self._hyper_bias = nn.Linear(1, dim_out, bias=False)
        self._hyper_gate = nn.Linear(1, dim_out)

    def forward(self, t, x):
        tt = t.view(1, 1)
        return self._layer(x) * torch.sigmoid(self._hyper_gate(tt)) + self._hyper_bias(tt)


ACTIVATIONS = {"tanh": torch.tanh, "softplus": nn.functional.softplus}


class OdeNet(nn.Module):
    def __init__(self, dim, hidden, activation="tanh"):
        super().__init__()
        widths = [dim, *hidden, dim]
        self.layers = nn.ModuleList(ConcatSquashLinear(a, b) for a, b in zip(widths[:-1], widths[1:]))
        self.activation = ACTIVATIONS[activation]

    def forward(self, t, x):
        for i, layer in enumerate(self.layers):
            x = layer(t, x)
            if i + 1 < len(self.layers):
                x = self.activation(x)
        return x


class CnfFunc(nn.Module):
    """d[z, logp]/dt = [f(t, z), -tr(df/dz)]: the trace exactly (FFJORD's divergence_bf), or Hutchinson's
    estimate e^T (df/dz) e with the noise e held fixed (divergence_approx) when `noise` is set."""

    def __init__(self, dim, hidden, activation="tanh"):
        super().__init__()
        self.dim = dim
        self.net = OdeNet(dim, hidden, activation)
        self.nfe = 0
        self.noise = None

    def forward(self, t, state):
        self.nfe += 1
        with torch.enable_grad():
            z = state[:, :self.dim]
            if not z.requires_grad:
                z = z.requires_grad_(True)
            dz = self.net(t, z)
            if self.noise is not None:
                e_dzdx = torch.autograd.grad(dz, z, self.noise, create_graph=True)[0]
                div = (e_dzdx * self.noise).sum(1)
            else:
                div = 0.
                for i in range(self.dim):
                    div = div + torch.autograd.grad(dz[:, i].sum(), z, create_graph=True)[0][:, i]
        return torch.cat([dz, -div.unsqueeze(1)], 1)


class Cnf(nn.Module):
    def __init__(self, dim=2, hidden=(64, 64, 64), end_time=0.5, activation="tanh"):
        super().__init__()
        self.func = CnfFunc(dim, hidden, activation)
        self.sqrt_end_time = nn.Parameter(torch.tensor(math.sqrt(end_time)))

    def end_time(self):
        return self.sqrt_end_time * self.sqrt_end_time

    def times(self):
        return torch.stack([torch.zeros_like(self.sqrt_end_time), self.end_time()])


# The bench cases of bin/odeflow bench (executor-kernels/.../bench/BenchCase.java): dim, hidden, activation, trace.
CASES = {
    "ffjord-toy": (2, (64, 64, 64), "tanh", "exact"),
    "tabular-16": (16, (160, 160), "softplus", "gaussian"),
    "miniboone": (43, (860, 860), "softplus", "gaussian"),
}


def parse_args(argv, defaults, program):
    """key=value arguments over `defaults` (odeflow's bench style); an unknown key ends the program."""
    kv = dict(defaults)
    for a in argv:
        k, eq, v = a.partition("=")
        if k not in kv or not eq:
            raise SystemExit(f"{program}: unknown argument '{a}'; keys: {', '.join(kv)}")
        kv[k] = v
    return kv


def standard_normal_logprob(z):
    return -0.5 * z.shape[1] * math.log(2 * math.pi) - 0.5 * (z * z).sum(1)


def nll(cnf, x, odeint, method, options, rtol=1e-5, atol=1e-5, adjoint=True):
    """Mean negative log-likelihood of rows x: -mean(log N(z(T)) + integral of tr(df/dz))."""
    state0 = torch.cat([x, torch.zeros(x.shape[0], 1, dtype=x.dtype, device=x.device)], 1)
    kw = dict(method=method, options=options, rtol=rtol, atol=atol)
    if adjoint:
        kw["adjoint_params"] = tuple(cnf.func.parameters())
    state1 = odeint(cnf.func, state0, cnf.times(), **kw)[-1]
    z, logp = state1[:, :-1], state1[:, -1]
    return -(standard_normal_logprob(z) - logp).mean()


def eight_gaussians(n, rng):
    """FFJORD's lib/toy_data.py '8gaussians', vectorised: eight N(4c, 0.5^2) clusters, divided by 1.414."""
    import numpy as np
    r = 1 / math.sqrt(2)
    centers = 4 * np.array([(1, 0), (-1, 0), (0, 1), (0, -1), (r, r), (r, -r), (-r, r), (-r, -r)])
    x = rng.standard_normal((n, 2)) * 0.5 + centers[rng.integers(0, 8, n)]
    return x / 1.414
