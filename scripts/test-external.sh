#!/usr/bin/env bash
# The external torch backend on CPU (called by scripts/test.sh): builds the training tests with
# -p:TorchBackend=external (no libtorch package; bin/obj under artifacts/external/), places the CPU libtorch 2.10 of
# the NuGet package in an outside folder, and runs the training tests that exercise every native path the trainer
# uses (the backend checks, the process-map test that proves the outside copy is the one loaded, models, InfoNCE, the
# training loop with bitwise resume, batch upload, bf16) against it through STREAMING_LIBTORCH. Skipped: export,
# memory, signal and bench tests, which call the same libtorch entry points again at a higher time cost.
# Prints xunit's summary line; exit status is dotnet test's.
set -uo pipefail
cd "$(dirname "$0")/.."
packages="$(dotnet nuget locals global-packages -l | sed 's/^[^:]*: *//')"
native="${packages%/}/libtorch-cpu-linux-x64/2.10.0/runtimes/linux-x64/native"
[ -f "$native/libtorch_cpu.so" ] || { echo "test-external: $native has no libtorch_cpu.so (run scripts/setup.sh)"; exit 1; }
outside="$(mktemp -d "${TMPDIR:-/tmp}/streaming-outside-libtorch.XXXXXX")"
trap 'rm -rf "$outside"' EXIT
for f in "$native"/libc10.so "$native"/libtorch.so "$native"/libtorch_cpu.so "$native"/libtorch_global_deps.so "$native"/libgomp-*.so.1; do
  cp -l "$f" "$outside/" 2>/dev/null || cp "$f" "$outside/"
done
dotnet build tests/Streaming.Training.Tests -c Release -p:TorchBackend=external -nodeReuse:false --nologo -v q 2>&1 | grep -E 'error|Warn|warn' | grep -v ' 0 ' || true
dll=artifacts/external/Streaming.Training.Tests/bin/Release/net10.0/Streaming.Training.Tests.dll
[ -f "$dll" ] || { echo "test-external: build failed"; exit 1; }
if ls "$(dirname "$dll")" "$(dirname "$dll")"/runtimes/linux-x64/native/ 2>/dev/null | grep -q "^libtorch"; then echo "test-external: the external build carries a libtorch"; exit 1; fi
filter="FullyQualifiedName~Backend|FullyQualifiedName~TorchLoads|FullyQualifiedName~ModelTests|FullyQualifiedName~InfoNce|FullyQualifiedName~TrainingLoopTests|FullyQualifiedName~BatchUpload|FullyQualifiedName~MixedPrecision|FullyQualifiedName~StepTimer"
STREAMING_LIBTORCH="$outside" dotnet test "$dll" --filter "$filter" --nologo "$@"
