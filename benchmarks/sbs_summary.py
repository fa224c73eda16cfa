"""Summarises side-by-side.sh's JSON lines: per configuration, the median over invocations and the range."""
import json
import statistics
import sys
from collections import defaultdict

rows = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
groups = defaultdict(list)
for r in rows:
    side = r["side"] + " " + (r.get("precision", "float64") if r["side"] == "odeflow" else r.get("dtype", ""))
    if "job" in r:
        groups[(r["job"], side)].append(r)
    else:
        method = r.get("method") or ""
        steps = r.get("steps")
        label = r.get("case", "ffjord-toy") + " " + r["what"] + (
            f" {method}" + (f" {steps} steps" if steps else "") + " " + r.get("gradient", "adjoint")
            if r["what"] == "iteration" else "")
        groups[(label, r["batch"], r["threads"], side)].append(r)

print(f"# {sys.argv[1]}: {len(rows)} results")
for key in sorted(groups, key=str):
    rs = groups[key]
    if "job" in rs[0]:
        s = [r["train_s"] for r in rs]
        metrics = [m for m in ("test_nll", "train_rmse", "test_interp_rmse", "test_extrap_rmse", "test_error")
                   if m in rs[0]]
        text = ""
        for metric in metrics:
            q = [r[metric] for r in rs]
            text += f"  {metric} {statistics.median(q):.4f} ({min(q):.4f}-{max(q):.4f})"
        print(f"{key[0]:20} {key[1]:22} n={len(rs)} train {statistics.median(s):7.1f} s ({min(s):.1f}-{max(s):.1f})"
              + text)
    else:
        s = [r["median_s"] for r in rs]
        extra = (f" nfe {rs[0].get('nfe_forward')}/{rs[0].get('nfe_backward')}" if "iteration" in key[0]
                 else f" {1 / statistics.median(s):10.1f} evals/s")
        print(f"{key[0]:36} batch {key[1]:6} threads {key[2]} {key[3]:22} n={len(rs)} median "
              f"{statistics.median(s):.4g} s ({min(s):.4g}-{max(s):.4g}){extra}")
