"""Summary of a bin/gpu-first-light run: reads OUT/steps.jsonl, OUT/bench-odeflow.jsonl, OUT/bench-torch.jsonl,
OUT/nvidia-smi.log and OUT/probe.log, writes OUT/summary.md (and prints it).

    python3 benchmarks/first_light_summary.py OUT

The comparison pairs odeflow's rows (the GPU backend where there is one, else the CPU reference of a dry run)
with torchdiffeq's at each batch: forward evaluations/s (odeflow: state resident on the device), adjoint
evaluations/s (odeflow: the host VJP path, copies included), the training iteration (dopri5, rtol = atol =
1e-5, backsolve adjoint) with its NFE, and GFLOP/s of the layer products against the GPU's fp32 peak.
"""
import json
import os
import re
import sys

# Nominal FP32 (non-tensor) peaks in TFLOP/s by device-name pattern, first match wins (vendor data sheets).
FP32_PEAK_TFLOPS = [
    (r"H200.*NVL|H100.*NVL", 60.0),
    (r"H100.*PCIe", 51.2),
    (r"H200|H100|GH200", 66.9),
    (r"A100", 19.5),
    (r"L40S", 91.6),
    (r"L40", 90.5),
    (r"L4\b", 30.3),
    (r"A10\b", 31.2),
]


UNREADABLE = []


def read_jsonl(path):
    """The JSON objects of a file, one a line; other lines are skipped (logs), broken ones noted in UNREADABLE."""
    if not os.path.exists(path):
        return []
    rows = []
    with open(path) as f:
        for line in f:
            line = line.strip()
            if line.startswith("{"):
                try:
                    rows.append(json.loads(line))
                except json.JSONDecodeError:
                    UNREADABLE.append(os.path.basename(path) + ": " + line[:120])  # e.g. cut short by a timeout
    return rows


def read(path):
    return open(path, errors="replace").read() if os.path.exists(path) else ""


def gpu_facts(out):
    smi = read(os.path.join(out, "nvidia-smi.log"))
    facts = {}
    m = re.search(r"^name, driver_version.*\n(.+)$", smi, re.M)
    if m:
        parts = [p.strip() for p in m.group(1).split(",")]
        facts["name"], facts["driver"] = parts[0], parts[1] if len(parts) > 1 else "?"
    m = re.search(r"CUDA Version:\s*([0-9.]+)", smi)
    if m:
        facts["cuda"] = m.group(1)
    probe = read(os.path.join(out, "probe.log"))
    m = re.search(r"= ([0-9.]+) TFLOP/s FP32", probe)
    if m:
        facts["peak_from_attributes"] = float(m.group(1))
    return facts


def peak_tflops(facts):
    name = facts.get("name", "")
    for pattern, peak in FP32_PEAK_TFLOPS:
        if re.search(pattern, name):
            return peak, "data sheet (" + name + ")"
    if "peak_from_attributes" in facts:
        return facts["peak_from_attributes"], "SMs x lanes x clock (CudaInfo)"
    return None, "unknown (no GPU)"


def fmt(v, spec="{:.3g}"):
    return "-" if v is None else spec.format(v)


def ratio(a, b):
    return None if a is None or b is None or b == 0 else a / b


def comparison(out, peak):
    ours = read_jsonl(os.path.join(out, "bench-odeflow.jsonl"))
    gpu = [r for r in ours if r["backend"].startswith("cuda")]
    ours = gpu or ours
    torch = read_jsonl(os.path.join(out, "bench-torch.jsonl"))
    peer = {(r["what"], r["batch"]): r for r in torch}
    batches = sorted({r["batch"] for r in ours} | {r["batch"] for r in torch})
    lines = ["| batch | odeflow fwd evals/s | torch fwd evals/s | x | odeflow adj evals/s | torch adj evals/s | x "
             "| odeflow iter ms (NFE) | torch iter ms (NFE) | x | odeflow fwd GFLOP/s | % peak | torch fwd GFLOP/s "
             "| % peak |", "|" + "---:|" * 14]
    for b in batches:
        o = next((r for r in ours if r["batch"] == b), {})
        fwd, adj, it = peer.get(("eval_forward", b), {}), peer.get(("eval_adjoint", b), {}), peer.get(("iteration", b), {})
        o_fwd = o.get("resident_evals_per_s") or o.get("host_evals_per_s")
        t_it = it.get("median_s") and it["median_s"] * 1e3
        pct = (lambda g: None if g is None or peak is None else 100 * g / (peak * 1e3))
        lines.append("| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |".format(
            b, fmt(o_fwd), fmt(fwd.get("evals_per_s")), fmt(ratio(o_fwd, fwd.get("evals_per_s")), "{:.2f}"),
            fmt(o.get("vjps_per_s")), fmt(adj.get("evals_per_s")),
            fmt(ratio(o.get("vjps_per_s"), adj.get("evals_per_s")), "{:.2f}"),
            "-" if "iteration_ms" not in o else "{:.1f} ({}+{})".format(o["iteration_ms"], o["nfe_forward"], o["nfe_backward"]),
            "-" if t_it is None else "{:.1f} ({}+{})".format(t_it, it.get("nfe_forward"), it.get("nfe_backward")),
            fmt(ratio(t_it, o.get("iteration_ms")), "{:.2f}"),
            fmt(o.get("gflops_forward")), fmt(pct(o.get("gflops_forward")), "{:.1f}"),
            fmt(fwd.get("gflops")), fmt(pct(fwd.get("gflops")), "{:.1f}")))
    backend = ours[0]["backend"] + " " + ours[0]["dtype"] if ours else "none"
    peer_dev = torch[0].get("device_name", torch[0]["device"]) + " " + torch[0]["dtype"] if torch else "none"
    return backend, peer_dev, lines


def main(out):
    steps = read_jsonl(os.path.join(out, "steps.jsonl"))
    dry = os.path.exists(os.path.join(out, "DRY_RUN"))
    facts = gpu_facts(out)
    peak, peak_source = peak_tflops(facts)
    backend, peer_dev, table = comparison(out, peak)
    md = ["# odeflow GPU first light" + (" (DRY RUN on a machine without a GPU)" if dry else ""), ""]
    md.append(read(os.path.join(out, "BUNDLE.txt")).strip().replace("\n", "  \n"))
    md.append("")
    md.append("GPU: {} | driver {} | CUDA {} | fp32 peak {} TFLOP/s ({})".format(
        facts.get("name", "none"), facts.get("driver", "-"), facts.get("cuda", "-"), fmt(peak), peak_source))
    md += ["", "## Steps", "", "| step | status | seconds | timeout (s) | log | note |", "|---|---|---:|---:|---|---|"]
    for s in steps:
        status = s["status"] + (" (expected: no GPU)" if s.get("expected_in_dry_run") else "")
        md.append("| {} | {} | {} | {} | {} | {} |".format(s["step"], status, s["seconds"], s["timeout_s"], s["log"],
                                                          s["note"]))
    md += ["", "## odeflow ({}) vs torchdiffeq ({})".format(backend, peer_dev), "", *table, "",
           "x: odeflow over torchdiffeq (rates), torchdiffeq over odeflow (iteration time). Goals (issue 10): >= 10x "
           "at batch <= 10000; >= 50% of fp32 peak at batch >= 100000. GFLOP/s counts the layer products only "
           "(the same nominal count on both sides)."]
    md += ["", "Unreadable JSON lines (skipped): " + "; ".join(UNREADABLE)] if UNREADABLE else []
    text = "\n".join(md) + "\n"
    with open(os.path.join(out, "summary.md"), "w") as f:
        f.write(text)
    print(text)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else ".")
