#!/usr/bin/env bash
# Installs the dependencies if needed, builds, and runs the server in the foreground on
# 127.0.0.1:5488 with its data in ./tributary-data (at the repository root).
# Stop it with Ctrl-C. Extra arguments go to the server (e.g. --log-level debug).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/build.sh

cat <<'MSG'

Tributary is starting on 127.0.0.1:5488 (data in ./tributary-data). Connect with:

    psql "host=127.0.0.1 port=5488 user=tributary dbname=tributary"

Stop it with Ctrl-C.

MSG

exec build/tributary --listen 127.0.0.1:5488 --data-dir ./tributary-data "$@"
