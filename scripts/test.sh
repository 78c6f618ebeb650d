#!/usr/bin/env bash
# Sets up a fresh Debian 12 machine (packages), builds ingot and runs the test suite.
#   scripts/test.sh            everything (unit, integration, e2e, upgrade)
#   scripts/test.sh -L unit    one kind, any ctest arguments pass through
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cmake --preset ci >/dev/null
cmake --build --preset ci -j"$(nproc)"
cd build/ci
# Two at a time: tests that need the whole machine (QEMU) are RUN_SERIAL.
exec ctest --output-on-failure --timeout 900 -j2 "$@"
