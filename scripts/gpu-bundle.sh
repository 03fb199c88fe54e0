#!/usr/bin/env bash
# Packs the `streaming` CLI for a GPU machine that has a Python PyTorch but no .NET and no network: a self-contained
# linux-x64 publish built with the external torch backend (no libtorch inside; it loads the PyTorch's libtorch at run
# time, see src/Streaming.Training/README.md), TorchSharp's native glue source and the script that rebuilds the glue
# against that PyTorch (MIT, with its licence), the project's check script, the pipelines and the GPU check.
# Output: artifacts/gpu/streaming-gpu-linux-x64.tar.xz (must stay under 50 MB: GPU loans carry at most 64 MiB).
#
# usage: scripts/gpu-bundle.sh [--out FILE] [--xz-level N]
set -euo pipefail
cd "$(dirname "$0")/.."
root="$(pwd)"
out="$root/artifacts/gpu/streaming-gpu-linux-x64.tar.xz"; level=9
while [ $# -gt 0 ]; do
  case "$1" in
    --out) out="$(realpath -m "$2")"; shift 2 ;;
    --xz-level) level="$2"; shift 2 ;;
    *) echo "gpu-bundle: unknown argument $1" >&2; exit 2 ;;
  esac
done
limit=$((50 * 1000 * 1000))
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
stage="$(mktemp -d "${TMPDIR:-/tmp}/gpu-bundle.XXXXXX")"
trap 'rm -rf "$stage"' EXIT
b="$stage/streaming-gpu"
t0=$(date +%s)
# Untrimmed: trimming breaks TorchSharp's reflection. Invariant globalization: GPU images often lack ICU.
dotnet publish src/Streaming.Cli -c Release -r linux-x64 --self-contained true -p:TorchBackend=external \
  -p:InvariantGlobalization=true -p:DebugType=none -p:GenerateDocumentationFile=false -nodeReuse:false --nologo -v q \
  -o "$b/app" >&2
t1=$(date +%s)
if ls "$b/app" "$b/app/glue/packaged" | grep -q "^libtorch"; then echo "gpu-bundle: a libtorch library ended up in the external build" >&2; exit 1; fi
[ -f "$b/app/glue/packaged/libLibTorchSharp.so" ] || { echo "gpu-bundle: TorchSharp's glue is missing from the publish (glue/packaged/)" >&2; exit 1; }
mkdir -p "$b/app/gpu" "$b/scripts/bench" "$b/pipelines"
cp -r scripts/gpu/native "$b/app/gpu/native"
cp scripts/gpu/rebuild-glue.sh scripts/gpu/check.sh "$b/app/gpu/"
cp scripts/gpu-check.sh "$b/scripts/"
mkdir -p "$b/scripts/gpu"; cp scripts/gpu/gpu_report.py "$b/scripts/gpu/"
cp scripts/bench/vox2vec_fpn_step.py "$b/scripts/bench/"
cp pipelines/*.yaml "$b/pipelines/"
git rev-parse HEAD > "$b/COMMIT" 2>/dev/null || echo unknown > "$b/COMMIT"
cat > "$b/README.txt" <<'EOF'
streaming for a GPU machine with a Python PyTorch (no .NET, no network needed)

  app/streaming                  the CLI (self-contained linux-x64; loads the PyTorch's libtorch: STREAMING_LIBTORCH=auto|DIR)
  app/gpu/check.sh               checks that TorchSharp's native glue matches that libtorch (no loading)
  app/gpu/rebuild-glue.sh        rebuilds the glue against that PyTorch (g++; installs to app/glue/, preferred at start)
  app/gpu/native/                TorchSharp 0.107.0's native source (MIT, LICENSE.TorchSharp.txt)
  scripts/gpu-check.sh           the whole GPU check: symbols, rebuild if needed, phantoms, pretrain vs PyTorch, table
  pipelines/, scripts/bench/     configs and the PyTorch baseline the check uses

Set STREAMING_PYTHON=/path/to/python when the python with torch is not python3 on the PATH.
EOF
mkdir -p "$(dirname "$out")"
unpacked=$(du -sb "$b" | cut -f1)
tar -C "$stage" -cf - streaming-gpu | xz -T0 -"$level" > "$out.tmp"
mv -f "$out.tmp" "$out"
size=$(stat -c %s "$out")
t2=$(date +%s)
printf 'gpu-bundle: %s: %.1f MB (%d bytes; %.0f MB unpacked); publish %d s, xz -%s %d s\n' \
  "$out" "$(echo "$size / 1000000" | bc -l)" "$size" "$(echo "$unpacked / 1000000" | bc -l)" $((t1 - t0)) "$level" $((t2 - t1))
if [ "$size" -ge "$limit" ]; then echo "gpu-bundle: $size bytes is over the 50 MB limit" >&2; exit 1; fi
