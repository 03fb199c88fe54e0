#!/usr/bin/env bash
# Rebuilds TorchSharp's native glue (libLibTorchSharp.so) from TorchSharp 0.107.0's own C++ source (native/ beside
# this script, MIT, see native/README.md) against the headers and libraries of an installed PyTorch, with plain g++:
# one object per source, in parallel, no CMake and no CUDA toolkit needed (the glue only calls libtorch's C++ API).
# Needs no network and no .NET. The app prefers a glue found at <app>/glue/libLibTorchSharp.so.
#
# usage: rebuild-glue.sh [--out FILE] [--jobs N] [--python PY] [--torch DIR] [--src DIR]
#   --out     where to install the glue (default: ../glue/libLibTorchSharp.so from this script, i.e. the app's glue
#             folder when run from an unpacked GPU bundle); written to a temporary name and renamed
#   --python  the python whose torch package to build against (default: $STREAMING_PYTHON, else python3)
#   --torch   the torch package folder (holding include/ and lib/) instead of asking python
#   --include the C++ headers folder when they are not in <torch>/include (Debian's libtorch-dev: /usr/include)
# Environment: CXX (g++), CXXSTD (c++17; retried with c++20 when the headers ask for it), TORCH_CXX11_ABI (0/1).
# Exit codes: 0 built, 2 no compiler/torch/headers, 3 a source failed to compile, 4 the link failed.
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
src="$here/native"; out="$here/../glue/libLibTorchSharp.so"; jobs="$(nproc)"
python="${STREAMING_PYTHON:-python3}"; torch=""; inc=""
while [ $# -gt 0 ]; do
  case "$1" in
    --out) out="$2"; shift 2 ;;
    --jobs) jobs="$2"; shift 2 ;;
    --python) python="$2"; shift 2 ;;
    --torch) torch="$2"; shift 2 ;;
    --src) src="$2"; shift 2 ;;
    --include) inc="$2"; shift 2 ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) echo "rebuild-glue: unknown argument $1" >&2; exit 2 ;;
  esac
done
fail() { echo "rebuild-glue: $2" >&2; exit "$1"; }
CXX="${CXX:-g++}"; CC="${CC:-gcc}"
command -v "$CXX" >/dev/null || fail 2 "no C++ compiler ($CXX); install g++ or set CXX"
[ -f "$src/LibTorchSharp/THSTensor.cpp" ] || fail 2 "no TorchSharp native source in $src"
if [ -z "$torch" ]; then
  command -v "$python" >/dev/null || fail 2 "$python not found; pass --python or --torch"
  torch="$("$python" -c 'import importlib.util, os; s = importlib.util.find_spec("torch"); print(os.path.dirname(s.origin) if s and s.origin else "")' 2>/dev/null)"
  [ -n "$torch" ] || fail 2 "$python has no torch package; pass --python PY for one that has, or --torch DIR"
fi
inc="${inc:-$torch/include}"
[ -f "$inc/torch/csrc/api/include/torch/torch.h" ] || fail 2 "torch at $torch has no C++ headers ($inc/torch/csrc/api/include/torch/torch.h missing): install a PyTorch that ships them (pip wheels do; Debian needs libtorch-dev)"
lib="$torch/lib"
[ -f "$lib/libtorch_cpu.so" ] || fail 2 "torch at $torch has no lib/libtorch_cpu.so"
# The C++ ABI flag must match libtorch's (std::string and std::list layouts differ). Ask torch; fall back to its CMake config.
abi="${TORCH_CXX11_ABI:-}"
if [ -z "$abi" ]; then
  abi="$("$python" -c 'import torch; print(int(torch._C._GLIBCXX_USE_CXX11_ABI))' 2>/dev/null | tail -n 1)"
  [ -n "$abi" ] || abi="$(grep -ho '_GLIBCXX_USE_CXX11_ABI=[01]' "$torch/share/cmake/Torch/TorchConfig.cmake" 2>/dev/null | head -n 1 | cut -d= -f2)"
  [ -n "$abi" ] || abi=1
fi
version="$(sed -n "s/^__version__ *= *['\"]\\([^'\"]*\\)['\"].*/\\1/p" "$torch/version.py" 2>/dev/null)"
std="${CXXSTD:-c++17}"
build="$(mktemp -d "${TMPDIR:-/tmp}/rebuild-glue.XXXXXX")"
trap 'rm -rf "$build"' EXIT
echo "rebuild-glue: torch ${version:-?} at $torch, C++11 ABI $abi, $($CXX --version | head -n 1), -std=$std, $jobs jobs"
common="-O2 -fPIC -fvisibility=hidden -DNDEBUG -D__LINUX__ -D_NO_ASYNCRTIMP -D_NO_PPLXIMP"
t0=$(date +%s)

compile_all() {
  export CXX build src inc common std abi
  ls "$src"/LibTorchSharp/*.cpp | xargs -P "$jobs" -I{} sh -c '
    f="$1"; o="$build/$(basename "$f").o"
    $CXX $common -std=$std -D_GLIBCXX_USE_CXX11_ABI=$abi -Wno-deprecated-declarations -Wno-unused-local-typedefs \
      -I"$src" -I"$src/LibTorchSharp" -I"$inc" -I"$inc/torch/csrc/api/include" -c "$f" -o "$o" 2> "$o.log" \
      || { echo "$f" >> "$build/failed"; exit 0; }' _ {}
}
compile_all
if [ -s "$build/failed" ] && [ "$std" = "c++17" ] && grep -qi 'c++20\|C++20' "$build"/*.log; then
  echo "rebuild-glue: the headers ask for C++20; compiling again with -std=c++20"
  std=c++20; rm -f "$build/failed" "$build"/*.o; compile_all
fi
if [ -s "$build/failed" ]; then
  n=$(wc -l < "$build/failed"); total=$(ls "$src"/LibTorchSharp/*.cpp | wc -l)
  first="$(head -n 1 "$build/failed")"
  echo "rebuild-glue: $n of $total sources failed to compile against torch ${version:-?} ($(tr '\n' ' ' < "$build/failed" | xargs -n 1 basename | tr '\n' ' '))" >&2
  echo "rebuild-glue: first errors in $(basename "$first"):" >&2
  grep -m 5 -A 3 'error' "$build/$(basename "$first").o.log" | head -c 3000 >&2
  [ -n "${REBUILD_GLUE_LOGS:-}" ] && mkdir -p "$REBUILD_GLUE_LOGS" && cp "$build"/*.log "$REBUILD_GLUE_LOGS"/ 2>/dev/null
  exit 3
fi
$CC $common -c "$src/LibTorchSharp/crc32c.c" -o "$build/crc32c.c.o" || fail 3 "crc32c.c failed to compile"
mkdir -p "$(dirname "$out")"
# -Bsymbolic and the soname as TorchSharp's own build; --no-as-needed keeps libtorch.so (which pulls in libtorch_cuda
# in CUDA wheels) among the needed libraries although the glue calls nothing in it directly.
if ! $CXX -shared -o "$out.tmp" "$build"/*.o -Wl,-soname,libLibTorchSharp.so -Wl,-Bsymbolic \
     -L"$lib" -Wl,--no-as-needed -ltorch -ltorch_cpu -lc10 -Wl,--as-needed -Wl,-rpath,'$ORIGIN' 2> "$build/link.log"; then
  head -c 3000 "$build/link.log" >&2; rm -f "$out.tmp"; fail 4 "linking failed"
fi
mv -f "$out.tmp" "$out"
echo "rebuild-glue: built $out ($(stat -c %s "$out") bytes) in $(( $(date +%s) - t0 )) s"
