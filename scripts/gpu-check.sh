#!/usr/bin/env bash
# The GPU check, one command for a machine with a Python PyTorch (e.g. 2.11 + CUDA 13), no .NET and no network:
#   unpack the bundle (scripts/gpu-bundle.sh) -> check TorchSharp's glue against the PyTorch's libtorch -> rebuild the
#   glue if it does not match (saved to OUT/glue/) -> full-size phantoms on all cores, ingested -> `streaming pretrain`
#   with the vox2vec-ct config (10 pairs of 128x128x32, m = 1000) for N steps in fp32 and bf16, and a short run with
#   step timing -> the same model's step in PyTorch on the same GPU (fp32, bf16 autocast, profiled) -> the sampler's
#   batches/s with W workers -> one table (OUT/table.md, OUT/results.json; every log under OUT).
# Every phase has a time limit inside an overall budget (default 520 s, under the 9 minutes a loan allows); a phase
# that fails or is skipped leaves "not run: why" in the table and the rest still runs.
#
# usage: scripts/gpu-check.sh [--bundle FILE.tar.xz | --app DIR] [--out DIR] [--device cuda|cuda:N|cpu] [--steps N]
#          [--profile-steps N] [--warmup N] [--volumes V] [--workers W] [--budget S] [--python PY] [--glue FILE] [--tiny]
#   OUT defaults to $OUT when set (the device tool brings it back), else ./gpu-check-out.
#   --tiny: the small CPU demo config, small phantoms and a small PyTorch model: the CPU rehearsal of the whole script.
#   STREAMING_LIBTORCH (default auto: the torch of the chosen python) may point at another libtorch folder.
set -uo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
bundle="$repo/artifacts/gpu/streaming-gpu-linux-x64.tar.xz"; app=""
out="${OUT:-$PWD/gpu-check-out}"; device=cuda; steps=200; psteps=30; warmup=20; volumes=16
workers=""; budget=520; python=""; glue=""; tiny=0
while [ $# -gt 0 ]; do
  case "$1" in
    --bundle) bundle="$2"; shift 2 ;;
    --app) app="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --device) device="$2"; shift 2 ;;
    --steps) steps="$2"; shift 2 ;;
    --profile-steps) psteps="$2"; shift 2 ;;
    --warmup) warmup="$2"; shift 2 ;;
    --volumes) volumes="$2"; shift 2 ;;
    --workers) workers="$2"; shift 2 ;;
    --budget) budget="$2"; shift 2 ;;
    --python) python="$2"; shift 2 ;;
    --glue) glue="$2"; shift 2 ;;
    --tiny) tiny=1; shift ;;
    -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
    *) echo "gpu-check: unknown argument $1" >&2; exit 2 ;;
  esac
done
start=$(date +%s)
cores=$(nproc)
[ -n "$workers" ] || workers=$(( cores > 8 ? 8 : (cores > 2 ? cores - 1 : 1) ))
mkdir -p "$out"; out="$(cd "$out" && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/gpu-check.XXXXXX")"
log="$out/gpu-check.log"
: > "$log"
say() { echo "gpu-check [$(( $(date +%s) - start ))s] $*" | tee -a "$log" >&2; }
left() { echo $(( budget - ($(date +%s) - start) )); }
declare -A skipped=()
skip() { skipped["$1"]="$2"; say "skipped $1: $2"; }
meta_extra=""
export DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1 DOTNET_CLI_TELEMETRY_OPTOUT=1
export MALLOC_MMAP_MAX_="${MALLOC_MMAP_MAX_:-0}" MALLOC_TRIM_THRESHOLD_="${MALLOC_TRIM_THRESHOLD_:-268435456}"

# ---- 1. a python with torch, and what it sees -------------------------------------------------------------------
for p in "$python" "${STREAMING_PYTHON:-}" /opt/torch/.venv/bin/python python3; do
  [ -n "$p" ] || continue
  command -v "$p" >/dev/null 2>&1 || continue
  if "$p" -c 'import importlib.util, sys; sys.exit(0 if importlib.util.find_spec("torch") else 1)' 2>/dev/null; then python="$(command -v "$p")"; break; fi
done
if [ -z "$python" ] || ! "$python" -c 'import importlib.util, sys; sys.exit(0 if importlib.util.find_spec("torch") else 1)' 2>/dev/null; then
  say "error: no python with a torch package (tried --python, \$STREAMING_PYTHON, /opt/torch/.venv/bin/python, python3); pass --python PY"
  echo '{"error": "no python with torch"}' > "$out/results.json"; exit 2
fi
export STREAMING_PYTHON="$python" STREAMING_LIBTORCH="${STREAMING_LIBTORCH:-auto}"
"$python" - > "$out/torch-info.json" 2>> "$log" <<'EOF' &
import json, torch
info = {"torch": torch.__version__, "cuda_build": torch.version.cuda, "cuda": torch.cuda.is_available()}
if info["cuda"]:
    info.update(gpu=torch.cuda.get_device_name(0), devices=torch.cuda.device_count(),
                cudnn=torch.backends.cudnn.version(), capability=".".join(map(str, torch.cuda.get_device_capability(0))))
print(json.dumps(info))
EOF
info_pid=$!
say "python $python; $cores cores; budget ${budget}s; out $out"

# ---- 2. unpack -----------------------------------------------------------------------------------------------------
if [ -z "$app" ]; then
  [ -f "$bundle" ] || { say "error: no bundle at $bundle (build it with scripts/gpu-bundle.sh, or pass --bundle/--app)"; exit 2; }
  if ! tar -C "$work" -xJf "$bundle" 2>> "$log"; then
    "$python" -c 'import sys, tarfile; tarfile.open(sys.argv[1]).extractall(sys.argv[2])' "$bundle" "$work" || { say "error: cannot unpack $bundle"; exit 2; }
  fi
  root="$work/streaming-gpu"; app="$root/app"
  say "unpacked $(basename "$bundle") ($(du -sm "$root" | cut -f1) MB, commit $(cat "$root/COMMIT" 2>/dev/null))"
else
  root="$repo"; app="$(cd "$app" && pwd)"
fi
S="$app/streaming"; [ -x "$S" ] || S="dotnet $app/streaming.dll"
bench="$root/scripts/bench/vox2vec_fpn_step.py"; [ -f "$bench" ] || bench="$repo/scripts/bench/vox2vec_fpn_step.py"
report="$root/scripts/gpu/gpu_report.py"; [ -f "$report" ] || report="$repo/scripts/gpu/gpu_report.py"
rebuild="$app/gpu/rebuild-glue.sh"; [ -f "$rebuild" ] || rebuild="$repo/scripts/gpu/rebuild-glue.sh"
if [ -n "$glue" ]; then mkdir -p "$app/glue"; cp "$glue" "$app/glue/libLibTorchSharp.so"; say "using the glue $glue"; fi

# ---- 3. symbols: check, rebuild if needed (phantoms are made meanwhile) -----------------------------------------------
if [ "$tiny" = 1 ]; then
  config="$root/pipelines/vox2vec-demo-cpu.yaml"; spec="$root/pipelines/ct-demo-3mm.yaml"; size=small
  pyargs=(--pairs 2 --base 8 --levels 4 --x 32 --y 32 --z 16 --positions 128)
else
  config="$root/pipelines/vox2vec-ct.yaml"; spec="$root/pipelines/ct-1x1x2.yaml"; size=full
  pyargs=(--pairs 10 --base 16 --levels 6 --x 128 --y 128 --z 32 --positions 1000)
fi
(
  t0=$(date +%s)
  $S synth --out "$work/data" --layout flare --count "$volumes" --size "$size" --seed 1 --workers "$cores" > "$out/synth.log" 2>&1 &&
  $S ingest --spec "$spec" --source "flare=$work/data/FLARE" --cache "$work/cache" --workers "$cores" --json > "$out/ingest.log" 2>&1
  rc=$?; echo "$rc $(( $(date +%s) - t0 ))" > "$work/data.done"
) &
data_pid=$!

$S torch check --list 10 > "$out/check.log" 2>&1
check_rc=$?
cat "$out/check.log" >> "$log"
glue_state="packaged glue matches"
if [ $check_rc -ne 0 ]; then
  if grep -q "does not match" "$out/check.log"; then
    say "the packaged glue does not match this libtorch ($(grep -o '[0-9,]* of the [0-9,]* libtorch symbols' "$out/check.log" | head -n 1) missing): rebuilding it"
    lim=$(( $(left) - 200 )); [ $lim -gt 420 ] && lim=420
    if [ $lim -lt 60 ]; then skip glue "no time left to rebuild the glue"; else
      t0=$(date +%s)
      REBUILD_GLUE_LOGS="$out/rebuild-logs" timeout "$lim" "$rebuild" --python "$python" --jobs "$cores" > "$out/rebuild.log" 2>&1
      rrc=$?; cat "$out/rebuild.log" >> "$log"
      if [ $rrc -eq 0 ]; then
        mkdir -p "$out/glue"; cp "$app/glue/libLibTorchSharp.so" "$out/glue/"
        glue_state="rebuilt in $(( $(date +%s) - t0 )) s (saved to OUT/glue/)"
        $S torch check --list 10 > "$out/check-rebuilt.log" 2>&1; check_rc=$?
        cat "$out/check-rebuilt.log" >> "$log"
        [ $check_rc -eq 0 ] || glue_state="rebuilt, but the check still fails (see check-rebuilt.log)"
      else
        glue_state="rebuild failed (exit $rrc$([ $rrc -eq 124 ] && echo ', out of time'); see rebuild.log)"
      fi
      say "glue: $glue_state"
    fi
  else
    glue_state="check failed: $(grep 'error:' "$out/check.log" | head -n 1)"
  fi
fi
say "symbols: $(grep -o 'symbols: .*' "$out/check.log" "$out/check-rebuilt.log" 2>/dev/null | tail -n 1 | cut -d: -f2-)"
ts_ok=1
if [ $check_rc -ne 0 ]; then ts_ok=0; for k in ts-fp32 ts-bf16 ts-profile; do skip $k "glue: $glue_state"; done; fi

# ---- 4. can TorchSharp use the device? ------------------------------------------------------------------------------
if [ $ts_ok = 1 ]; then
  if $S torch check --load --device "$device" > "$out/load.log" 2>&1; then
    say "$(grep -o 'loaded in .*' "$out/load.log" | head -n 1); $(grep -o '[0-9]*x[0-9]* matmul on .*' "$out/load.log" | head -n 1)"
  else
    ts_ok=0; reason="$(grep 'error:' "$out/load.log" | head -n 1 | sed 's/.*error: //')"
    say "TorchSharp cannot use $device: $reason"
    for k in ts-fp32 ts-bf16 ts-profile; do skip $k "TorchSharp on $device: ${reason:-see load.log}"; done
  fi
fi
wait $info_pid
py_cuda=$("$python" -c 'import json,sys; print(json.load(open(sys.argv[1])).get("cuda", False))' "$out/torch-info.json" 2>/dev/null)
if [ "${device%%:*}" = cuda ] && [ "$py_cuda" != True ]; then
  say "PyTorch sees no CUDA device (torch-info.json): the GPU, its driver or CUDA_VISIBLE_DEVICES is the problem, not TorchSharp"
fi

wait $data_pid
read -r data_rc data_s < "$work/data.done"
if [ "$data_rc" != 0 ]; then
  say "error: phantoms/ingest failed (synth.log, ingest.log)"; ts_ok=0
  for k in ts-fp32 ts-bf16 ts-profile; do [ -n "${skipped[$k]:-}" ] || skip $k "no phantom cache (ingest failed)"; done
fi
data_note="$volumes $size phantoms generated and ingested in ${data_s}s on $cores cores"
say "$data_note"

# ---- 5. runs ---------------------------------------------------------------------------------------------------------
mkdir -p "$work/runs"
threads_edit="s|^threads: .*|&|"; [ "$tiny" = 1 ] && threads_edit="s|^threads: .*|threads: 1|"
cfg() { # NAME PRECISION TIMING PREFETCH_WORKERS
  local f="$work/$1.yaml"
  sed -e "s|^checkpointEvery: .*|checkpointEvery: 100000000|" -e "s|^logEvery: .*|logEvery: 10|" \
      -e "s|^keepCheckpoints: .*|keepCheckpoints: 1|" \
      -e "s|^  spec: .*|  spec: $spec|" -e "s|^  workers: .*|  workers: $4|" -e "s|^  capacity: .*|  capacity: $(( 2 * $4 + 2 ))|" \
      -e "s|^model:|model:\n  precision: $2|" -e "$threads_edit" "$config" > "$f"
  printf 'progress: false\nstepTiming: %s\n' "$3" >> "$f"
  echo "$f"
}
smi_start() { if command -v nvidia-smi >/dev/null; then nvidia-smi --query-compute-apps=pid,used_memory --format=csv,noheader,nounits -lms 500 > "$out/smi-$1.csv" 2>/dev/null & echo $!; else echo ""; fi; }
smi_stop() { [ -n "$1" ] && kill "$1" 2>/dev/null; wait "$1" 2>/dev/null; true; }

ts_run() { # KEY NAME PRECISION TIMING STEPS
  local key=$1 name=$2 f lim pid rc
  [ $ts_ok = 1 ] || return
  lim=$(( $(left) - 100 )); [ $lim -gt 240 ] && lim=240
  if [ $lim -lt 30 ]; then skip "$key" "out of time"; return; fi
  f=$(cfg "$name" "$3" "$4" "$workers")
  say "TorchSharp $name: $5 steps ($3, step timing $4), limit ${lim}s"
  pid=$(smi_start "$key")
  # SIGTERM at the limit: the trainer finishes its step and writes a checkpoint (~600 MB for the full model), then exits 3.
  timeout -s TERM -k 60 "$lim" $S pretrain "$f" --steps "$5" --device "$device" --run "$work/runs/$name" --cache "$work/cache" --json \
    > "$out/pretrain-$name.json" 2> "$out/pretrain-$name.log"
  rc=$?; smi_stop "$pid"
  mkdir -p "$out/runs/$name"; cp "$work/runs/$name"/{metrics.jsonl,events.jsonl,config.yaml} "$out/runs/$name/" 2>/dev/null
  case $rc in
    0) ;;
    3|124|137) if [ -s "$out/runs/$name/metrics.jsonl" ]; then say "TorchSharp $name: stopped at the time limit after $(tail -n 1 "$out/runs/$name/metrics.jsonl" | grep -o '"step":[0-9]*' | cut -d: -f2) steps (metrics up to then are used)"
               else skip "$key" "no step logged within ${lim}s"; fi ;;
    *) say "TorchSharp $name failed (exit $rc): $(grep 'error' "$out/pretrain-$name.log" | tail -n 1)"; skip "$key" "exit $rc, see pretrain-$name.log" ;;
  esac
}

py_run() { # KEY NAME AMP STEPS [--profile]
  local key=$1 name=$2 lim pid rc
  lim=$(( $(left) - 30 )); [ $lim -gt 200 ] && lim=200
  if [ $lim -lt 30 ]; then skip "$key" "out of time"; return; fi
  say "PyTorch $name: $4 steps (amp $3), limit ${lim}s"
  pid=$(smi_start "$key")
  timeout -k 10 "$lim" "$python" "$bench" --device "$device" --threads 1 --steps "$4" --warmup "$warmup" --amp "$3" "${pyargs[@]}" ${5:-} \
    --json-out "$out/pytorch-$name.json" > "$out/pytorch-$name.log" 2>&1
  rc=$?; smi_stop "$pid"
  [ $rc = 0 ] || { say "PyTorch $name failed (exit $rc): $(tail -n 1 "$out/pytorch-$name.log")"; skip "$key" "exit $rc, see pytorch-$name.log"; }
}

ts_run ts-fp32 fp32 fp32 false "$steps"
py_run py-fp32 fp32 none "$steps"
ts_run ts-bf16 bf16 bf16 false "$steps"
py_run py-bf16 bf16 bf16 "$steps"
ts_run ts-profile profile fp32 true "$psteps"
py_run py-profile profile none "$psteps" --profile

lim=$(( $(left) - 15 ))
if [ $lim -ge 20 ]; then
  say "sampler: bench sample with $workers workers"
  timeout -k 5 "$lim" $S bench sample --workers "$workers" --json > "$out/sample.json" 2> "$out/sample.log" || skip sampler "bench sample failed or ran out of time (sample.log)"
else
  skip sampler "out of time"
fi

# ---- 6. the table ----------------------------------------------------------------------------------------------------
gpu=$("$python" -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d.get("gpu") or ("no CUDA device; " + sys.argv[2]))' "$out/torch-info.json" "$device" 2>/dev/null)
tv=$("$python" -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["torch"] + (" (CUDA " + d["cuda_build"] + ", cuDNN " + str(d.get("cudnn")) + ")" if d.get("cuda_build") else ""))' "$out/torch-info.json" 2>/dev/null)
sk="{}"; if [ ${#skipped[@]} -gt 0 ]; then sk="{$(for k in "${!skipped[@]}"; do printf '"%s": %s,' "$k" "$("$python" -c 'import json,sys; print(json.dumps(sys.argv[1]))' "${skipped[$k]}")"; done | sed 's/,$//')}"; fi
cat > "$out/meta.json" <<EOF
{"gpu": $("$python" -c 'import json,sys; print(json.dumps(sys.argv[1]))' "${gpu:-?}"), "device": "$device", "torch": $("$python" -c 'import json,sys; print(json.dumps(sys.argv[1]))' "${tv:-?}"),
 "glue": $("$python" -c 'import json,sys; print(json.dumps(sys.argv[1]))' "$glue_state"), "config": "$(basename "$config")", "steps": $steps, "profile_steps": $psteps,
 "workers": $workers, "cores": $cores, "data": $("$python" -c 'import json,sys; print(json.dumps(sys.argv[1]))' "$data_note"),
 "commit": "$(cat "$root/COMMIT" 2>/dev/null || git -C "$repo" rev-parse --short HEAD 2>/dev/null)", "skipped": $sk, "seconds": $(( $(date +%s) - start ))}
EOF
"$python" "$report" "$out" --warmup "$warmup" | tee "$out/table.txt"
say "done in $(( $(date +%s) - start )) s; results in $out (table.md, results.json, logs)"
rm -rf "$work"
