#!/usr/bin/env bash
# Installs Tributary's build and test dependencies from Debian packages.
# Idempotent: when every package is already installed it does nothing.
set -euo pipefail

PACKAGES=(
  build-essential cmake ninja-build pkg-config
  libboost-dev libboost-program-options-dev
  librdkafka-dev librocksdb-dev
  libantlr4-runtime-dev antlr4 uuid-dev
  libxxhash-dev libsimdjson-dev libssl-dev libfmt-dev libspdlog-dev catch2
  libpq-dev postgresql postgresql-client kcat openssl
  libpostgresql-jdbc-java openjdk-17-jdk-headless python3-psycopg
  python3-matplotlib
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
