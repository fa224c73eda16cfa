#!/usr/bin/env bash
# Spark GPU discovery script: prints {"name":"gpu","addresses":["0","1",...]} for the GPUs nvidia-smi lists,
# and an empty address list when there is no nvidia-smi or no GPU. Executors run it at start-up, so it must be
# on their hosts: on YARN ship it with --files conf/gpu-discovery.sh and set
#   --conf spark.executor.resource.gpu.discoveryScript=./gpu-discovery.sh
# on standalone workers install it at one absolute path and set spark.worker.resource.gpu.discoveryScript;
# docs/cli.md ("spark-submit", "GPUs") has every case.
set -u
addresses=""
if command -v nvidia-smi >/dev/null 2>&1; then
  while IFS= read -r idx; do
    idx="${idx//[[:space:]]/}"
    [[ "$idx" =~ ^[0-9]+$ ]] || continue
    addresses+="${addresses:+,}\"$idx\""
  done < <(nvidia-smi --query-gpu=index --format=csv,noheader 2>/dev/null)
fi
printf '{"name":"gpu","addresses":[%s]}\n' "$addresses"
