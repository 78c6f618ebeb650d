#!/usr/bin/env bash
# Power-on to "initramfs running" for one bare QEMU machine (TCG) network-booting from ingot,
# against the same boot served by dnsmasq (DHCP + TFTP) and busybox httpd, in the same run with
# the same harness (tests/e2e/pxe_boot.sh). Firmware and kernel dominate the time; the ratio
# shows whether ingot's boot plane adds delay. Lower is better; target 0.9: within the
# run-to-run noise of TCG boots on a shared machine.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
test=$INGOT_SOURCE_DIR/tests/e2e/pxe_boot.sh
export INGOT_BIN

# The run's own clock: seconds from the start of the script to the marker line.
boot_seconds() {
  local out t
  out=$(bash "$test" "$@" 2>&1) || { echo "$out" | tail -30 >&2; echo "bench: pxe_boot.sh $* failed" >&2; return 1; }
  t=$(echo "$out" | awk '$2 == "marker" && $3 == "printed" {print $1}')
  [[ -n $t ]] || { echo "bench: no marker time from pxe_boot.sh $*" >&2; return 1; }
  echo "$t"
}

for fw in bios uefi; do
  ingot=$(boot_seconds "$fw" full ingot)
  peer=$(boot_seconds "$fw" full peer)
  result "pxe_boot_${fw}_to_marker_s" "$ingot" dnsmasq+busybox-httpd "$peer" 0.9 lower
done
