#!/usr/bin/env bash
# Results table of issue 12 (docs/methods/context3d.md): kNN atlas segmentation with 1, 3 and 9 labeled atlases on
# fixed-field-of-view phantoms at 1.5 mm, for HEATMAP, REG2D, DOERSCH, GVDIFF, XAVIER (the untrained D2D), vox2vec and
# hierarchical, over several pre-training seeds. Pre-training phantoms (synth seed 1000) are disjoint from the atlases
# (synth seed 1). The fold split is fixed (pipelines/eval-context.yaml, seed 0); each pre-training seed s also draws
# its own XAVIER init and GVDIFF pattern (--baseline-seed s). Ends with the table (scripts/context3d-table.py).
#
# A long experiment, not a benchmark: it takes no lock; run it niced with one libtorch thread (the configs say
# threads: 1), e.g. `nice -n 19 /usr/bin/time -v scripts/context3d-results.sh`. Sizes are environment variables:
#   SEEDS="0 1 2" STEPS=30 ATLASES=20 PRETRAIN=8 SPEC=pipelines/ct-context-tiny-1.5.yaml OUT=runs/context3d-results
# ATLASES=20 phantoms (the FLARE layout keeps a tenth unlabeled) give 18 labeled ones: 9 atlases per fold, as the 9-atlas
# column needs. Seeds run one after another, each through every method, cheap ones first (DOERSCH's 3-D descriptor
# costs most); finished runs and evaluations are kept, so a rerun resumes where an interrupted one stopped.
set -euo pipefail
cd "$(dirname "$0")/.."
SEEDS=${SEEDS:-"0 1 2"}
STEPS=${STEPS:-30}
ATLASES=${ATLASES:-20}
PRETRAIN=${PRETRAIN:-8}
SPEC=${SPEC:-pipelines/ct-context-tiny-1.5.yaml}
OUT=${OUT:-runs/context3d-results}
S=./scripts/streaming.sh
start=$(date +%s)
say() { echo "$(date -u +%H:%M:%S) [$(( $(date +%s) - start )) s] $*" | tee -a "$OUT/progress.log" >&2; }
mkdir -p "$OUT/atlases" "$OUT/pretrain"
[ -d "$OUT/atlases/FLARE" ] || $S synth --out "$OUT/atlases" --layout flare --count "$ATLASES" --size small --fixed-fov --seed 1 --clean --parallel 1
[ -d "$OUT/pretrain/FLARE" ] || $S synth --out "$OUT/pretrain" --layout flare --count "$PRETRAIN" --size small --fixed-fov --seed 1000 --clean --parallel 1
$S ingest --spec "$SPEC" --source flare="$OUT/atlases/FLARE" --cache "$OUT/cache-atlases"
$S ingest --spec "$SPEC" --source flare="$OUT/pretrain/FLARE" --cache "$OUT/cache-pretrain"
say "phantoms ingested"
evaluate() { # run-dir eval-name extra-args...
  local run=$1 name=$2; shift 2
  [ -s "$OUT/$name.json" ] || { $S evaluate --config pipelines/eval-context.yaml --cache "$OUT/cache-atlases" --backbone "$run" "$@" \
    --class-names phantom --out "$OUT/$name" --json > "$OUT/$name.json.part" && mv "$OUT/$name.json.part" "$OUT/$name.json"; }
  say "evaluated $name"
}
for seed in $SEEDS; do
  for m in context2d-heatmap context2d-reg2d vox2vec hierarchical doersch3d; do
    cfg="$OUT/$m-seed$seed.yaml"
    case $m in
      vox2vec|hierarchical)
        base=pipelines/vox2vec-demo-cpu.yaml; [ "$m" = hierarchical ] && base=pipelines/hierarchical-ct.yaml
        printf 'inherits: %s\nseed: %s\nsteps: %s\ncheckpointEvery: %s\nthreads: 1\ncache:\n  spec: %s\n' "$PWD/$base" "$seed" "$STEPS" "$STEPS" "$PWD/$SPEC" > "$cfg"
        [ "$m" = hierarchical ] && printf 'model:\n  baseChannels: 8\n  levels: 4\nsampling:\n  patchShape: [32, 32, 16]\n  volumesPerBatch: 2\n  positionsPerPair: 128\nprefetch:\n  workers: 1\n  capacity: 4\n' >> "$cfg" ;;
      *)
        printf 'inherits: %s\nseed: %s\nsteps: %s\ncheckpointEvery: %s\nsampling:\n  curriculumSteps: %s\ncache:\n  spec: %s\n' \
          "$PWD/pipelines/$m-cpu.yaml" "$seed" "$STEPS" "$STEPS" "$STEPS" "$PWD/$SPEC" > "$cfg" ;;
    esac
    resume=(); [ -d "$OUT/$m-seed$seed/checkpoints" ] && resume=(--resume)   # an interrupted run continues bit for bit
    [ -f "$OUT/$m-seed$seed/backbone.json" ] || $S pretrain "$cfg" --cache "$OUT/cache-pretrain" --run-dir "$OUT/$m-seed$seed" "${resume[@]}"
    say "pre-trained $m seed $seed"
    extra=()
    [ "$m" = context2d-heatmap ] && extra=(--random-baseline --baseline gvdiff --baseline-seed "$seed")   # XAVIER and GVDIFF of this seed
    evaluate "$OUT/$m-seed$seed" "eval-$m-seed$seed" "${extra[@]}"
  done
done
say "done"
echo "wall time: $(( $(date +%s) - start )) s" | tee "$OUT/wall-time.txt"
/usr/bin/python3 scripts/context3d-table.py "$OUT" | tee "$OUT/table.md"
