#!/usr/bin/env bash
# One benchmark of every pre-training method on held-out data (issue 14; results in docs/methods.md):
#   data    unlabeled plain-phase phantoms to pre-train on (seed 1001), and labeled phantoms to score (seed 1) in two
#           splits: "plain" (same phase as pre-training) and "venous" (the same patients with contrast: contrast
#           transfer); "real": the labeled real CT of ../shared/data on the organs it shares with the phantoms
#   arms    each method x pre-training seed, its random-init twin (same architecture, BatchNorm statistics from the
#           images; RANDOM_INIT_<m>=<other> in the preset: m's twin is the same network as other's, evaluated once, in
#           other's reports), the hand-made features (intensity, smoothed intensities, coordinates), from scratch
#   protocols  linear probe and kNN with 1 and 3 atlases on the frozen features; fine-tuning (and from scratch) with
#           2 and 8 labeled volumes; one hold-out split per evaluation seed, the same for every arm
#           methods with their own protocol (FAMILY_<m> in the preset): SAL fine-tunes its 2-D U-Net with M labeled
#           subjects (evaluate-slices, "slices"); the 2.5-D context descriptors are scored by kNN only ("context");
#           voxel SimSiam is supervised: U-Nets trained on the labels, plain vs its auxiliary losses ("supervised").
#           SAL and the context methods read fixed-field-of-view scans of the same synthetic patients (synth
#           --fixed-fov, same seeds: slice k of N shows the same anatomy in everyone, as both assume)
#   output  runs.tsv (one line per evaluate report; randomInit: whose random init the run pairs with, - its own)
#           -> `streaming compare`: paired per-volume differences against the reference with 95% CIs, per-class
#           tables, a figure
# Usage: scripts/benchmark-methods.sh [small|gpu|tiny]   (BENCH_DIR overrides the work folder, default
#        runs/benchmark-methods/<preset>; the preset files are scripts/benchmark/<preset>.preset)
#        BENCH_METHODS="sal ..." runs only those of the preset's methods (runs.tsv then lists only theirs).
#        BENCH_RESUME=1 keeps the work folder and skips the pre-training runs and evaluation reports already finished
#        (an interrupted run goes on where it stopped; delete a report to redo it).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
preset="${1:-small}"
preset_file="scripts/benchmark/$preset.preset"
[ -f "$preset_file" ] || { echo "benchmark-methods: no preset '$preset' (scripts/benchmark/*.preset: $(cd scripts/benchmark && ls *.preset | sed 's/.preset//' | tr '\n' ' '))" >&2; exit 1; }
EVAL_SET=""
FINETUNE_SET=""
EVAL_SPLITS=3
KNN_SHOTS="1 3"
# shellcheck source=/dev/null
. "$preset_file"
METHODS="${BENCH_METHODS:-$METHODS}" # a subset of the preset's methods (e.g. to add one to a finished run with BENCH_RESUME=1)
out="${BENCH_DIR:-runs/benchmark-methods/$preset}"
case "$out" in ""|/|.|..) echo "refusing to clear BENCH_DIR=$out" >&2; exit 1;; esac
s="$root/scripts/streaming.sh"
start=$(date +%s)
stamp() { echo "[benchmark $(( $(date +%s) - start )) s] $*" >&2; }

./scripts/setup.sh >&2
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build src/Streaming.Cli -c Release --nologo -v q >&2
[ "${BENCH_RESUME:-0}" = 1 ] || rm -rf "$out"
mkdir -p "$out/logs"
out=$(cd "$out" && pwd)
echo "$preset" > "$out/preset"
cp "$preset_file" "$out/preset.env"
git rev-parse HEAD > "$out/commit" 2>/dev/null || true

# Runs the commands of a job file (one per line: NAME<TAB>COMMAND), JOBS at a time, each logging to logs/NAME.log.
# A failed job is listed and fails the stage after the others finish, so one bad arm does not hide the rest.
run_jobs() {
  local file=$1 what=$2
  stamp "$what: $(wc -l < "$file") jobs, $JOBS at a time"
  local failed="$out/logs/failed-$(basename "$file")"
  : > "$failed"
  # shellcheck disable=SC2016
  tr '\n' '\0' < "$file" | xargs -0 -P "$JOBS" -I{} bash -c '
    line="$1"; name="${line%%	*}"; cmd="${line#*	}"
    if bash -c "$cmd" > "$2/logs/$name.log" 2>&1; then echo "  done $name" >&2
    else echo "  FAILED $name (see $2/logs/$name.log)" >&2; echo "$name" >> "$3"; fi' _ {} "$out" "$failed"
  if [ -s "$failed" ]; then echo "benchmark-methods: $(wc -l < "$failed") $what jobs failed: $(tr '\n' ' ' < "$failed")" >&2; exit 1; fi
}

# Per method: its family (dense: vox2vec/hierarchical's protocols; slices; context; supervised), spec and phantoms.
var() { local v="${1}_${2//-/_}"; echo "${!v:-${3:-}}"; }
sets_of() { local kv; for kv in $(var EVAL_SET "$1"); do printf ' --set %s' "$kv"; done; } # EVAL_SET_<m>: key=value ...
family() { var FAMILY "$1" dense; }
spec_of() { var SPEC "$1" "$SPEC"; }
phantoms_of() { case "$(family "$1")" in slices|context) echo fixedfov;; *) echo plain;; esac; }
splits_of() { var SPLITS "$1" "$splits"; } # SPLITS_<m>: the splits method m is scored on (default: all)
cache_of() { [ "$(phantoms_of "$1")" = fixedfov ] && echo "$out/cache-fixedfov" || echo "$out/cache"; } # + /<set>
need_fixedfov=0
for m in $METHODS; do [ "$(phantoms_of "$m")" = fixedfov ] && need_fixedfov=1; done

stamp "1/5 synth: $PRETRAIN_COUNT plain phantoms to pre-train on (seed 1001); $EVAL_COUNT to score (seed 1), plain and venous"
synth() { # folder extra-args: skipped when a resumed run made it before
  local dir=$1; shift
  [ -d "$dir/FLARE" ] || "$s" synth --out "$dir" --layout flare --size "$SIZE" "$@" >/dev/null
}
for fov in plain $([ $need_fixedfov = 1 ] && echo fixedfov); do
  base="$out/phantoms"; extra=()
  [ "$fov" = fixedfov ] && { base="$out/phantoms-fixedfov"; extra=(--fixed-fov); }
  synth "$base/pretrain" --count "$PRETRAIN_COUNT" --seed 1001 --contrast plain "${extra[@]}"
  synth "$base/plain" --count "$EVAL_COUNT" --seed 1 --contrast plain "${extra[@]}"
  synth "$base/venous" --count "$EVAL_COUNT" --seed 1 --contrast venous "${extra[@]}"
done

stamp "2/5 ingest (each method's spec; the cache skips what it holds)"
splits="plain venous"
ingested=" "
for m in $METHODS; do
  spec=$(spec_of "$m"); fov=$(phantoms_of "$m"); cache=$(cache_of "$m")
  phantoms="$out/phantoms"; [ "$fov" = fixedfov ] && phantoms="$out/phantoms-fixedfov"
  case "$ingested" in *" $spec:$fov "*) continue;; esac
  ingested="$ingested$spec:$fov "
  for set in pretrain plain venous; do
    "$s" ingest --spec "$spec" --source "flare=$phantoms/$set/FLARE" --cache "$cache/$set" > "$out/logs/ingest-$set-$(basename "$spec" .yaml)-$fov.log" 2>&1
  done
done
real_ct="$root/../shared/data/nifti/ct-abdomen-3mm"
if [ -d "$real_ct" ] && [ -d "$root/../shared/data/dicom/ct-abdomen-j2k" ]; then
  "$s" ingest --spec "$SPEC" --source "glob:real-nifti=$real_ct/*.nii.gz" \
    --source "dicom:real-dicom=$root/../shared/data/dicom/ct-abdomen-j2k" --cache "$out/cache/real" > "$out/logs/ingest-real.log" 2>&1
  splits="$splits real"
else
  echo "benchmark-methods: ../shared/data not found: the real-CT split is skipped" >&2
fi

: > "$out/pretrain.jobs"
for m in $METHODS; do
  [ "$(family "$m")" = supervised ] && continue # trained on the labels inside evaluate
  steps=$(var PRETRAIN_STEPS "$m" "${PRETRAIN_STEPS:-0}")
  steps_set=""
  [ "$steps" -gt 0 ] && steps_set="--set steps=$steps"
  [ "$steps" -gt 0 ] && [ "$(family "$m")" = context ] && steps_set="$steps_set --set sampling.curriculumSteps=$steps"
  for p in $PRETRAIN_SEEDS; do
    [ -f "$out/pretrain/$m-p$p/backbone.safetensors" ] && continue # BENCH_RESUME: finished before
    printf '%s\t%s\n' "pretrain-$m-p$p" "'$s' pretrain '$root/$(var PRETRAIN_CONFIG "$m")' --run '$out/pretrain/$m-p$p' --cache '$(cache_of "$m")/pretrain' --set 'cache.spec=$root/$(spec_of "$m")' --set seed=$p --set threads=$THREADS --set device=$DEVICE $steps_set" >> "$out/pretrain.jobs"
  done
done
run_jobs "$out/pretrain.jobs" "3/5 pretrain"

# Evaluation calls, one per (split, method, pre-training seed, protocol set). Each holds out EVAL_SPLITS hold-out
# splits (split r shuffled with seed r: the evaluation seeds), the same volumes for every arm, so pairs are exact;
# the random-init twin of method m / seed p is drawn with --baseline-seed p, so it varies with p as the weights do.
first_method=""
for m in $METHODS; do [ "$(family "$m")" = dense ] && { first_method=$m; break; }; done
set -- $PRETRAIN_SEEDS; first_seed=$1
printf 'split\tmethod\tpretrainSeed\tevalSeed\treport\trandomInit\n' > "$out/runs.tsv"
: > "$out/eval.jobs"
sets=""
for kv in $EVAL_SET; do sets="$sets --set $kv"; done
ftsets=""
for kv in $FINETUNE_SET; do ftsets="$ftsets --set $kv"; done
add_job() { # name split method p eval-seed random-init-of command...: one line of runs.tsv and, unless its report exists, one job
  local name=$1 split=$2 m=$3 p=$4 e=$5 r=$6; shift 6
  local dir="eval/$split/$name"
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$split" "$m" "$p" "$e" "$dir/report.json" "$r" >> "$out/runs.tsv"
  [ -f "$out/$dir/report.json" ] && return 0 # BENCH_RESUME: finished before
  rm -rf "${out:?}/$dir"
  printf '%s\t%s --out %s\n' "$split-$name" "$*" "'$out/$dir'" >> "$out/eval.jobs"
}
add_eval() { # name split method p random-init-of extra-args: `evaluate` with the method's config, cache and run
  local name=$1 split=$2 m=$3 p=$4 r=$5; shift 5
  add_job "$name" "$split" "$m" "$p" 0 "$r" "'$s' evaluate '$root/$(var EVAL_CONFIG "$m" "$EVAL_CONFIG")' --cache '$(cache_of "$m")/$split' --run '$out/pretrain/$m-p$p'" \
    "--set seed=0 --set holdout.repeats=$EVAL_SPLITS --set threads=$THREADS --set device=$DEVICE$sets $*"
}
for split in $splits; do
  if [ "$split" = real ]; then
    # 2 labeled volumes: train on one, score the other; the organs both label maps share with the phantoms
    # (TotalSegmentator ids: spleen 1, kidneys 2-3, gallbladder 4, liver 5, stomach 6, pancreas 7, aorta 52, IVC 63).
    frozen="--set protocols=[linear,knn] --set knn.shots=[1] --set holdout.testCases=1 --set keepLabels=[1,2,3,4,5,6,7,52,63]"
  else
    frozen="--set protocols=[linear,knn] --set holdout.testCases=$TEST_CASES --class-names phantom"
  fi
  finetune=0
  case " $FINETUNE_SPLITS " in *" $split "*) finetune=1;; esac
  for m in $METHODS; do
    case " $(splits_of "$m") " in *" $split "*) ;; *) continue;; esac
    case "$(family "$m")" in
      dense)
        # The random-init twin, unless it is the same network as another dense method's that runs here too
        shared=$(var RANDOM_INIT "$m")
        case " $METHODS " in *" $shared "*) [ "$(family "$shared")" = dense ] && [ "$shared" != "$m" ] || shared="";; *) shared="";; esac
        for p in $PRETRAIN_SEEDS; do
          extra="--random-baseline --baseline-seed $p"
          [ -n "$shared" ] && extra=""
          [ "$m" = "$first_method" ] && [ "$p" = "$first_seed" ] && extra="$extra --baseline handmade"
          add_eval "$m-p$p-frozen" "$split" "$m" "$p" "${shared:--}" $frozen $extra
          if [ $finetune = 1 ]; then
            for n in $LABELED; do
              add_eval "$m-p$p-finetune$n" "$split" "$m" "$p" - --set protocols=[finetune] --set holdout.testCases=$TEST_CASES --set maxTrainCases=$n --class-names phantom $ftsets
            done
          fi
        done ;;
      context) # kNN on the descriptor grid, with its untrained twin (XAVIER) and, once, the paper's GVDIFF
        [ "$split" = real ] && continue # fixed-field-of-view methods: the real CT does not cover one field of view
        for p in $PRETRAIN_SEEDS; do
          extra=""
          [ "$p" = "$first_seed" ] && extra="--baseline gvdiff"
          add_eval "$m-p$p-knn" "$split" "$m" "$p" - --random-baseline --baseline-seed "$p" --set protocols=[knn] --set "knn.shots=[$(echo $KNN_SHOTS | tr ' ' ,)]" \
            --set holdout.testCases=$TEST_CASES --class-names phantom $extra
        done ;;
      slices) # SAL's protocol: the whole 2-D U-Net fine-tuned with M labeled subjects per fold, random init beside it
        # (seeded by the evaluation seed only: fine-tuned with the first pre-training seed, paired with every seed)
        [ $finetune = 1 ] || continue
        for p in $PRETRAIN_SEEDS; do
          random=""
          [ "$p" = "$first_seed" ] || random=" --no-random-baseline"
          for ((e = 0; e < EVAL_SPLITS; e++)); do
            add_job "$m-p$p-e$e-slices" "$split" "$m" "$p" "$e" - "'$s' evaluate-slices '$root/$(var EVAL_CONFIG "$m")' --cache '$(cache_of "$m")/$split'" \
              "--run '$m=$out/pretrain/$m-p$p' --seed $e$random --set labeledSubjects=[$(echo $LABELED | tr ' ' ,)] --set threads=$THREADS --set device=$DEVICE --class-names phantom$(sets_of "$m")"
          done
        done ;;
      supervised) # no pre-training: U-Nets trained on the labels, plain vs auxiliary losses; "seed" p = evaluate seed 100 p
        [ $finetune = 1 ] || continue
        set -- $LABELED; shift $(($# - 1)); most=$1
        for p in $PRETRAIN_SEEDS; do
          add_job "$m-p$p-supervised" "$split" "$m" "$p" 0 - "'$s' evaluate '$root/$(var EVAL_CONFIG "$m")' --spec '$root/$(spec_of "$m")' --cache '$(cache_of "$m")/$split'" \
            "--set seed=$((100 * p)) --set holdout.repeats=$EVAL_SPLITS --set holdout.testCases=$TEST_CASES --set maxTrainCases=$most --set threads=$THREADS --set device=$DEVICE --class-names phantom$(sets_of "$m")"
        done ;;
      *) echo "benchmark-methods: FAMILY_${m//-/_}=$(family "$m") is none of dense, context, slices, supervised" >&2; exit 1 ;;
    esac
  done
  if [ $finetune = 1 ] && [ -n "$first_method" ]; then
    for n in $LABELED; do # from scratch does not depend on the pre-trained weights: once per label count
      add_eval "scratch-n$n" "$split" "$first_method" "$first_seed" - --set protocols=[scratch] --set holdout.testCases=$TEST_CASES --set maxTrainCases=$n --class-names phantom $ftsets
    done
  fi
done
run_jobs "$out/eval.jobs" "4/5 evaluate"

stamp "5/5 compare: paired differences, per-class tables, figure"
"$s" compare "$out/runs.tsv" --out "$out/comparison"
wall=$(( $(date +%s) - start ))
printf '{"preset":"%s","wallSeconds":%d,"commit":"%s","cpus":%d}\n' "$preset" "$wall" "$(cat "$out/commit" 2>/dev/null)" "$(nproc)" > "$out/benchmark.json"
stamp "done in $((wall / 60)) min $((wall % 60)) s: $out/comparison/comparison.md"
