#!/usr/bin/env bash
# Hardware detection wall time on this machine: `ingot-agent detect` against lshw (the tool
# eDeploy's detection was built on), both producing their full JSON inventory, side by side.
# Lower is better; target: ingot at least 5x faster.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
command -v lshw > /dev/null || { echo "bench detect: lshw not installed (scripts/setup.sh)" >&2; exit 2; }
runs=${RUNS:-20}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
hyperfine --style none --warmup 2 --runs "$runs" --export-json "$tmp/h.json" \
  -n ingot "$INGOT_AGENT_BIN detect --quiet > /dev/null" \
  -n lshw "lshw -json -quiet > /dev/null 2>&1" > /dev/null
mean_ms() { python3 -c "import json,sys; r=[x for x in json.load(open('$tmp/h.json'))['results'] if x['command']=='$1'][0]; print(round(r['mean']*1000, 2))"; }
result "detect wall time (ms, live /)" "$(mean_ms ingot)" lshw "$(mean_ms lshw)" 5 lower
