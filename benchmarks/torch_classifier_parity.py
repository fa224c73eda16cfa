"""An independent check of odeflow's image classifiers against PyTorch + torchdiffeq: the same weights, the same
images, the same forward pass and the same gradient, in float64.

    bin/odeflow train conf/jobs/odenet-mnist.conf iterations=3 data.limit=600 eval.every=0 output.dir=/tmp/p
    bin/odeflow classify --model /tmp/p/model --input /usr/share/datasets/fashion-mnist --output /tmp/p/t10k.parquet
    bin/odeflow grad --model /tmp/p/model --input /usr/share/datasets/fashion-mnist --limit 128 > /tmp/p/adjoint.json
    bin/odeflow grad --model /tmp/p/model --input /usr/share/datasets/fashion-mnist --limit 128 gradient=direct \
        > /tmp/p/direct.json
    python3 benchmarks/torch_classifier_parity.py model=/tmp/p/model predictions=/tmp/p/t10k.parquet n=500 \
        grad=/tmp/p/adjoint.json,/tmp/p/direct.json

Builds torchdiffeq's odenet_mnist.py network (the peer's `model`, benchmarks/torchdiffeq_odenet_mnist.py) in
float64, loads odeflow's weights.safetensors by PyTorch's module names (so the names and layouts are checked too),
solves the ODE block with model.json's evaluation solver as odeflow does (classic rk4 with fixed steps: torchdiffeq's
own "rk4" is Kutta's 3/8 rule, so this script registers the classic tableau as a torchdiffeq solver), and compares
the class probabilities of the first n t10k images with the `probabilities` column odeflow's classify wrote; and,
for each `odeflow grad` JSON, the mean cross-entropy of the first `images` training images and its gradient for
every tensor (by name) with torchdiffeq's: `odeint_adjoint` for gradient_method adjoint, autograd through `odeint`
for direct, with the model's training rk4 steps (`steps`). Needs torch, torchdiffeq, numpy, pyarrow and
safetensors. Prints one JSON line per check; exits 1 when a relative difference exceeds 1e-9.
"""
import importlib
import json
import os
import sys

import numpy as np
import pyarrow.parquet as pq
import torch
from safetensors.torch import load_file

from torchdiffeq import odeint, odeint_adjoint
from torchdiffeq._impl.fixed_grid import FixedGridODESolver
from torchdiffeq._impl.misc import Perturb
from torchdiffeq._impl.rk_common import rk4_step_func

from ffjord_toy import parse_args
from torchdiffeq_odenet_mnist import idx, model

DEFAULTS = dict(model="", predictions="", n="500", grad="", steps="2", data="/usr/share/datasets/fashion-mnist")


class ClassicRK4(FixedGridODESolver):
    """The classic 4-stage tableau (odeflow's rk4), run by torchdiffeq's fixed-grid machinery and its adjoint."""
    order = 4

    def _step_func(self, func, t0, dt, t1, y0):
        f0 = func(t0, y0, perturb=Perturb.NEXT if self.perturb else Perturb.NONE)
        return rk4_step_func(func, t0, dt, t1, y0, f0=f0, perturb=self.perturb), f0


importlib.import_module("torchdiffeq._impl.odeint").SOLVERS["rk4_classic"] = ClassicRK4


def network(weights, block, end, steps, adjoint):
    net = model(dict(block=block, T=str(end), steps=str(steps), gradient="direct")).double()
    net.load_state_dict(weights, strict=True)  # every name and shape must match
    if block == "ode":
        ode = net[7]
        grid = torch.tensor([0.0, end], dtype=torch.float64)
        solve = odeint_adjoint if adjoint else odeint
        ode.forward = lambda x: solve(ode.odefunc, x, grid, method="rk4_classic",
                                      options=dict(step_size=end / steps))[1]
    return net


def main():
    a = parse_args(sys.argv[1:], DEFAULTS, "torch_classifier_parity.py")
    with open(os.path.join(a["model"], "model.json")) as f:
        meta = json.load(f)
    s = meta["settings"]
    if s.get("eval.method", "rk4") != "rk4" or int(s.get("eval.steps", 0)) < 1:
        raise SystemExit("this check steps classic rk4 with fixed steps: train with eval.method = rk4, eval.steps > 0")
    block = s["model.block"]
    end = float(s["model.T"])
    weights = {k: v.double() for k, v in load_file(os.path.join(a["model"], "weights.safetensors")).items()}
    worst = 0.0
    if a["predictions"]:
        net = network(weights, block, end, int(s["eval.steps"]), False).eval()
        n = int(a["n"])
        images = idx(a["data"], "t10k-images-idx3-ubyte")[:n]
        x = torch.from_numpy(images.astype(np.float64) / 255).unsqueeze(1)
        with torch.no_grad():
            theirs = torch.softmax(net(x), 1).numpy()
        table = pq.read_table(a["predictions"]).to_pydict()
        order = np.argsort(np.asarray(table["index"]))[:n]
        ours = np.asarray([table["probabilities"][i] for i in order], dtype=np.float64)
        diff = float(np.abs(ours - theirs).max())
        worst = max(worst, diff)
        print(json.dumps(dict(check="probabilities", block=block, images=n, max_abs_difference=diff,
                              same_prediction=int((ours.argmax(1) == theirs.argmax(1)).sum()))))
    for path in filter(None, a["grad"].split(",")):
        with open(path) as f:
            ours = json.load(f)
        n = int(ours["images"])
        adjoint = ours["gradient_method"] == "adjoint"
        net = network(weights, block, end, int(a["steps"]), adjoint).train()
        x = torch.from_numpy(idx(a["data"], "train-images-idx3-ubyte")[:n].astype(np.float64) / 255).unsqueeze(1)
        y = torch.from_numpy(idx(a["data"], "train-labels-idx1-ubyte")[:n].astype(np.int64))
        names = [name for name, _ in net.named_parameters()]
        loss = torch.nn.functional.cross_entropy(net(x), y)
        grads = dict(zip(names, torch.autograd.grad(loss, list(net.parameters()))))
        rel = {name: float(np.linalg.norm(np.asarray(ours["gradients"][name]) - g.numpy())
                           / max(np.linalg.norm(g.numpy()), 1e-300)) for name, g in grads.items()}
        loss_rel = abs(ours["loss"] - loss.item()) / abs(loss.item())
        top = max(rel, key=rel.get)
        worst = max(worst, loss_rel, rel[top])
        print(json.dumps(dict(check="gradient", gradient_method=ours["gradient_method"], steps=int(a["steps"]),
                              images=n, loss=loss.item(), loss_relative_difference=loss_rel, tensors=len(rel),
                              worst_tensor=top, worst_relative_difference=rel[top])))
    sys.exit(0 if worst <= 1e-9 else 1)


if __name__ == "__main__":
    main()
