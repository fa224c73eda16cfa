#!/usr/bin/env bash
# Spark GPU discovery script: prints {"name":"gpu","addresses":["0","1",...]} for the GPUs nvidia-smi lists,
# and an empty address list when there is no nvidia-smi or no GPU. Use with
#   --conf spark.executor.resource.gpu.discoveryScript=conf/gpu-discovery.sh
#   --conf spark.worker.resource.gpu.discoveryScript=conf/gpu-discovery.sh   (standalone workers)
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
