#!/usr/bin/env bash
# Installs what a fresh Debian 12 machine with only the .NET SDK needs, then restores NuGet packages.
set -euo pipefail
cd "$(dirname "$0")/.."
need_apt=()
[ -f /usr/lib/cli/gdcm-sharp-3.0/gdcm-sharp.dll ] || need_apt+=(libgdcm-cil)
# Debian's PyTorch 1.13: the Python bridge's tests, and the deliberately mismatched libtorch of the symbol-check tests.
[ -f /usr/lib/python3/dist-packages/torch/__init__.py ] || need_apt+=(python3-torch)
if [ ${#need_apt[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need_apt[@]}"
fi
dotnet restore Streaming.sln --nologo -v q
