#!/usr/bin/env bash
# Data preparation against Spark's own read + count (BENCHMARKS.md, "Scale"): for each file, REPEATS rounds of
# Spark's read + count() (benchmarks/SparkReadCount.java) and odeflow's preparation (benchmarks/PrepareData.java),
# alternating, each in a fresh JVM (local[2]); appends one JSON line per measurement to
# benchmarks/results/prep-<date>.jsonl and prints the medians and their ratio.
#
#   benchmarks/prep.sh [-r REPEATS] [-j JAR] [FILE ...]     (default: 3 rounds of t16.csv and t16.parquet)
#
# -j runs another build's jar (e.g. a checkout of an older commit) as odeflow's side; the data comes from
# benchmarks/make_scale_data.py in $SCALE_DATA (default /tmp/odeflow-scale).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DATA="${SCALE_DATA:-/tmp/odeflow-scale}"
JAR="$ROOT/jobs/target/odeflow-local.jar"
RESULTS="$ROOT/benchmarks/results/prep-$(date +%Y%m%d).jsonl"
REPEATS=3
while getopts "r:j:" o; do case "$o" in r) REPEATS="$OPTARG" ;; j) JAR="$OPTARG" ;; *) exit 2 ;; esac; done
shift $((OPTIND - 1))
FILES=("$@"); [[ ${#FILES[@]} -eq 0 ]] && FILES=("$DATA/t16.csv" "$DATA/t16.parquet")
mkdir -p "$(dirname "$RESULTS")"
[[ -f "$JAR" ]] || (cd "$ROOT" && mvn -q -o -B -DskipTests package)
JAVA_OPTS=(--add-modules=jdk.incubator.vector --add-opens=java.base/java.lang=ALL-UNNAMED
  --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED
  --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED
  -Djdk.reflect.useDirectMethodHandle=false)
COMMIT="$(git -C "$(dirname "$JAR")" rev-parse --short HEAD 2>/dev/null || echo unknown)"

for f in "${FILES[@]}"; do
  case "$f" in *.csv) how=csv ;; *) how=parquet ;; esac
  lines=()
  for i in $(seq "$REPEATS"); do
    spark="$(java "${JAVA_OPTS[@]}" -cp "$JAR" "$ROOT/benchmarks/SparkReadCount.java" "$f" "$how" local[2] \
      2>/dev/null | tail -1)"
    ours="$(java "${JAVA_OPTS[@]}" -cp "$JAR" "$ROOT/benchmarks/PrepareData.java" "$f" local[2] 2>/dev/null \
      | tail -1)"
    for l in "$spark" "$ours"; do
      l="${l/\{/\{\"file\":\"$(basename "$f")\",\"commit\":\"$COMMIT\",\"round\":$i,}"
      echo "$l" >> "$RESULTS"; lines+=("$l")
    done
    echo "$spark"; echo "$ours"
  done
  printf '%s\n' "${lines[@]}" | python3 -c '
import json, statistics, sys
r = [json.loads(l) for l in sys.stdin]
s = statistics.median(x["seconds"] for x in r if x["what"] == "spark-read-count")
o = statistics.median(x["seconds"] for x in r if x["what"] == "odeflow-prepare")
print(json.dumps(dict(file=r[0]["file"], commit=r[0]["commit"], rounds=len(r) // 2,
                      spark_read_count_median_s=round(s, 2), odeflow_prepare_median_s=round(o, 2),
                      ratio=round(o / s, 2))))' | tee -a "$RESULTS"
done
