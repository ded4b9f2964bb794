#!/usr/bin/env bash
# Runs the benchmark suite in bench/ side by side with PostgreSQL 15 and writes
# OUT/<date>.json, OUT/<date>.md (a draft of the README's Performance section) and the
# charts OUT/<date>-throughput.png and OUT/<date>-latency.png. OUT is bench/results.
#
#   scripts/bench.sh            the full suite (sizes up to 10M rows: the better part of an hour)
#   scripts/bench.sh --quick    a few minutes (sizes up to 1M rows)
#   scripts/bench.sh --smoke    seconds: checks that every stage runs (ctest label "bench")
# Other options: --build DIR (default build), --out DIR, --only STAGE[,STAGE...] with
# stages ingest, freshness, sizes, serving, nexmark.
#
# It builds nothing: run scripts/build.sh first. Every server, mock Kafka cluster and
# PostgreSQL cluster it needs it starts itself on free ports, and stops, with their
# temporary folders, when it ends (also on Ctrl-C).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
mode=full
build="$root/build"
out="$root/bench/results"
only=""
command="scripts/bench.sh $*"
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) mode=quick ;;
    --smoke) mode=smoke ;;
    --build) build="$(cd "$2" && pwd)"; shift ;;
    --out) mkdir -p "$2"; out="$(cd "$2" && pwd)"; shift ;;
    --only) only="$2"; shift ;;
    -h|--help) sed -n '2,15p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
  shift
done

for binary in tributary bench/bench_kafka_ingest bench/bench_freshness; do
  if [ ! -x "$build/$binary" ]; then
    echo "bench.sh: $build/$binary is missing: build first (scripts/build.sh)" >&2
    exit 1
  fi
done

# Debian's python3, which has python3-psycopg and python3-matplotlib (a pyenv python3
# earlier on PATH has neither).
python=/usr/bin/python3
stamp="$(date -u +%Y-%m-%d-%H%M%S)"
status=0
"$python" "$root/bench/suite.py" --mode "$mode" --build "$build" --out "$out" \
  --stamp "$stamp" --only "$only" --command "$command" >/dev/null || status=$?
# A failed stage is recorded in the results: write the report anyway, then fail.
if [ -f "$out/$stamp.json" ]; then
  md="$("$python" "$root/bench/report.py" "$out/$stamp.json")"
  echo "bench.sh: results in $out/$stamp.json"
  echo "bench.sh: report in $md"
fi
if [ "$status" -ne 0 ]; then
  echo "bench.sh: the suite failed (status $status); see above" >&2
fi
exit "$status"
