#!/usr/bin/env bash
# Builds Tributary: installs the Debian dependencies if any is missing, configures
# build/ (Ninja, RelWithDebInfo) and compiles everything, producing build/tributary.
# Works from any directory. TRIBUTARY_BUILD_JOBS overrides the number of parallel jobs.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/install-deps.sh

jobs="${TRIBUTARY_BUILD_JOBS:-$(nproc 2>/dev/null || echo 2)}"

cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
ninja -C build -j "${jobs}"

echo "build.sh: built $(pwd)/build/tributary"
