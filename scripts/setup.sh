#!/usr/bin/env bash
# Installs what a fresh Debian 12 machine with only the .NET SDK needs, then restores NuGet packages.
set -euo pipefail
cd "$(dirname "$0")/.."
need_apt=()
[ -f /usr/lib/cli/gdcm-sharp-3.0/gdcm-sharp.dll ] || need_apt+=(libgdcm-cil)
# The Python bridge (python/) and its tests use Debian's python3 (not a pyenv one) with these packages;
# python3-xxhash makes chunk checksums C-fast (the pure-Python fallback hashes ~15 MB/s).
for m in numpy:python3-numpy zstandard:python3-zstandard torch:python3-torch nibabel:python3-nibabel xxhash:python3-xxhash; do
  /usr/bin/python3 -c "import ${m%%:*}" 2>/dev/null || need_apt+=("${m#*:}")
done
if [ ${#need_apt[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need_apt[@]}"
fi
dotnet restore Streaming.sln --nologo -v q
