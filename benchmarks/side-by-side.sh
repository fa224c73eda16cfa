#!/usr/bin/env bash
# Runs odeflow and torchdiffeq on the same recipe, alternating invocations in one run, and prints medians.
#   benchmarks/side-by-side.sh kernels   [-r INVOCATIONS] [-t THREADS,...]   # eval_forward, eval_adjoint
#   benchmarks/side-by-side.sh iteration [-r INVOCATIONS] [-t THREADS,...]   # rk4 20 steps and dopri5 1e-5
#   benchmarks/side-by-side.sh wide      [-r INVOCATIONS] [-t THREADS,...]   # tabular-16 and miniboone, rk4 8 steps
#   benchmarks/side-by-side.sh main-job  [-r INVOCATIONS]                    # conf/jobs/8gaussians.conf
#   benchmarks/side-by-side.sh spiral    [-r INVOCATIONS]                    # conf/jobs/spiral.conf (ode_demo)
#   benchmarks/side-by-side.sh latent    [-r INVOCATIONS] [-t THREADS,...]   # conf/jobs/latent-ode-spirals.conf, ode and gru
#   benchmarks/side-by-side.sh classifier [-r INVOCATIONS] [-j odenet,rknet,resnet,mlp]  # conf/jobs/*-mnist.conf
# -p float64,float32 picks odeflow's precisions (float64 unless set; the peer always runs both dtypes);
# -g adjoint,direct the gradient methods (the peer's direct is odeint's backprop): iteration and wide use adjoint
# unless set, main-job the job file's.
# -w 256 restricts both sides to 256-bit vectors on a 512-bit machine (odeflow: -XX:MaxVectorSize=32; PyTorch:
# ATEN_CPU_CAPABILITY=avx2 and MKL_ENABLE_INSTRUCTIONS=AVX2); the machine's own width unless set.
# Raw JSON lines go to benchmarks/results/<mode>-<time>.jsonl; the summary table to stdout.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
mode="${1:?usage: side-by-side.sh kernels|iteration|wide|main-job [-r N] [-t 1,2]}"; shift
runs=3; threads=1,2; precisions=float64; gradients=; width=; jobs=odenet,rknet,resnet,mlp
while getopts "r:t:p:g:w:j:" o; do case "$o" in
  j) jobs="$OPTARG" ;;
  r) runs="$OPTARG" ;; t) threads="$OPTARG" ;; p) precisions="$OPTARG" ;; g) gradients="$OPTARG" ;;
  w) width="$OPTARG" ;; *) exit 2 ;;
esac; done
case "$width" in
  "") ;;
  256) export ODEFLOW_JAVA_OPTS="${ODEFLOW_JAVA_OPTS:-} -XX:MaxVectorSize=32" ATEN_CPU_CAPABILITY=avx2 \
         MKL_ENABLE_INSTRUCTIONS=AVX2 ;;
  *) echo "-w takes 256 (or nothing: the machine's width)" >&2; exit 2 ;;
esac
IFS=, read -ra ps <<< "$precisions"
main_conf="$root/conf/jobs/8gaussians.conf"
main_iterations="$(sed -n 's/^iterations *= *\([0-9]*\).*/\1/p' "$main_conf")"   # the peer runs as many as the job
if [[ -z "$gradients" ]]; then
  if [[ "$mode" == main-job ]]; then gradients="$(sed -n 's/^gradient *= *\([a-z]*\).*/\1/p' "$main_conf")"; else gradients=adjoint; fi
fi
IFS=, read -ra gs <<< "$gradients"
mkdir -p "$here/results"
out="$here/results/$mode${width:+-$width}-$(date -u +%Y%m%dT%H%M%SZ).jsonl"
odeflow="$root/bin/odeflow"
peer() { (cd "$here" && python3 "$@"); }
side() { python3 -c 'import json,sys; s=sys.argv[1]; [print(json.dumps({"side": s, **json.loads(l)})) for l in sys.stdin if l.startswith("{")]' "$1"; }
# job_line JOB GRADIENT [PRECISION]: odeflow's "done: ..." line, or the peer's JSON line, as one JSON line
job_line() {
  python3 -c 'import json,re,sys
job, g, p = sys.argv[1], sys.argv[2], (sys.argv[3] if len(sys.argv) > 3 else None)
for l in sys.stdin:
    m = re.search(r"done: (\d+) iterations in ([\d.]+) s, T ([\d.]+), val NLL ([\d.]+), test NLL ([\d.]+)", l)
    r = re.search(r"done: (\d+) iterations in ([\d.]+) s, RMSE train ([\d.]+)", l)
    c = re.search(r"done: (\d+) iterations in ([\d.]+) s, error train ([\d.]+), val \S+, test ([\d.]+)", l)
    if c:
        print(json.dumps(dict(job=job + " " + g, precision=p, iterations=int(c[1]), train_s=float(c[2]),
                              train_error=float(c[3]), test_error=float(c[4]))))
        continue
    z = re.search(r"done: (\d+) iterations in ([\d.]+) s, interp RMSE train [\d.]+, val \S+, test ([\d.]+); "
                  r"extrap RMSE train [\d.]+, val \S+, test ([\d.]+)", l)
    if z:
        print(json.dumps(dict(job=job + " " + g, precision=p, iterations=int(z[1]), train_s=float(z[2]),
                              test_interp_rmse=float(z[3]), test_extrap_rmse=float(z[4]))))
    elif m:
        print(json.dumps(dict(job=job + " " + g, precision=p, iterations=int(m[1]), train_s=float(m[2]),
                              T=float(m[3]), val_nll=float(m[4]), test_nll=float(m[5]))))
    elif r:
        print(json.dumps(dict(job=job + " " + g, precision=p, iterations=int(r[1]), train_s=float(r[2]),
                              train_rmse=float(r[3]))))
    elif l.startswith("{\"peer\""):
        print(json.dumps({**json.loads(l), "job": job + " " + g}))' "$@"
}

"$odeflow" help >/dev/null   # builds the jar once, outside the timings
for ((i = 1; i <= runs; i++)); do
  IFS=, read -ra ts <<< "$threads"
  case "$mode" in
    kernels)
      for t in "${ts[@]}"; do for what in eval_forward eval_adjoint; do
        for p in "${ps[@]}"; do
          "$odeflow" bench case=ffjord-toy what=$what batch=100,1000,10000 threads=$t precision=$p 2>/dev/null \
            | side odeflow >> "$out"
        done
        for dt in float64 float32; do
          peer torchdiffeq_kernels.py what=$what batch=100,1000,10000 threads=$t dtype=$dt | side torchdiffeq >> "$out"
        done
      done; done ;;
    iteration)
      for t in "${ts[@]}"; do for m in "method=rk4 steps=20" "method=dopri5"; do for g in "${gs[@]}"; do
        for p in "${ps[@]}"; do
          "$odeflow" bench case=ffjord-toy what=iteration $m batch=100,1000 threads=$t gradient=$g precision=$p \
            2>/dev/null | side odeflow >> "$out"
        done
        for dt in float64 float32; do
          peer torchdiffeq_kernels.py what=iteration $m batch=100,1000 threads=$t dtype=$dt gradient=$g \
            | side torchdiffeq >> "$out"
        done
      done; done; done ;;
    wide)
      for t in "${ts[@]}"; do for c in tabular-16 miniboone; do for g in "${gs[@]}"; do
        for p in "${ps[@]}"; do
          "$odeflow" bench case=$c what=iteration method=rk4 steps=8 batch=1000 threads=$t gradient=$g precision=$p \
            2>/dev/null | side odeflow >> "$out"
        done
        for dt in float64 float32; do
          peer torchdiffeq_kernels.py case=$c what=iteration method=rk4 steps=8 batch=1000 threads=$t dtype=$dt \
            gradient=$g | side torchdiffeq >> "$out"
        done
      done; done; done ;;
    main-job)
      for g in "${gs[@]}"; do
        dir="$(mktemp -d)"
        for p in "${ps[@]}"; do
          "$odeflow" train "$main_conf" output.dir="$dir/run$i-$p" plots=false gradient=$g model.precision=$p \
            2>&1 | job_line 8gaussians "$g" "$p" | side odeflow >> "$out"   # "odeflow done" is on stderr
        done
        rm -rf "$dir"
        for dt in float64 float32; do
          peer torchdiffeq_8gaussians.py threads=2 dtype=$dt gradient=$g iterations="$main_iterations" 2>/dev/null \
            | job_line 8gaussians "$g" \
            | side torchdiffeq >> "$out"
        done
      done ;;
    spiral)
      spiral_conf="$root/conf/jobs/spiral.conf"
      g="$(sed -n 's/^gradient *= *\([a-z]*\).*/\1/p' "$spiral_conf")"
      dir="$(mktemp -d)"
      "$odeflow" train "$spiral_conf" output.dir="$dir/run$i" plots=false 2>&1 | job_line spiral "$g" float64 \
        | side odeflow >> "$out"
      rm -rf "$dir"
      for dt in float64 float32; do
        peer torchdiffeq_spiral.py threads=2 dtype=$dt gradient=$g 2>/dev/null | side torchdiffeq >> "$out"
      done ;;
    latent)
      latent_conf="$root/conf/jobs/latent-ode-spirals.conf"
      g="$(sed -n 's/^gradient *= *\([a-z]*\).*/\1/p' "$latent_conf")"
      for dyn in ode gru; do
        dir="$(mktemp -d)"
        "$odeflow" train "$latent_conf" output.dir="$dir/run$i" plots=false model.dynamics=$dyn 2>&1 \
          | job_line "latent-$dyn" "$g" float64 | side odeflow >> "$out"
        rm -rf "$dir"
        for t in "${ts[@]}"; do for dt in float64 float32; do
          peer torchdiffeq_latent_ode.py threads=$t dtype=$dt gradient=$g dynamics=$dyn 2>/dev/null \
            | job_line "latent-$dyn" "$g" | side "torchdiffeq-t$t" >> "$out"
        done; done
      done ;;
    classifier)
      # Each job file's recipe on both sides: its training-image count (data.limit times the train share),
      # iterations, batch, optimizer and its schedule, block, gradient and rk4 steps; the peer trains on the first that many images.
      IFS=, read -ra js <<< "$jobs"
      for j in "${js[@]}"; do
        conf="$root/conf/jobs/$j-mnist.conf"
        key() { sed -n "s/^$1 *= *\([^ #]*\).*/\1/p" "$conf"; }
        g="$(key gradient)"; g="${g:-adjoint}"
        dir="$(mktemp -d)"
        prec="$(key model.precision)"; prec="${prec:-float64}"
        "$odeflow" train "$conf" output.dir="$dir/run$i" 2>&1 | job_line "$j-mnist" "$g" "$prec" \
          | side odeflow >> "$out"
        rm -rf "$dir"
        train="$(python3 -c "import sys; print(int(int(sys.argv[1]) * float(sys.argv[2].split(',')[0])))" \
          "$(key data.limit | grep . || echo 60000)" "$(key data.splits | grep . || echo 0.9)")"
        for dt in float32; do
          peer torchdiffeq_odenet_mnist.py block="$(key model.block)" gradient="$g" steps="$(key solver.steps | grep . || echo 2)" \
            iterations="$(key iterations)" batch="$(key batch_size)" lr="$(key optim.lr)" train="$train" \
            schedule="$(key optim.schedule | grep . || echo none)" threads=2 dtype=$dt 2>/dev/null | job_line "$j-mnist" "$g" | side torchdiffeq >> "$out"
        done
      done ;;
    *) echo "unknown mode '$mode'; expected kernels, iteration, wide, main-job, spiral, latent or classifier" >&2
       exit 2 ;;
  esac
done
python3 "$here/sbs_summary.py" "$out"
