#!/usr/bin/env bash
# The scale table of BENCHMARKS.md ("Scale"): data preparation against Spark's own read + count, training
# samples/s, time per evaluation row and memory, in local[2] and on a standalone cluster of 1 and 2 one-core
# executors started here (master and workers as separate JVMs on loopback, as the cluster tests do).
#
#   benchmarks/scale.sh [-r REPEATS] [local|cluster|baseline ...]     (default: baseline local cluster)
#
# Data: benchmarks/make_scale_data.py writes it to $SCALE_DATA (default /tmp/odeflow-scale) once: t16 (1,000,000
# rows × 16 columns, CSV and Parquet), t16q (its first 250,000 rows, Parquet) and mb43 (36,488 rows × 43 columns,
# MINIBOONE's shape, Parquet). Each measurement appends one JSON line to benchmarks/results/scale-<date>.jsonl.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DATA="${SCALE_DATA:-/tmp/odeflow-scale}"
JAR="$ROOT/jobs/target/odeflow-local.jar"
APP="$ROOT/jobs/target/odeflow-spark.jar"
OUT="$(mktemp -d /tmp/odeflow-scale-runs.XXXX)"
RESULTS="$ROOT/benchmarks/results/scale-$(date +%Y%m%d).jsonl"
REPEATS=1
if [[ "${1:-}" == "-r" ]]; then REPEATS="$2"; shift 2; fi
WHAT=("$@"); [[ ${#WHAT[@]} -eq 0 ]] && WHAT=(baseline local cluster)
mkdir -p "$DATA" "$(dirname "$RESULTS")"
JAVA_OPTS=(--add-modules=jdk.incubator.vector --add-opens=java.base/java.lang=ALL-UNNAMED
  --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED
  --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED
  -Djdk.reflect.useDirectMethodHandle=false)

gen() { # name rows cols format
  [[ -e "$DATA/$1.$4" ]] || python3 "$ROOT/benchmarks/make_scale_data.py" --rows "$2" --cols "$3" \
    --out "$DATA/$1" --format "$4"
}
gen t16 1000000 16 csv; gen t16 1000000 16 parquet; gen t16q 250000 16 parquet; gen mb43 36488 43 parquet
[[ -f "$JAR" && -f "$APP" ]] || (cd "$ROOT" && mvn -q -o -B -DskipTests package)

record() { echo "$1" | tee -a "$RESULTS"; }

# One training run's figures from its summary.json and metrics.jsonl, plus the peak RSS given in KiB.
summarize() { # label dir rss_kib executors_rss_kib
  python3 - "$@" <<'PY'
import json, statistics, sys
label, d, rss, ex = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
s = json.load(open(d + "/summary.json"))
m = [json.loads(l) for l in open(d + "/metrics.jsonl")]
sps = statistics.median(x["samples_per_s"] for x in m[1:]) if len(m) > 1 else None
rows = s["rows"]["val"] + s["rows"]["test"]
out = dict(what=label, status=s["status"], train_rows=s["rows"]["train"],
           data_preparation_s=round(s["seconds"]["data_preparation"], 2),
           training_s=round(s["seconds"]["training"], 2), samples_per_s_median=sps,
           evaluation_s=round(s["seconds"]["evaluation"], 2), eval_rows=rows,
           eval_ms_per_row=round(1000 * s["seconds"]["evaluation"] / max(rows, 1), 3),
           driver_peak_rss_mib=round(rss / 1024), executor_peak_rss_mib=round(ex / 1024) if ex else None,
           executors=s["spark"]["executors"], master=s["spark"]["master"])
print(json.dumps(out))
PY
}

baseline() {
  for i in $(seq "$REPEATS"); do
    for f in "t16.csv csv" "t16.csv csv-infer" "t16.parquet parquet" "t16q.parquet parquet"; do
      set -- $f
      record "$(java "${JAVA_OPTS[@]}" -cp "$JAR" "$ROOT/benchmarks/SparkReadCount.java" "$DATA/$1" "$2" \
        local[2] 2>/dev/null | sed "s/{/{\"file\":\"$1\",/")"
    done
  done
}

local_runs() {
  for i in $(seq "$REPEATS"); do
    for run in "t16.parquet scale-t16.conf" "t16.csv scale-t16.conf" "t16q.parquet scale-t16.conf" \
               "mb43.parquet scale-mb43.conf"; do
      set -- $run
      dir="$OUT/local-${1//./-}-$i"
      /usr/bin/time -f '%M' -o "$OUT/rss" "$ROOT/bin/odeflow" train "$ROOT/benchmarks/$2" "data=$DATA/$1" \
        "output.dir=$dir" spark.master=local[2] >"$OUT/log" 2>&1 || { tail -20 "$OUT/log"; exit 1; }
      record "$(summarize "local[2] $1" "$dir" "$(tail -1 "$OUT/rss")" 0)"
    done
  done
}

# Starts a master and N one-core workers; prints the master URL. The workers' SPARK_HOME is an empty directory
# with an empty jars/ (executors get the product jar through spark.executor.extraClassPath).
start_cluster() {
  local n=$1 port=$((7100 + RANDOM % 500))
  mkdir -p "$OUT/spark-home/jars"
  export SPARK_HOME="$OUT/spark-home" SPARK_SCALA_VERSION=2.13 SPARK_LOCAL_IP=127.0.0.1
  java "${JAVA_OPTS[@]}" -cp "$JAR" org.apache.spark.deploy.master.Master --host 127.0.0.1 --port "$port" \
    --webui-port 0 >"$OUT/master.log" 2>&1 &
  echo $! >"$OUT/pids"
  for w in $(seq "$n"); do
    java "${JAVA_OPTS[@]}" -cp "$JAR" org.apache.spark.deploy.worker.Worker --host 127.0.0.1 --cores 1 \
      --memory 4g --webui-port 0 --work-dir "$OUT/work-$w" "spark://127.0.0.1:$port" >"$OUT/worker-$w.log" 2>&1 &
    echo $! >>"$OUT/pids"
  done
  for _ in $(seq 60); do
    [[ $(grep -h -c 'Successfully registered with master' "$OUT"/worker-*.log | paste -sd+ | bc) -ge $n ]] && break
    sleep 1
  done
  echo "spark://127.0.0.1:$port"
}

stop_cluster() { xargs -r kill <"$OUT/pids" 2>/dev/null || true; sleep 2; }

# Peak RSS (KiB) of the executor JVMs while a command runs.
executor_peak() {
  local peak=0
  while [[ -e "$OUT/running" ]]; do
    for p in $(pgrep -f CoarseGrainedExecutorBackend || true); do
      r=$(awk '/VmRSS/{print $2}' "/proc/$p/status" 2>/dev/null || echo 0)
      (( r > peak )) && peak=$r
    done
    echo "$peak" >"$OUT/expeak"
    sleep 1
  done
}

cluster_runs() {
  for n in 1 2; do
    for i in $(seq "$REPEATS"); do
      for run in "t16.parquet scale-t16.conf" "mb43.parquet scale-mb43.conf"; do
        set -- $run
        master=$(start_cluster "$n")
        dir="$OUT/cluster$n-${1//./-}-$i"
        touch "$OUT/running"; echo 0 >"$OUT/expeak"; executor_peak & sampler=$!
        /usr/bin/time -f '%M' -o "$OUT/rss" java "${JAVA_OPTS[@]}" -cp "$JAR" org.apache.spark.deploy.SparkSubmit \
          --master "$master" --deploy-mode client --class dev.odeflow.jobs.OdeflowCli \
          --conf spark.executor.cores=1 --conf spark.executor.memory=3g --conf spark.cores.max="$n" \
          --conf spark.driver.host=127.0.0.1 --conf spark.ui.enabled=false --conf "spark.executor.extraClassPath=$JAR" \
          --conf "spark.executor.extraJavaOptions=${JAVA_OPTS[*]}" \
          "$APP" train "$ROOT/benchmarks/$2" "data=$DATA/$1" "output.dir=$dir" "partitions=$n" \
          >"$OUT/log" 2>&1 || { tail -20 "$OUT/log"; rm -f "$OUT/running"; stop_cluster; exit 1; }
        rm -f "$OUT/running"; wait "$sampler"
        record "$(summarize "standalone $n executor(s) $1" "$dir" "$(tail -1 "$OUT/rss")" "$(cat "$OUT/expeak")")"
        stop_cluster
      done
    done
  done
}

for w in "${WHAT[@]}"; do
  case "$w" in
    baseline) baseline ;;
    local) local_runs ;;
    cluster) cluster_runs ;;
    *) echo "unknown: $w (baseline, local or cluster)" >&2; exit 2 ;;
  esac
done
echo "results in $RESULTS; runs in $OUT"
