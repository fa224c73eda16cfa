"""The torchdiffeq side of the image classifiers (the seeds' MNIST table; torchdiffeq's examples/odenet_mnist.py
with --downsampling-method conv), on odeflow's recipe (conf/jobs/{odenet,rknet,resnet,mlp}-mnist.conf):

    python3 benchmarks/torchdiffeq_odenet_mnist.py block=ode gradient=adjoint steps=2 epochs=1 threads=2

Model: odenet_mnist.py's, written out: Conv2d(1, 64, 3, 1), norm, ReLU, Conv2d(64, 64, 4, 2, 1), norm, ReLU,
Conv2d(64, 64, 4, 2, 1), the feature layers, norm, ReLU, AdaptiveAvgPool2d(1), Flatten, Linear(64, 10), with
norm(c) = GroupNorm(min(32, c), c). block=ode: one ODEBlock(ODEfunc(64)) (norm, ReLU, ConcatConv2d(64, 64, 3, 1, 1),
norm, ReLU, ConcatConv2d, norm) solved over [0, T] by rk4 with `steps` fixed steps (step_size = T/steps);
gradient=adjoint (odeint_adjoint: ODE-Net) or direct (odeint's backprop: RK-Net). block=resnet: six
ResBlock(64, 64). block=mlp: Flatten, Linear(784, 300), ReLU, Linear(300, 10). PyTorch's default initialisation.

Data: MNIST-format IDX files (gzipped or not) in `data` (default Debian's dataset-fashion-mnist), pixels / 255
(ToTensor; no augmentation). The first `train` images of the training files (all when 0) train; the t10k files
test. Each epoch visits the training images in a random order in batches of `batch` (the last one smaller),
for `epochs` epochs or, when `iterations` is set, that many batches;
SGD with momentum 0.9 at `lr`, cross-entropy loss (odenet_mnist.py's optimizer); schedule=cosine decays the rate
to 0 at the last iteration as odeflow's optim.schedule = cosine does (lr·½(1 + cos(π·t/(iterations − 1))) at
iteration t from 0), schedule=none keeps it.

Prints one JSON line: parameters, training seconds and their rate per epoch (train_s / iterations · batches per
epoch), the test error after training (evaluation with the
same solver), the mean NFE per forward solve, iterations.
"""
import gzip
import json
import math
import os
import struct
import sys
import time

import numpy as np
import torch
import torch.nn as nn
from torchdiffeq import odeint, odeint_adjoint

from ffjord_toy import parse_args

DEFAULTS = dict(block="ode", gradient="adjoint", steps="2", T="1", epochs="1", iterations="0", train="0", batch="128", lr="0.1",
                schedule="none", seed="0", threads="2", dtype="float32", data="/usr/share/datasets/fashion-mnist")


def idx(folder, stem):
    for name in (stem, stem + ".gz"):
        path = os.path.join(folder, name)
        if os.path.exists(path):
            with (gzip.open if name.endswith(".gz") else open)(path, "rb") as f:
                raw = f.read()
            magic, = struct.unpack(">I", raw[:4])
            dims = struct.unpack(">" + "I" * (magic & 0xff), raw[4:4 + 4 * (magic & 0xff)])
            return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * len(dims)).reshape(dims)
    raise SystemExit(f"no {stem}[.gz] in {folder}")


def norm(c):
    return nn.GroupNorm(min(32, c), c)


class ConcatConv2d(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        self._layer = nn.Conv2d(cin + 1, cout, 3, 1, 1)

    def forward(self, t, x):
        return self._layer(torch.cat([torch.ones_like(x[:, :1]) * t, x], 1))


class ODEfunc(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.norm1, self.norm2, self.norm3 = norm(c), norm(c), norm(c)
        self.conv1, self.conv2 = ConcatConv2d(c, c), ConcatConv2d(c, c)
        self.relu = nn.ReLU()
        self.nfe = 0

    def forward(self, t, x):
        self.nfe += 1
        out = self.conv1(t, self.relu(self.norm1(x)))
        return self.norm3(self.conv2(t, self.relu(self.norm2(out))))


class ODEBlock(nn.Module):
    def __init__(self, func, end, steps, adjoint):
        super().__init__()
        self.odefunc = func
        self.end, self.steps, self.adjoint = end, steps, adjoint

    def forward(self, x):
        t = torch.tensor([0.0, self.end], dtype=x.dtype)
        solve = odeint_adjoint if self.adjoint and self.training else odeint
        opts = dict(step_size=self.end / self.steps)
        return solve(self.odefunc, x, t, method="rk4", options=opts)[1]


class ResBlock(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.norm1, self.norm2 = norm(c), norm(c)
        self.conv1 = nn.Conv2d(c, c, 3, 1, 1, bias=False)
        self.conv2 = nn.Conv2d(c, c, 3, 1, 1, bias=False)
        self.relu = nn.ReLU()

    def forward(self, x):
        return x + self.conv2(self.relu(self.norm2(self.conv1(self.relu(self.norm1(x))))))


def model(a):
    if a["block"] == "mlp":
        return nn.Sequential(nn.Flatten(), nn.Linear(784, 300), nn.ReLU(), nn.Linear(300, 10))
    down = [nn.Conv2d(1, 64, 3, 1), norm(64), nn.ReLU(), nn.Conv2d(64, 64, 4, 2, 1), norm(64), nn.ReLU(),
            nn.Conv2d(64, 64, 4, 2, 1)]
    if a["block"] == "ode":
        feature = [ODEBlock(ODEfunc(64), float(a["T"]), int(a["steps"]), a["gradient"] == "adjoint")]
    else:
        feature = [ResBlock(64) for _ in range(6)]
    head = [norm(64), nn.ReLU(), nn.AdaptiveAvgPool2d((1, 1)), nn.Flatten(), nn.Linear(64, 10)]
    return nn.Sequential(*down, *feature, *head)


def main():
    a = parse_args(sys.argv[1:], DEFAULTS, "torchdiffeq_odenet_mnist.py")
    torch.set_num_threads(int(a["threads"]))
    torch.manual_seed(int(a["seed"]))
    dtype = dict(float32=torch.float32, float64=torch.float64)[a["dtype"]]
    x = idx(a["data"], "train-images-idx3-ubyte")
    y = idx(a["data"], "train-labels-idx1-ubyte")
    if int(a["train"]) > 0:
        x, y = x[:int(a["train"])], y[:int(a["train"])]
    xt = idx(a["data"], "t10k-images-idx3-ubyte")
    yt = idx(a["data"], "t10k-labels-idx1-ubyte")
    x = torch.from_numpy(x.astype(np.float64) / 255).to(dtype).unsqueeze(1)
    xt = torch.from_numpy(xt.astype(np.float64) / 255).to(dtype).unsqueeze(1)
    y, yt = torch.from_numpy(y.astype(np.int64)), torch.from_numpy(yt.astype(np.int64))
    net = model(a).to(dtype)
    params = sum(p.numel() for p in net.parameters())
    opt = torch.optim.SGD(net.parameters(), lr=float(a["lr"]), momentum=0.9)
    loss_fn = nn.CrossEntropyLoss()
    batch = int(a["batch"])
    func = net[7].odefunc if a["block"] == "ode" else None
    epoch_s, iterations, solves, nfe = [], 0, 0, 0
    per_epoch = -(-len(x) // batch)
    total = int(a["iterations"]) or int(a["epochs"]) * per_epoch
    base_lr = float(a["lr"])
    if a["schedule"] not in ("none", "cosine"):
        raise SystemExit("schedule must be none or cosine, got " + a["schedule"])

    def lr_at(t):
        if a["schedule"] == "none":
            return base_lr
        return base_lr * 0.5 * (1 + math.cos(math.pi * min(1.0, t / max(1, total - 1))))
    while iterations < total:
        net.train()
        order = torch.randperm(len(x))
        start = time.perf_counter()
        for b in range(0, min(len(x), (total - iterations) * batch), batch):
            rows = order[b:b + batch]
            for g in opt.param_groups:
                g["lr"] = lr_at(iterations)
            opt.zero_grad()
            if func is not None:
                func.nfe = 0
            loss = loss_fn(net(x[rows]), y[rows])
            if func is not None:
                nfe += func.nfe
                solves += 1
            loss.backward()
            opt.step()
            iterations += 1
        epoch_s.append(time.perf_counter() - start)
    net.eval()
    wrong = 0
    with torch.no_grad():
        for b in range(0, len(xt), 1000):
            wrong += (net(xt[b:b + 1000]).argmax(1) != yt[b:b + 1000]).sum().item()
    print(json.dumps(dict(peer="torchdiffeq", block=a["block"], gradient=a["gradient"], steps=int(a["steps"]),
                          dtype=a["dtype"], schedule=a["schedule"], threads=int(a["threads"]), parameters=params, train_images=len(x),
                          epochs=len(epoch_s), iterations=iterations, train_s=sum(epoch_s),
                          epoch_s=sum(epoch_s) / iterations * per_epoch,
                          test_error=wrong / len(xt),
                          nfe_forward_mean=(nfe / solves if solves else None))))


if __name__ == "__main__":
    main()
