#!/usr/bin/env bash
# Launcher for the `streaming` CLI: builds it once (Release) and runs it with the allocator settings that keep
# libtorch CPU steps fast and steady (glibc's mmap/trim churn made them 3-5x slower; watch peak memory).
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
out="$here/src/Streaming.Cli/bin/Release/net10.0"
if [ ! -f "$out/streaming.dll" ] || [ -n "$(find "$here/src" -name '*.cs' -newer "$out/streaming.dll" -print -quit)" ]; then
  if [ -f "$out/streaming.dll" ]; then echo "streaming: sources changed, rebuilding the CLI (Release)..." >&2
  else echo "streaming: first run: building the CLI (Release; a minute or two, once)..." >&2; fi
  [ -f /usr/lib/cli/gdcm-sharp-3.0/gdcm-sharp.dll ] || "$here/scripts/setup.sh" >&2
  dotnet build "$here/src/Streaming.Cli" -c Release --nologo -v q >&2
fi
export MALLOC_MMAP_MAX_="${MALLOC_MMAP_MAX_:-0}" MALLOC_TRIM_THRESHOLD_="${MALLOC_TRIM_THRESHOLD_:-268435456}"
exec dotnet "$out/streaming.dll" "$@"
