#!/usr/bin/env bash
# Reproduces the SAL phantom study of docs/methods/sal.md: random init vs PCL (lambda = 0) vs SAL, each fine-tuned with
# M = 1, 2, 4, 8 labeled phantoms (2 folds of 16), for every seed in $SEEDS (default 1 2 3).
#   pre-training: 24 fixed-field-of-view phantoms (synth seed 1001), their own cache;
#   labeled:      17 fixed-field-of-view phantoms (synth seed 2002; 16 carry labels), another cache: disjoint patients.
# Per seed: SAL and PCL pre-train from that seed ($PRETRAIN_CONFIG, default pipelines/sal-study-cpu.yaml, for
# PRETRAIN_STEPS steps), then evaluate-slices ($EVAL_CONFIG, default pipelines/sal-eval-study.yaml, FINETUNE_STEPS
# steps per arm and fold) with that seed (folds, inits and slice draws). Both use the cache of $SPEC (default
# pipelines/ct-fixedfov-6mm.yaml). About 15 CPU-minutes with the defaults, one torch thread: run it on idle CPU as
# `nice -n 19 scripts/sal-study.sh [OUT]`. $STREAMING replaces the launcher (e.g. a copied build that later edits of
# the tree cannot rebuild mid-study). Re-running continues: finished runs and evaluations are kept.
# Writes OUT/summary.md and OUT/times.tsv.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
out=$(realpath -m "${1:-runs/sal-study}")
seeds=${SEEDS:-"1 2 3"}
steps=${PRETRAIN_STEPS:-250}
ft_steps=${FINETUNE_STEPS:-60}
pretrain_config=$(realpath "${PRETRAIN_CONFIG:-pipelines/sal-study-cpu.yaml}")
eval_config=$(realpath "${EVAL_CONFIG:-pipelines/sal-eval-study.yaml}")
spec=$(realpath "${SPEC:-pipelines/ct-fixedfov-6mm.yaml}")
read -r -a S <<< "${STREAMING:-$root/scripts/streaming.sh}"
mkdir -p "$out/configs" "$out/pre" "$out/lab"
times="$out/times.tsv"
[ -f "$times" ] || printf 'stage\twall_s\tcpu_s\tmax_rss_kb\n' > "$times"

# Runs a stage, appending its wall time, CPU time (user + sys) and peak RSS to times.tsv.
stage() {
  local name=$1; shift
  /usr/bin/time -f "$name\t%e\t%U\t%S\t%M" -o "$out/.time" "$@"
  awk -F'\t' '{ printf "%s\t%s\t%.2f\t%s\n", $1, $2, $3 + $4, $5 }' "$out/.time" >> "$times"
}

"${S[@]}" --help > /dev/null   # build once before timing anything
if [ ! -d "$out/cache-pre" ]; then
  stage synth-pre "${S[@]}" synth --out "$out/pre" --count 24 --seed 1001 --fixed-fov --clean
  stage ingest-pre "${S[@]}" ingest --spec "$spec" --source "flare=$out/pre" --cache "$out/cache-pre"
fi
if [ ! -d "$out/cache-lab" ]; then
  stage synth-lab "${S[@]}" synth --out "$out/lab" --count 17 --seed 2002 --fixed-fov --clean
  stage ingest-lab "${S[@]}" ingest --spec "$spec" --source "flare=$out/lab" --cache "$out/cache-lab"
fi

for seed in $seeds; do
  for arm in sal pcl; do
    cfg="$out/configs/$arm-$seed.yaml"
    {
      echo "inherits: $pretrain_config"
      echo "seed: $seed"
      echo "steps: $steps"
      echo "runDir: $out/runs/$arm-$seed"
      echo "cache:"
      echo "  spec: $spec"
      if [ "$arm" = pcl ]; then printf 'loss:\n  lambda: 0\n'; fi
    } > "$cfg"
    run="$out/runs/$arm-$seed"
    if [ ! -f "$run/backbone.json" ]; then
      resume=(); [ -d "$run/checkpoints" ] && [ -n "$(ls -A "$run/checkpoints")" ] && resume=(--resume)
      stage "pretrain-$arm-$seed" "${S[@]}" pretrain "$cfg" --cache "$out/cache-pre" "${resume[@]}"
    fi
  done
  if [ ! -f "$out/eval-$seed/report.json" ]; then
    stage "evaluate-$seed" "${S[@]}" evaluate-slices "$eval_config" --seed "$seed" --steps "$ft_steps" \
      --run "pcl=$out/runs/pcl-$seed" --run "sal=$out/runs/sal-$seed" \
      --cache "$out/cache-lab" --class-names phantom --out "$out/eval-$seed"
  fi
done

/usr/bin/python3 "$root/scripts/sal-study-summary.py" "$out" $seeds > "$out/summary.md"
cat "$out/summary.md"
