#!/usr/bin/env bash
# Launcher for the `streaming` CLI: builds it once (Release) and runs it with the allocator settings that keep
# libtorch CPU steps fast and steady (glibc's mmap/trim churn made them 3-5x slower; watch peak memory).
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
out="$here/src/Streaming.Cli/bin/Release/net10.0"
# Rebuild when a source or project file changed since the last build through here. obj/ and bin/ are build outputs
# (a Debug build writes .cs files there); the stamp, not streaming.dll, marks the build, because a build that changes
# only a library leaves streaming.dll as it was.
stamp="$out/.streaming-sh-built"
if [ ! -f "$out/streaming.dll" ] || [ ! -f "$stamp" ] || [ -n "$(find "$here/src" "$here/build" "$here"/Directory.* \
     \( -name obj -o -name bin \) -prune -o -type f \( -name '*.cs' -o -name '*.csproj' -o -name '*.props' -o -name '*.targets' \) \
     -newer "$stamp" -print -quit 2>/dev/null)" ]; then
  if [ -f "$out/streaming.dll" ]; then echo "streaming: sources changed, rebuilding the CLI (Release)..." >&2
  else echo "streaming: first run: building the CLI (Release; a minute or two, once)..." >&2; fi
  [ -f /usr/lib/cli/gdcm-sharp-3.0/gdcm-sharp.dll ] || "$here/scripts/setup.sh" >&2
  # The marker is taken before the build (an edit made during it still counts as newer) and lives outside bin/, with
  # a name of its own: a file there vanished during a build in a fresh clone, and parallel launchers must not share it.
  marker=$(mktemp "${TMPDIR:-/tmp}/streaming-sh-built.XXXXXX")
  dotnet build "$here/src/Streaming.Cli" -c Release --nologo -v q >&2
  mkdir -p "$out" && mv "$marker" "$stamp"
fi
# pretrain's steps reuse the same buffers, so keeping every allocation on the heap (no mmap) is fast and stays flat.
# Elsewhere (evaluate's kNN, embed) buffer sizes vary and a no-mmap heap fragments without bound (kNN on 11 small
# phantoms grew past 22 GB; 1.4 GB with mmap allowed): there, only allocations over a fixed 32 MiB use mmap.
case "${1:-}" in
  pretrain) export MALLOC_MMAP_MAX_="${MALLOC_MMAP_MAX_:-0}" ;;
  *) export MALLOC_MMAP_THRESHOLD_="${MALLOC_MMAP_THRESHOLD_:-33554432}" ;;
esac
export MALLOC_TRIM_THRESHOLD_="${MALLOC_TRIM_THRESHOLD_:-268435456}"
# OMP_WAIT_POLICY is left to the user: export OMP_WAIT_POLICY=passive on a node whose cores other jobs also use
# (3-9x faster there), keep the default on free cores (1.6x faster than passive); docs/benchmarks.md.
exec dotnet "$out/streaming.dll" "$@"
