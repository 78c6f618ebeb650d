#!/usr/bin/env bash
# Recaptures the 2-socket NVMe/virtio fixture from a fresh QEMU boot (tests/hwmatch/capture) and
# checks detection on it gives the committed golden facts: the capture tooling still works and
# the fixture is what a real boot of that shape produces. Only what the fixture controls is
# compared (capture/compare_facts.py masks the kernel's and QEMU's own versions).
set -euo pipefail
src=${INGOT_SOURCE_DIR:?}
agent=${INGOT_AGENT_BIN:?}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ingot-capture-$$-XXXXXX")
trap 'rm -rf "$tmp"' EXIT
shape=2s-nvme-virtio-4nic
"$src/tests/hwmatch/capture/capture.sh" "$shape" "$tmp/tree"
"$agent" detect --quiet --root "$tmp/tree" > "$tmp/facts.json"
if ! python3 "$src/tests/hwmatch/capture/compare_facts.py" "$src/tests/hwmatch/fixtures/$shape/facts.json" "$tmp/facts.json"; then
  echo "detect_capture_test: a fresh capture of $shape differs from the golden facts" >&2
  exit 1
fi
echo "detect_capture_test: $shape recaptured, $(wc -l < "$tmp/facts.json") lines of facts match"
