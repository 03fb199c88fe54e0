#!/usr/bin/env bash
# Pre-training steps/s with libtorch's OpenMP wait policy active vs passive, on a quiet machine and with N busy
# processes (default 2) competing for the cores; threads = the CPUs available (config threads: 0). Runs the real
# `pretrain` loop (cache, prefetch) of pipelines/vox2vec-demo-cpu.yaml for STEPS steps. Run it under the heavy lock:
#   flock /tmp/streaming-heavy.lock scripts/bench/omp-wait-under-load.sh <cache root> [busy processes] [steps]
# Each pretrain run is capped at RUN_LIMIT seconds (default 300; reported as "over N s"), and the busy processes are
# killed however the script ends.
set -euo pipefail
cd "$(dirname "$0")/../.."
cache="${1:?shard cache root holding the ct-demo-3mm key (scripts/demo.sh makes one)}"
busy="${2:-2}"
steps="${3:-30}"
dll=src/Streaming.Cli/bin/Release/net10.0/streaming.dll
[ -f "$dll" ] || dotnet build src/Streaming.Cli -c Release --nologo -v q >&2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
trap 'exit 143' TERM INT
limit="${RUN_LIMIT:-300}"
cat > "$work/cfg.yaml" <<YAML
inherits: $(pwd)/pipelines/vox2vec-demo-cpu.yaml
threads: 0
steps: $steps
checkpointEvery: 100000
logEvery: 5
cache:
  dir: $(cd "$cache" && pwd)
  spec: $(pwd)/pipelines/ct-demo-3mm.yaml
YAML
run() { # policy load -> steps/s
  busy_pids=()
  # run() is a $( ) subshell: its own trap ends its busy processes however it ends.
  trap 'for p in "${busy_pids[@]}"; do kill "$p" 2>/dev/null; done' EXIT
  for _ in $(seq 1 "$2"); do sh -c 'while :; do :; done' >/dev/null 2>&1 & busy_pids+=($!); done
  rm -rf "$work/run"
  local s
  s=$(MALLOC_MMAP_MAX_=0 MALLOC_TRIM_THRESHOLD_=268435456 OMP_WAIT_POLICY="$1" timeout "$limit" dotnet "$dll" pretrain "$work/cfg.yaml" --run-dir "$work/run" --json 2>/dev/null \
      | tail -n 1 | sed -nE 's/.*"stepsPerSecond":([0-9.eE+-]+).*/\1/p')  || true
  for p in "${busy_pids[@]}"; do kill "$p"; done
  wait "${busy_pids[@]}" 2>/dev/null || true
  busy_pids=()
  echo "${s:-none (over $limit s or failed)}"
}
echo "| OMP_WAIT_POLICY | busy processes | steps/s |"
echo "|---|---:|---:|"
declare -A r
for policy in active passive; do
  for load in 0 "$busy"; do
    r[$policy,$load]=$(run "$policy" "$load")
    echo "| $policy | $load | ${r[$policy,$load]} |"
  done
done
awk -v a="${r[active,$busy]}" -v p="${r[passive,$busy]}" -v a0="${r[active,0]}" -v p0="${r[passive,0]}" \
  'BEGIN { printf "passive/active: %.2fx quiet, %.2fx with '"$busy"' busy processes; loaded/quiet: active %.2f, passive %.2f\n", p0/a0, p/a, a/a0, p/p0 }'
