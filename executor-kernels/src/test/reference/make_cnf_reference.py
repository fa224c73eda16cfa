#!/usr/bin/env python3
"""Independent reference values for odeflow's CNF: loss, log-densities and gradients by PyTorch autograd.

Nothing here comes from odeflow. The ODEnet is built from FFJORD's layer formulas
(lib/layers/diffeq_layers/basic.py):

    ConcatLinear:        y = W [t; x] + b                       (weight column 0 multiplies t)
    ConcatSquashLinear:  y = (W x + b) * sigmoid(W_g t + b_g) + W_hb t

with the activation after every layer but the last (FFJORD's ODEnet). The CNF is FFJORD's
(lib/layers/cnf.py, odefunc.py, train_toy.py): state (z, dlogp), dz/dt = f(t, z),
d dlogp/dt = -tr(df/dz) (exact trace, "brute_force", by autograd), integrated from the data at t = 0 to
t = T = sqrt_end_time^2, and

    log p(x) = log N(z(T); 0, I) - dlogp(T),    loss = -mean_i log p(x_i).

Two solvers: a fixed-step classical RK4 written below, and torchdiffeq's dopri5 at rtol = atol = 1e-12.
Gradients are torch autograd through the solver's operations (direct backprop, not the adjoint), with
respect to every parameter tensor, sqrt_end_time, T and the input points. For dopri5 the problem is solved
on tau in [0, 1] with dynamics T f(tau T, .) (the same ODE), so that T enters as an ordinary tensor.

A case with a standardization x' = (x - mean) / std gives data-space values:
log p_data(x) = log p(x') - sum_j log std_j, and gradients with respect to the data-space x.

Usage (from the repository root):  python3 executor-kernels/src/test/reference/make_cnf_reference.py
It rewrites executor-kernels/src/test/resources/reference/cnf_reference.json (latent-space cases, read by
executor-kernels' ReferenceFixtureTest) and jobs/src/test/resources/reference/cnf_reference_standardized.json
(the standardized case, read by jobs' StandardizedReferenceTest). Both record this script's sha256.
"""

import hashlib
import json
import math
import os
import platform
import sys

import torch
import torch.nn.functional as F
import torchdiffeq

torch.set_default_dtype(torch.float64)

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", "..", "..", ".."))
KERNELS_OUT = os.path.join(ROOT, "executor-kernels", "src", "test", "resources", "reference", "cnf_reference.json")
JOBS_OUT = os.path.join(ROOT, "jobs", "src", "test", "resources", "reference", "cnf_reference_standardized.json")
SCRIPT_PATH = "executor-kernels/src/test/reference/make_cnf_reference.py"

DOPRI5_TOL = 1e-12
LOG_2PI = math.log(2 * math.pi)

ACTIVATIONS = {"tanh": torch.tanh, "softplus": F.softplus, "elu": F.elu}


def script_sha256():
    with open(os.path.abspath(__file__), "rb") as fh:
        return hashlib.sha256(fh.read()).hexdigest()


# ----------------------------------------------------------------------------------------------- the ODEnet

def tensor_specs(widths, layer):
    """FFJORD ODEnet state_dict names and shapes, in state_dict order."""
    specs = []
    for l in range(len(widths) - 1):
        i, o = widths[l], widths[l + 1]
        p = "layers.%d." % l
        if layer == "concatsquash":
            specs += [(p + "_layer.weight", [o, i]), (p + "_layer.bias", [o]),
                      (p + "_hyper_bias.weight", [o, 1]), (p + "_hyper_gate.weight", [o, 1]),
                      (p + "_hyper_gate.bias", [o])]
        elif layer == "concat":
            specs += [(p + "_layer.weight", [o, i + 1]), (p + "_layer.bias", [o])]
        else:
            raise ValueError(layer)
    return specs


def init_params(widths, layer, gen, scale):
    """nn.Linear's default U(-1/sqrt(fan_in), 1/sqrt(fan_in)) for every tensor, times `scale`."""
    params = {}
    for name, shape in tensor_specs(widths, layer):
        if "_hyper" in name:
            fan_in = 1
        elif layer == "concat":
            fan_in = widths[int(name.split(".")[1])] + 1
        else:
            fan_in = widths[int(name.split(".")[1])]
        bound = 1.0 / math.sqrt(fan_in)
        u = torch.rand(shape, generator=gen, dtype=torch.float64)
        params[name] = ((2 * u - 1) * bound * scale).requires_grad_(True)
    return params


def odenet(t, x, params, widths, layer, activation):
    act = ACTIVATIONS[activation]
    n_layers = len(widths) - 1
    tt = t.reshape(1, 1)
    for l in range(n_layers):
        p = "layers.%d." % l
        if layer == "concatsquash":
            lin = x @ params[p + "_layer.weight"].T + params[p + "_layer.bias"]
            gate = torch.sigmoid(tt @ params[p + "_hyper_gate.weight"].T + params[p + "_hyper_gate.bias"])
            x = lin * gate + tt @ params[p + "_hyper_bias.weight"].T
        else:
            tcol = torch.ones_like(x[:, :1]) * t
            x = torch.cat([tcol, x], 1) @ params[p + "_layer.weight"].T + params[p + "_layer.bias"]
        if l < n_layers - 1:
            x = act(x)
    return x


def augmented(t, z, params, spec):
    """(f, -tr(df/dz)) with the exact trace, differentiable (create_graph) for the outer backward pass."""
    with torch.enable_grad():
        if not z.requires_grad:
            z = z.requires_grad_(True)
        f = odenet(t, z, params, spec["widths"], spec["layer"], spec["activation"])
        tr = torch.zeros(z.shape[0], dtype=z.dtype)
        for i in range(z.shape[1]):
            tr = tr + torch.autograd.grad(f[:, i].sum(), z, create_graph=True)[0][:, i]
    return f, -tr


# ----------------------------------------------------------------------------------------------- the solvers

def solve_rk4(z0, T, params, spec, steps):
    """Classical RK4 (1/6, 1/3, 1/3, 1/6) with `steps` equal steps on [0, T]."""
    h = T / steps
    z = z0
    lp = torch.zeros(z0.shape[0], dtype=z0.dtype)
    for k in range(steps):
        t = k * h
        k1z, k1l = augmented(t, z, params, spec)
        k2z, k2l = augmented(t + h / 2, z + h / 2 * k1z, params, spec)
        k3z, k3l = augmented(t + h / 2, z + h / 2 * k2z, params, spec)
        k4z, k4l = augmented(t + h, z + h * k3z, params, spec)
        z = z + h * (k1z / 6 + k2z / 3 + k3z / 3 + k4z / 6)
        lp = lp + h * (k1l / 6 + k2l / 3 + k3l / 3 + k4l / 6)
    return z, lp


def solve_dopri5(z0, T, params, spec, tol):
    nfe = [0]

    def rescaled(tau, state):
        nfe[0] += 1
        f, dl = augmented(tau * T, state[0], params, spec)
        return T * f, T * dl

    lp0 = torch.zeros(z0.shape[0], dtype=z0.dtype)
    zs, lps = torchdiffeq.odeint(rescaled, (z0, lp0), torch.tensor([0.0, 1.0]), method="dopri5",
                                 rtol=tol, atol=tol)
    return zs[-1], lps[-1], nfe[0]


# ----------------------------------------------------------------------------------------------- one case

def evaluate(spec, solver, params, s, x, mean=None, std=None):
    """Loss, per-point log-densities and the gradients (autograd) for one solver."""
    for p in params.values():
        p.grad = None
    s.grad = None
    x.grad = None
    T = s * s
    T.retain_grad()
    z0 = x if mean is None else (x - mean) / std
    info = {}
    if solver["method"] == "rk4":
        zT, dlogp = solve_rk4(z0, T, params, spec, solver["steps"])
    else:
        zT, dlogp, nfe = solve_dopri5(z0, T, params, spec, solver["rtol"])
        info["nfe_forward"] = nfe
    d = x.shape[1]
    logpz = -0.5 * (zT * zT).sum(1) - 0.5 * d * LOG_2PI
    logpx = logpz - dlogp
    if std is not None:
        logpx = logpx - torch.log(std).sum()
    loss = -logpx.mean()
    loss.backward()
    out = {
        "solver": solver,
        "loss": loss.item(),
        "log_density": logpx.detach().tolist(),
        "z_T": zT.detach().flatten().tolist(),
        "delta_logp_T": dlogp.detach().tolist(),
        "gradients": {name: p.grad.flatten().tolist() for name, p in params.items()},
    }
    out["gradients"]["sqrt_end_time"] = [s.grad.item()]
    out["grad_end_time"] = T.grad.item()
    out["grad_x"] = x.grad.flatten().tolist()
    out["mean_displacement"] = (zT - z0).detach().norm(dim=1).mean().item()
    out.update(info)
    return out


def max_rel(a, b, floor_frac):
    """Largest |a-b| / max(|b|, floor_frac * max|b|) over a flat list."""
    scale = max(abs(v) for v in b)
    return max(abs(p - q) / max(abs(q), floor_frac * scale, 1e-300) for p, q in zip(a, b))


def self_check(res, ref):
    """How far apart two solves of the same case are (an estimate of the reference's own error)."""
    worst = abs(res["loss"] - ref["loss"]) / abs(ref["loss"])
    grads = 0.0
    for k, v in ref["gradients"].items():
        grads = max(grads, max_rel(res["gradients"][k], v, 1e-4))
    grads = max(grads, max_rel(res["grad_x"], ref["grad_x"], 1e-4))
    return {"loss_rel": worst, "grad_rel_max": grads}


def make_case(name, description, widths, layer, activation, end_time, n, seed, scale, solvers,
              data_scale=1.5, mean=None, std=None, check_steps=None):
    gen = torch.Generator().manual_seed(seed)
    spec = {"widths": widths, "layer": layer, "activation": activation}
    params = init_params(widths, layer, gen, scale)
    s = torch.tensor(math.sqrt(end_time), requires_grad=True)
    x = (torch.randn(n, widths[0], generator=gen, dtype=torch.float64) * data_scale)
    m = std_t = None
    if mean is not None:
        m = torch.tensor(mean)
        std_t = torch.tensor(std)
        x = x * std_t + m  # points in data space, roughly where the standardization puts them at ~N(0, 1.5^2)
    x = x.detach().requires_grad_(True)
    results = [evaluate(spec, sv, params, s, x, m, std_t) for sv in solvers]
    case = {
        "name": name,
        "description": description,
        "seed": seed,
        "init_scale": scale,
        "dim": widths[0],
        "hidden": widths[1:-1],
        "layer": layer,
        "activation": activation,
        "divergence": "exact",
        "n": n,
        "x": x.detach().flatten().tolist(),
        "tensors": [{"name": nm, "shape": shp, "values": params[nm].detach().flatten().tolist()}
                    for nm, shp in tensor_specs(widths, layer)]
                   + [{"name": "sqrt_end_time", "shape": [], "values": [s.item()]}],
        "end_time": (s * s).item(),
        "results": results,
    }
    if mean is not None:
        case["standardization"] = {"mean": mean, "std": std}
    if check_steps is not None:
        fine = evaluate(spec, {"method": "rk4", "steps": check_steps}, params, s, x, m, std_t)
        for r in results:
            r["agreement_with_rk4_%d_steps" % check_steps] = self_check(r, fine)
    print("%-28s %s" % (name, "  ".join("%s loss=%.15g" % (r["solver"]["method"], r["loss"]) for r in results)),
          file=sys.stderr)
    return case


def provenance():
    return {
        "script": SCRIPT_PATH,
        "script_sha256": script_sha256(),
        "python": platform.python_version(),
        "torch": torch.__version__,
        "torchdiffeq": torchdiffeq.__version__,
        "dtype": "float64",
        "gradient": "torch autograd through the solver's operations (direct backprop, no adjoint)",
        "trace": "exact, by autograd (one grad per dimension, create_graph=True)",
        "conventions": "FFJORD: x at t=0, z(T) ~ N(0, I), log p(x) = log N(z(T)) - dlogp(T), "
                       "d dlogp/dt = -tr(df/dz), T = sqrt_end_time^2, loss = mean NLL",
        "layout": "tensors in FFJORD ODEnet state_dict order, row-major, then sqrt_end_time",
    }


def main():
    tight = {"method": "dopri5", "rtol": DOPRI5_TOL, "atol": DOPRI5_TOL}
    cases = [
        make_case("concatsquash-tanh-small", "seeded FFJORD-style toy net, PyTorch-default init",
                  [2, 8, 8, 2], "concatsquash", "tanh", 0.7, 6, 101, 1.0,
                  [{"method": "rk4", "steps": 20}, tight], check_steps=1000),
        make_case("concat-softplus-small", "seeded concat net with softplus, one hidden layer",
                  [2, 12, 2], "concat", "softplus", 0.5, 6, 202, 1.0,
                  [{"method": "rk4", "steps": 16}, tight], check_steps=1000),
        make_case("concatsquash-softplus-small", "seeded concatsquash net with softplus",
                  [2, 10, 10, 2], "concatsquash", "softplus", 1.0, 5, 303, 1.0,
                  [{"method": "rk4", "steps": 12}, tight], check_steps=1000),
        make_case("concat-tanh-small", "seeded concat net with tanh, two hidden layers",
                  [2, 8, 8, 2], "concat", "tanh", 0.8, 5, 404, 1.0,
                  [{"method": "rk4", "steps": 10}, tight], check_steps=1000),
        make_case("concatsquash-tanh-trained-looking",
                  "larger weights (init x2.5) and T = 1.3: the flow moves the points by a distance comparable "
                  "to their spread, with strongly non-constant divergence",
                  [2, 16, 16, 2], "concatsquash", "tanh", 1.3, 8, 505, 2.5,
                  [{"method": "rk4", "steps": 40}, tight], check_steps=2000),
    ]
    root = {"format": 1, "provenance": provenance(), "cases": cases}
    standardized = {"format": 1, "provenance": provenance(), "cases": [
        make_case("concatsquash-tanh-standardized",
                  "data-space log-density under x' = (x - mean) / std: log p(x) = log p'(x') - sum log std",
                  [2, 8, 8, 2], "concatsquash", "tanh", 0.9, 6, 606, 1.5,
                  [{"method": "rk4", "steps": 20}, tight], mean=[1.5, -0.7], std=[2.0, 0.5], check_steps=1000),
    ]}
    for path, doc in ((KERNELS_OUT, root), (JOBS_OUT, standardized)):
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as fh:
            json.dump(doc, fh, indent=1)
            fh.write("\n")
        print("wrote %s (%d bytes)" % (os.path.relpath(path, ROOT), os.path.getsize(path)), file=sys.stderr)


if __name__ == "__main__":
    main()
