#!/usr/bin/env bash
# The voxel-level SimSiam study on CPU (docs/methods/voxel-simsiam.md): 100 abdominal CT phantoms (90 labeled) →
# ingest resized to 32 x 32 x 16 → on 3 hold-out splits of 70 train / 20 test: plain U-Net, + class-conditional
# SimSiam on 1 and on 3 levels, + SCL; then the label-fraction curve (10, 20, 50 % of the training labels) for the
# U-Net and + SimSiam on 3 levels (the 100 % points are the table's); last, Table IV's SimSiam on 3 levels without
# class weights on the same splits. Every training run checkpoints under $STUDY/*/runs: running the script again
# resumes where it stopped and reuses finished runs.
# Long (about 0.35 CPU-hour, 33 training runs of 80 steps): every step runs under `nice -n 19` with one libtorch thread
# (config `threads: 1`), so on a shared machine it uses only idle CPU and never blocks anyone's tests; wall time is
# then pessimistic: the script ends with its own CPU time.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh >&2
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
s="$(pwd)/scripts/streaming.sh"
study="${STUDY_DIR:-runs/voxel-simsiam-study}"
mkdir -p "$study"
dotnet build src/Streaming.Cli -c Release --nologo -v q >&2
start=$(date +%s)
stamp() { echo "[study $(( $(date +%s) - start )) s] $*" >&2; }
low() { nice -n 19 "$@"; }

stamp "1/4 synth: 100 small abdominal CT phantoms (seed 1; FLARE layout: 90 labeled, 10 unlabeled)"
[ -d "$study/phantoms/FLARE" ] || low "$s" synth --out "$study/phantoms" --layout flare --count 100 --size small --seed 1 --modality ct --fov abdomen

stamp "2/4 ingest: body box resized to 32 x 32 x 16 (pipelines/ct-simsiam-cpu.yaml)"
low "$s" ingest --spec pipelines/ct-simsiam-cpu.yaml --source "flare=$study/phantoms/FLARE" --cache "$study/cache"

# Seed by seed: stage r runs the table and the curve on hold-out splits 0..r-1 (split r does not depend on how many
# there are, and finished runs are reused), so a study cut short still has every row and point on its first seeds.
repeats=3
for r in $(seq 1 "$repeats"); do
  stage="$study/stage-$r"; mkdir -p "$stage"
  printf 'inherits: %s\nholdout:\n  repeats: %d\n' "$(pwd)/pipelines/eval-voxel-simsiam-cpu.yaml" "$r" > "$stage/table.yaml"
  printf 'inherits: %s\nholdout:\n  repeats: %d\n' "$(pwd)/pipelines/eval-voxel-simsiam-cpu-fractions.yaml" "$r" > "$stage/fractions.yaml"

  stamp "3/4 table, splits 0..$((r - 1)): unet, simsiam-1, simsiam-3, scl-3 (pipelines/eval-voxel-simsiam-cpu.yaml)"
  low "$s" evaluate --config "$stage/table.yaml" --spec pipelines/ct-simsiam-cpu.yaml --cache "$study/cache" \
    --class-names phantom --out "$study/table"
  cp "$study/table/report.md" "$stage/table-report.md"; cp "$study/table/report.json" "$stage/table-report.json"

  stamp "4/4 label fractions, splits 0..$((r - 1)): unet and simsiam-3 at 10, 20, 50 % of the training labels"
  low "$s" evaluate --config "$stage/fractions.yaml" --spec pipelines/ct-simsiam-cpu.yaml --cache "$study/cache" \
    --class-names phantom --out "$study/fractions"
  cp "$study/fractions/report.md" "$stage/fractions-report.md"; cp "$study/fractions/report.json" "$stage/fractions-report.json"
done

stamp "then Table IV: simsiam-3 without class weights on splits 0..2 (pipelines/eval-voxel-simsiam-cpu-noweights.yaml)"
low "$s" evaluate --config pipelines/eval-voxel-simsiam-cpu-noweights.yaml --spec pipelines/ct-simsiam-cpu.yaml --cache "$study/cache" \
  --class-names phantom --out "$study/table4"

stamp "done: $study/table/report.md, $study/fractions/report.md and $study/table4/report.md"
# User and system CPU seconds of this script's children (all the work above).
times >&2
