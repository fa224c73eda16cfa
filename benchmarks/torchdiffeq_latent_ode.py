"""The torchdiffeq side of the latent ODE on bi-directional spirals (Chen et al. 2018 §5; torchdiffeq's
examples/latent_ode.py), on odeflow's recipe:

    python3 benchmarks/torchdiffeq_latent_ode.py threads=2 dtype=float32 dynamics=ode gradient=adjoint

Data (generate_spiral2d with latent_ode.py's main parameters): n spirals (default 1000), ntotal = 500 points on
orig_ts = linspace(0, 6π, 500), nsample = 100, samp_ts = orig_ts[:100], noise 0.3, a = 0, b = 0.3. Clockwise:
zs = 6π + 1 − orig_ts, r = a + b·50/zs, (r cos zs − 5, r sin zs); counter-clockwise: zs = orig_ts,
r = a + b·zs, (r cos zs + 5, r sin zs). With numpy's default_rng(seed), per spiral in this order: cc when
random() < 1/2, t0 = nsample + integers(0, ntotal − 2·nsample) (uniform in [100, 400), as latent_ode.py draws
it), the points orig_traj[t0 : t0 + 100] plus standard_normal((100, 2))·0.3 at times samp_ts, then its first
point, 29 more of its first 50 (1 + sorted choice(49, 29, replace=False)) and all 50 of its second half: 80
observations at irregular times, as odeflow's toy:bispirals (BiSpiralSeries) keeps them. Then
permutation(n) splits the series 80/10/10 into train / validation (unused) / test. Times are taken relative to
each series' first observation. A series' context is its first observations with t ≤ context·t_last (relative
slack 1e-9; at least one): with context = 0.5 exactly its 30 first-half points (its span runs from sample 0 to
sample 99).

Model (PyTorch default initialisation, float32 or float64): an nn.GRUCell(3, 25) reads each series' context
backwards in time from h = 0, fed (x, y, Δt) with Δt = 0 for the last context observation and t_{j+1} − t_j for
observation j after it (rows with shorter contexts hold their state); nn.Linear(25, 8) gives μ = out[:, :4],
logvar = out[:, 4:]; z0 = μ + ε·exp(logvar/2). dynamics=ode: the autonomous field Linear(4, 20)-ELU-
Linear(20, 20)-ELU-Linear(20, 4) solved from z0 at relative time 0 once over the sorted union of the batch's
relative times (times within 1e-9 relative merged, as odeflow's UnionTimes), method rk4 (torchdiffeq's fixed
grid: one step per interval of the union), each series' states picked out of the solution at its own times;
gradient=adjoint (odeint_adjoint, same method) or direct (odeint). dynamics=gru (the RNN baseline): z steps
between a series' consecutive observation times with nn.GRUCell(1, 4) fed Δt, from z0 at its first observation.
Decoder Linear(4, 20)-ELU-Linear(20, 2) at every observation.

Loss per series: Σ over its 80 observations and both dims of 0.5·(e²/0.3² + log(2π·0.3²)) plus
KL(N(μ, e^logvar) ‖ N(0, I)) = Σ 0.5·(μ² + e^logvar − 1 − logvar); a batch's loss is the mean over its series.
Each iteration draws `batch` training series without replacement (rng.choice); Adam at lr, no schedule unless
min_lr is given (then a cosine decay from lr to min_lr over the iterations). torch.manual_seed(seed) for the
initialisation and ε.

Evaluation after training with z0 = μ and dopri5 at rtol = atol = 1e-6 (odeflow's eval.* in
conf/jobs/latent-ode-spirals.conf; no gradient): interpolation RMSE over the context
observations and extrapolation RMSE over the later ones, √(mean squared error over values) against the noisy
observations, on the test and on the training series; final_loss is the last iteration's batch loss. Prints one
JSON line; nfe_forward_mean counts the field's evaluations per training forward solve (null for gru; 396 =
4 × 99 intervals at batch 100). On 2 cores shared with other work, threads=2 runs about 10x slower than
threads=1 (the threads wait on each other); time on an idle machine or with threads=1.
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

DEFAULTS = dict(n="1000", iterations="1000", batch="100", lr="1e-2", min_lr="none", seed="0", threads="2",
                dtype="float32", gradient="adjoint", dynamics="ode", context="0.5")
NTOTAL, NSAMPLE, STOP, NOISE, A, B = 500, 100, 6 * math.pi, 0.3, 0.0, 0.3
KEEP_EARLY, LATENT, MERGE, SLACK = 29, 4, 1e-9, 1e-9


def generate(n, rng):
    """(times (n, 80), values (n, 80, 2)) in float64: the spirals as the docstring says."""
    orig_ts = np.linspace(0, STOP, NTOTAL)
    samp_ts = orig_ts[:NSAMPLE]
    zs = STOP + 1 - orig_ts
    rs = A + B * 50 / zs
    cw = np.stack((rs * np.cos(zs) - 5, rs * np.sin(zs)), axis=1)
    zs = orig_ts
    rw = A + B * zs
    cc = np.stack((rw * np.cos(zs) + 5, rw * np.sin(zs)), axis=1)
    half = NSAMPLE // 2
    times = np.empty((n, 1 + KEEP_EARLY + NSAMPLE - half))
    values = np.empty((n, 1 + KEEP_EARLY + NSAMPLE - half, 2))
    for i in range(n):
        orig = cc if rng.random() < 0.5 else cw
        t0 = NSAMPLE + rng.integers(0, NTOTAL - 2 * NSAMPLE)
        samp = orig[t0:t0 + NSAMPLE] + rng.standard_normal((NSAMPLE, 2)) * NOISE
        early = 1 + np.sort(rng.choice(half - 1, KEEP_EARLY, replace=False))
        keep = np.concatenate(([0], early, np.arange(half, NSAMPLE)))
        times[i] = samp_ts[keep]
        values[i] = samp[keep]
    return times, values


def context_counts(rel, context):
    """Per series, how many of its first observations have relative time ≤ context·t_last (at least one)."""
    cut = context * rel[:, -1:] * (1 + SLACK)
    return np.maximum(1, (rel <= cut).sum(1))


def union_times(rel):
    """The sorted union of the rows' times (merged within MERGE relative) and each observation's entry in it."""
    flat = rel.ravel()
    order = np.argsort(flat, kind="stable")
    v = flat[order]
    new = np.empty(len(v), dtype=bool)
    new[0] = True
    new[1:] = np.diff(v) > MERGE * np.maximum(1, np.abs(v[1:]))
    group = np.cumsum(new) - 1
    index = np.empty(len(v), dtype=np.int64)
    index[order] = group
    return v[new], index.reshape(rel.shape)


class Batch:
    """What a set of series needs on the torch side: values, the encoder's inputs, the union and its indices."""

    def __init__(self, rel, values, ctx, dtype):
        b, m = rel.shape
        self.values = torch.from_numpy(values).to(dtype)
        self.ctx = torch.from_numpy(ctx)
        steps = int(ctx.max())
        enc = np.zeros((steps, b, 3))
        active = np.zeros((steps, b), dtype=bool)
        rows = np.arange(b)
        for s in range(steps):
            active[s] = s < ctx
            j = np.maximum(ctx - 1 - s, 0)
            enc[s, :, :2] = values[rows, j]
            if s > 0:
                enc[s, :, 2] = rel[rows, j + 1] - rel[rows, j]
        self.enc = torch.from_numpy(enc).to(dtype)
        self.active = torch.from_numpy(active)
        union, index = union_times(rel)
        self.union = torch.from_numpy(union).to(dtype)
        self.index = torch.from_numpy(index)
        self.in_context = torch.from_numpy(np.arange(m)[None, :] < ctx[:, None])
        # The GRU baseline: per union time u >= 1, whether each series is observed there and the gap since its
        # previous observation.
        observed = np.zeros((len(union), b), dtype=bool)
        observed[index, rows[:, None]] = True
        gaps = np.zeros((len(union), b))
        last = np.zeros(b)
        for u in range(1, len(union)):
            gaps[u] = union[u] - last
            last = np.where(observed[u], union[u], last)
        self.observed = torch.from_numpy(observed)
        self.gaps = torch.from_numpy(gaps).to(dtype)


class Field(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(LATENT, 20), nn.ELU(), nn.Linear(20, 20), nn.ELU(), nn.Linear(20, LATENT))
        self.nfe = 0

    def forward(self, t, z):
        self.nfe += 1
        return self.net(z)


class LatentModel(nn.Module):
    def __init__(self, dynamics, gradient):
        super().__init__()
        self.encoder = nn.GRUCell(3, 25)
        self.h2o = nn.Linear(25, 2 * LATENT)
        self.dynamics = dynamics
        if dynamics == "ode":
            self.field = Field()
        else:
            self.rnn = nn.GRUCell(1, LATENT)
        self.decoder = nn.Sequential(nn.Linear(LATENT, 20), nn.ELU(), nn.Linear(20, 2))
        self.solve = odeint_adjoint if gradient == "adjoint" else odeint

    def encode(self, b):
        h = torch.zeros(b.enc.shape[1], 25, dtype=b.enc.dtype)
        for s in range(b.enc.shape[0]):
            h = torch.where(b.active[s, :, None], self.encoder(b.enc[s], h), h)
        out = self.h2o(h)
        return out[:, :LATENT], out[:, LATENT:]

    def path(self, b, z0, training):
        """The latent states at the union's times, (U, batch, LATENT)."""
        if self.dynamics == "ode":
            if training:
                return self.solve(self.field, z0, b.union, method="rk4")
            return odeint(self.field, z0, b.union, method="dopri5", rtol=1e-6, atol=1e-6)
        states = [z0]
        z = z0
        for u in range(1, len(b.union)):
            z = torch.where(b.observed[u, :, None], self.rnn(b.gaps[u, :, None], z), z)
            states.append(z)
        return torch.stack(states)

    def decode(self, b, states):
        """x̂ at every observation, (batch, m, 2): each series' states at its own times."""
        rows = torch.arange(b.index.shape[0])[:, None]
        return self.decoder(states[b.index, rows])


def neg_elbo(model, b):
    mu, logvar = model.encode(b)
    z0 = mu + torch.randn_like(mu) * torch.exp(0.5 * logvar)
    if model.dynamics == "ode":
        model.field.nfe = 0
    states = model.path(b, z0, training=True)
    nfe = model.field.nfe if model.dynamics == "ode" else None
    err = model.decode(b, states) - b.values
    var = NOISE * NOISE
    nll = (0.5 * (err * err / var + math.log(2 * math.pi * var))).sum((1, 2))
    kl = (0.5 * (mu * mu + torch.exp(logvar) - 1 - logvar)).sum(1)
    return (nll + kl).mean(), nfe


@torch.no_grad()
def rmses(model, b):
    """(interpolation RMSE, extrapolation RMSE) with z0 = μ."""
    mu, _ = model.encode(b)
    sq = ((model.decode(b, model.path(b, mu, training=False)) - b.values) ** 2).sum(2)
    ctx = b.in_context
    interp = sq[ctx].sum() / (2 * ctx.sum())
    extrap = sq[~ctx].sum() / (2 * (~ctx).sum())
    return math.sqrt(interp.item()), math.sqrt(extrap.item())


def main(argv):
    kv = parse_args(argv, DEFAULTS, "torchdiffeq_latent_ode")
    if kv["dynamics"] not in ("ode", "gru") or kv["gradient"] not in ("adjoint", "direct"):
        raise SystemExit("torchdiffeq_latent_ode: dynamics is ode or gru, gradient adjoint or direct")
    torch.set_num_threads(int(kv["threads"]))
    torch.manual_seed(int(kv["seed"]))
    rng = np.random.default_rng(int(kv["seed"]))
    dtype = {"float64": torch.float64, "float32": torch.float32}[kv["dtype"]]
    n, iters, batch = (int(kv[k]) for k in ("n", "iterations", "batch"))
    lr = float(kv["lr"])
    min_lr = None if kv["min_lr"] in ("none", "") else float(kv["min_lr"])

    times, values = generate(n, rng)
    perm = rng.permutation(n)
    train, test = perm[:int(0.8 * n)], perm[int(0.9 * n):]
    rel = times - times[:, :1]
    ctx = context_counts(rel, float(kv["context"]))

    model = LatentModel(kv["dynamics"], kv["gradient"]).to(dtype)
    adam = torch.optim.Adam(model.parameters(), lr=lr)
    nfes = []
    loss = None
    t0 = time.perf_counter()
    for it in range(iters):
        s = rng.choice(train, batch, replace=False)
        b = Batch(rel[s], values[s], ctx[s], dtype)
        if min_lr is not None:
            for group in adam.param_groups:
                group["lr"] = min_lr + (lr - min_lr) * 0.5 * (1 + math.cos(math.pi * it / iters))
        adam.zero_grad()
        loss, nfe = neg_elbo(model, b)
        if nfe is not None:
            nfes.append(nfe)
        loss.backward()
        adam.step()
    train_s = time.perf_counter() - t0

    test_i, test_e = rmses(model, Batch(rel[test], values[test], ctx[test], dtype))
    train_i, train_e = rmses(model, Batch(rel[train], values[train], ctx[train], dtype))
    print(json.dumps(dict(peer="torchdiffeq", dynamics=kv["dynamics"], gradient=kv["gradient"], dtype=kv["dtype"],
                          iterations=iters, train_s=train_s, seconds_per_iteration=train_s / max(iters, 1),
                          final_loss=None if loss is None else loss.item(),
                          test_interp_rmse=test_i, test_extrap_rmse=test_e,
                          train_interp_rmse=train_i, train_extrap_rmse=train_e,
                          nfe_forward_mean=float(np.mean(nfes)) if nfes else None)), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
