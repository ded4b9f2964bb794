#!/usr/bin/env bash
# Runs every test (unit and integration) through ctest: installs the Debian dependencies
# if any is missing, builds (scripts/build.sh), then runs ctest on build/.
# Exits non-zero when anything fails. Extra arguments go to ctest (e.g. -R integration).
# Runs non-interactively (CI=true, no stdin, as root).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/build.sh </dev/null

ctest --test-dir build --output-on-failure --no-tests=error --parallel "$(nproc 2>/dev/null || echo 2)" "$@" </dev/null
