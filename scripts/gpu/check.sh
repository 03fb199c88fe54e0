#!/usr/bin/env bash
# The project's libtorch check for a GPU machine: does TorchSharp's native glue (the rebuilt one in app/glue/ if
# present, else the packaged one) find every libtorch symbol it imports in the PyTorch's libtorch? Reads the ELF
# tables only; loads nothing, so it cannot crash. Exit 0: they match; 1: they do not (the message names the missing
# symbols and the fix: app/gpu/rebuild-glue.sh).
#   usage: app/gpu/check.sh [--libtorch auto|DIR] [--load] [--json]     (default: $STREAMING_LIBTORCH, else auto)
set -uo pipefail
app="$(cd "$(dirname "$0")/.." && pwd)"
export DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1
case " $* " in *" --libtorch "*) ;; *) set -- --libtorch "${STREAMING_LIBTORCH:-auto}" "$@" ;; esac
exec "$app/streaming" torch check "$@"
