#!/usr/bin/env bash
# Results table of issue 12 (docs/methods/context3d.md): kNN atlas segmentation with 1, 3 and 9 labeled atlases on
# fixed-field-of-view phantoms, for HEATMAP, REG2D, DOERSCH, GVDIFF, XAVIER (the untrained D2D), vox2vec and
# hierarchical, over several pre-training seeds. Pre-training phantoms (seed 1000+) are disjoint from the atlases
# (seed 1). Heavy: runs under flock /tmp/streaming-heavy.lock. Sizes are environment variables:
#   SEEDS="0 1 2" STEPS=200 ATLASES=20 PRETRAIN=8 SPEC=pipelines/ct-context-cpu.yaml OUT=runs/context3d-results
set -euo pipefail
cd "$(dirname "$0")/.."
SEEDS=${SEEDS:-"0 1 2"}
STEPS=${STEPS:-200}
ATLASES=${ATLASES:-20}
PRETRAIN=${PRETRAIN:-8}
SPEC=${SPEC:-pipelines/ct-context-cpu.yaml}
OUT=${OUT:-runs/context3d-results}
S=./scripts/streaming.sh
exec 9>/tmp/streaming-heavy.lock
flock 9
start=$(date +%s)
mkdir -p "$OUT"
# FLARE layout: labeled cases in imagesTr/labelsTr (a tenth goes to imagesVa and unlabeled/, all ingested).
$S synth --out "$OUT/atlases" --layout flare --count "$ATLASES" --size small --fixed-fov --seed 1 --clean --parallel 2
$S synth --out "$OUT/pretrain" --layout flare --count "$PRETRAIN" --size small --fixed-fov --seed 1000 --clean --parallel 2
$S ingest --spec "$SPEC" --source flare="$OUT/atlases/FLARE" --cache "$OUT/cache-atlases"
$S ingest --spec "$SPEC" --source flare="$OUT/pretrain/FLARE" --cache "$OUT/cache-pretrain"
for seed in $SEEDS; do
  for m in context2d-heatmap context2d-reg2d doersch3d; do
    cfg="$OUT/$m-seed$seed.yaml"
    printf 'inherits: %s\nseed: %s\nsteps: %s\nsampling:\n  curriculumSteps: %s\ncache:\n  spec: %s\n' \
      "$PWD/pipelines/$m-cpu.yaml" "$seed" "$STEPS" "$STEPS" "$PWD/$SPEC" > "$cfg"
    [ -f "$OUT/$m-seed$seed/backbone.json" ] || $S pretrain "$cfg" --cache "$OUT/cache-pretrain" --run-dir "$OUT/$m-seed$seed"
    extra=()
    [ "$m" = context2d-heatmap ] && extra=(--random-baseline --baseline gvdiff)   # XAVIER and GVDIFF, seeded per run
    $S evaluate --config pipelines/eval-context.yaml --cache "$OUT/cache-atlases" --backbone "$OUT/$m-seed$seed" "${extra[@]}" \
      --class-names phantom --out "$OUT/eval-$m-seed$seed" --json > "$OUT/eval-$m-seed$seed.json"
  done
  for m in vox2vec hierarchical; do
    base=pipelines/vox2vec-demo-cpu.yaml; [ "$m" = hierarchical ] && base=pipelines/hierarchical-ct.yaml
    cfg="$OUT/$m-seed$seed.yaml"
    printf 'inherits: %s\nseed: %s\nsteps: %s\nthreads: 1\ncache:\n  spec: %s\n' "$PWD/$base" "$seed" "$STEPS" "$PWD/$SPEC" > "$cfg"
    [ "$m" = hierarchical ] && printf 'model:\n  baseChannels: 8\n  levels: 4\nsampling:\n  patchShape: [32, 32, 16]\n  volumesPerBatch: 2\n  positionsPerPair: 128\n' >> "$cfg"
    [ -f "$OUT/$m-seed$seed/backbone.json" ] || $S pretrain "$cfg" --cache "$OUT/cache-pretrain" --run-dir "$OUT/$m-seed$seed"
    $S evaluate --config pipelines/eval-context.yaml --cache "$OUT/cache-atlases" --backbone "$OUT/$m-seed$seed" \
      --class-names phantom --out "$OUT/eval-$m-seed$seed" --json > "$OUT/eval-$m-seed$seed.json"
  done
done
echo "wall time: $(( $(date +%s) - start )) s" | tee "$OUT/wall-time.txt"
