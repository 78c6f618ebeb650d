#!/usr/bin/env bash
# The README's first command: sets up a fresh Debian 12 machine, builds ingot, then boots a bare
# QEMU machine (legacy BIOS, empty disk, no KVM) from `ingot serve` in a private network
# namespace, showing the server's log and the machine's console live. At the end it says where
# the logs and the boot policy are, and removes the namespace and every process it started.
# Then the main job: two bare machines (one BIOS, one UEFI) behind simulated BMCs are enrolled
# with `ingot node add --bmc`, deployed with `ingot node deploy`, PXE-boot the deploy ramdisk,
# are matched to two roles, get the tiny role image, boot from their own disks and call back.
#   sudo bash scripts/demo.sh              everything
#   sudo bash scripts/demo.sh --no-setup   skip the package installation and the build
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

setup=1
for a in "$@"; do
  case $a in
    --no-setup) setup="" ;;
    *) echo "usage: scripts/demo.sh [--no-setup]" >&2; exit 2 ;;
  esac
done

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

if [[ -n $setup ]]; then
  step "1/4 setup: Debian packages (scripts/setup.sh)"
  bash scripts/setup.sh
  step "2/4 build: cmake --preset ci && cmake --build --preset ci"
  cmake --preset ci >/dev/null
  cmake --build --preset ci -j"$(nproc)"
fi

export INGOT_SOURCE_DIR=$root INGOT_BIN=${INGOT_BIN:-$root/build/ci/provisioner/ingot}
export INGOT_AGENT_BIN=${INGOT_AGENT_BIN:-$root/build/ci/provisioner/ingot-agent}
export E2E_KEEP=1   # the logs are the point of a demo: keep them
source tests/e2e/lib/e2e.sh

step "3/4 boot: a bare BIOS machine network-boots from ingot"
e2e_begin demo
e2e_require_ingot
echo "preparing the kernel (Debian's, cached in $INGOT_CACHE_DIR) and a test initramfs..."
mac=$(e2e_mac 1)
e2e_boot_setup "$mac"
e2e_net_up
echo "network namespace $E2E_NS: bridge br0, ingot at $E2E_SERVER_IP"
echo "server log lines are prefixed 'server', the machine's console 'vm1'; times are seconds since start"
E2E_LIVE=1
e2e_serve_ingot full
e2e_ra_responder
e2e_vm_start vm1 "$mac" bios
e2e_wait_log vm1 "$(e2e_marker "$mac")" 300 ||
  e2e_fail "the machine did not boot from ingot (no marker on its console)"
e2e_wait_exit vm1 30 || e2e_fail "the machine booted but did not power off"
E2E_LIVE=""
elapsed=$(e2e_now)
e2e_stop_all
e2e_net_down

step "done: machine $mac booted ingot's kernel + initramfs and powered off (${elapsed} s)"
e2e_vm_phases vm1 server
cat <<EOT

Where to look:
  boot policy used     $E2E_POLICY
  ingot serve log      $E2E_DIR/server.log
  machine console      $E2E_DIR/vm1.log
  files served         $E2E_DIR/tftp/ (TFTP), $E2E_DIR/http/ (HTTP)
  the server command   ip netns exec <namespace> ${E2E_SERVE_CMD[*]}
The namespace and every process the demo started are gone; the directory above stays.
EOT

step "4/4 provision: two bare machines, enrolled and deployed through their BMCs"
echo "(tests/e2e/provision.sh: ingot serve --roles tests/e2e/roles in a namespace, ipmi_sim BMCs,"
echo " QEMU machines; consoles and the server log scroll below, then each node's timeline)"
E2E_KEEP=1 E2E_LIVE=1 bash tests/e2e/provision.sh
