#!/usr/bin/env bash
# The README's main command, end to end on CPU: generate phantoms → ingest them into the shard cache → pre-train a
# small vox2vec on one set of phantoms → linear-probe the pre-trained backbone and a random init of the same
# architecture on the same held-out folds of another, disjoint set (no transduction) → print the Dice table (report,
# figure and NIfTI predictions under runs/demo/evaluate).
# When ../shared/data is present, the same evaluation runs on its real labeled CT (runs/demo/real-ct).
# Budget: 20 minutes on 2 cores. DEMO_DIR overrides the work folder (default runs/demo, git-ignored).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
./scripts/setup.sh >&2
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
s="$root/scripts/streaming.sh"
work="${DEMO_DIR:-runs/demo}"
count="${DEMO_PHANTOMS:-16}"
start=$(date +%s)
stamp() { echo "[demo $(( $(date +%s) - start )) s] $*" >&2; }

# A fresh run every time: the pre-training run folder refuses to start over an old one without --resume.
case "$work" in ""|/|.|..) echo "refusing to clear DEMO_DIR=$work" >&2; exit 1;; esac
rm -rf "$work"
mkdir -p "$work"
dotnet build src/Streaming.Cli -c Release --nologo -v q >&2

stamp "1/4 synth: $count small CT phantoms to score (seed 1) and $count others to pre-train on (seed 1001)"
"$s" synth --out "$work/phantoms" --layout flare --count "$count" --size small --seed 1 --modality ct
"$s" synth --out "$work/pretrain-phantoms" --layout flare --count "$count" --size small --seed 1001 --modality ct

stamp "2/4 ingest: resample to 3 mm, crop to the body, labels nearest-neighbour on the same grid (two caches)"
"$s" ingest --spec pipelines/ct-demo-3mm.yaml --source "flare=$work/phantoms/FLARE" --cache "$work/cache"
"$s" ingest --spec pipelines/ct-demo-3mm.yaml --source "flare=$work/pretrain-phantoms/FLARE" --cache "$work/pretrain-cache"

stamp "3/4 pretrain: small vox2vec on CPU (pipelines/eval-demo-pretrain.yaml), on the pre-training phantoms only"
"$s" pretrain pipelines/eval-demo-pretrain.yaml --run "$work/pretrain" --cache "$work/pretrain-cache"

stamp "4/4 evaluate: linear probe, pre-trained vs random init, k-fold on held-out phantoms"
# No --spec: the backbone's backbone.json names the spec it was trained on (ct-demo-3mm), and evaluate reads that cache.
"$s" evaluate pipelines/eval-demo.yaml --cache "$work/cache" \
  --run "$work/pretrain" --random-baseline --class-names phantom --out "$work/evaluate"

if [ -d ../shared/data/nifti/ct-abdomen-3mm ]; then
  stamp "real CT: ../shared/data labeled CT through the same spec and evaluation"
  "$s" ingest --spec pipelines/ct-demo-3mm.yaml --source "glob:real-nifti=$root/../shared/data/nifti/ct-abdomen-3mm/*.nii.gz" \
    --source "dicom:real-dicom=$root/../shared/data/dicom/ct-abdomen-j2k" --cache "$work/real-cache" || true
  "$s" evaluate pipelines/eval-real-ct.yaml --cache "$work/real-cache" \
    --run "$work/pretrain" --random-baseline --out "$work/real-ct" || echo "real-CT evaluation did not run (see above)" >&2
fi
stamp "done: report $work/evaluate/report.md, figure $work/evaluate/dice.png"
