#!/usr/bin/env bash
# End-to-end network boot of one bare QEMU machine (issue 3, acceptance 3):
#   pxe_boot.sh bios|uefi full|proxy [ingot|peer]
# full:  `ingot serve --dhcp full` is the only DHCP server on the test LAN.
# proxy: dnsmasq, on another host of the LAN, hands out addresses only (no PXE options) and
#        `ingot serve --dhcp proxy` answers the PXE part.
# The machine gets DHCP, loads iPXE (BIOS: the NIC's iPXE ROM; UEFI: OVMF's own PXE fetches
# ipxe.efi over TFTP), fetches its per-machine boot script and the test kernel + initramfs over
# HTTP; the initramfs prints "INGOT-E2E-MARKER mac=<MAC> token=<this run's token>" and powers off.
# "peer" swaps ingot for dnsmasq (DHCP/ProxyDHCP + TFTP) and busybox httpd with a hand-written
# iPXE script: the same harness against known-good servers, to tell harness trouble from ingot's.
set -euo pipefail
source "$(dirname "$0")/lib/e2e.sh"

usage="usage: pxe_boot.sh bios|uefi full|proxy [ingot|peer]"
firmware=${1:?$usage} mode=${2:?$usage} server=${3:-ingot}
[[ $firmware == bios || $firmware == uefi ]] || e2e_die "firmware '$firmware': $usage"
[[ $mode == full || $mode == proxy ]] || e2e_die "mode '$mode': $usage"
[[ $server == ingot || $server == peer ]] || e2e_die "server '$server': $usage"

# Deadlines (seconds). Measured here under TCG on a quiet machine: BIOS ~16 s, UEFI ~30 s from
# power-on to power-off, two to three times that while the machine compiles. They stay under the
# ctest TIMEOUT so the cleanup trap always runs.
boot_deadline=${E2E_BOOT_DEADLINE:-200}
poweroff_deadline=30

e2e_begin "$firmware-$mode"
[[ $server == peer ]] || e2e_require_ingot
mac=$(e2e_mac 1)
e2e_boot_setup "$mac"
e2e_net_up
[[ $mode == proxy ]] && e2e_dhcp_host
if [[ $server == ingot ]]; then
  e2e_serve_ingot "$mode" --log-level debug
else
  e2e_serve_peer "$mode" "$firmware"
fi
e2e_ra_responder

e2e_vm_start vm1 "$mac" "$firmware"
echo "e2e: $firmware machine $mac powered on, $server serving ($mode DHCP), logs in $E2E_DIR"
e2e_wait_log vm1 "$(e2e_marker "$mac")" "$boot_deadline" ||
  e2e_fail "the $firmware machine did not boot the test initramfs from $server (no marker on its console)"
e2e_wait_exit vm1 "$poweroff_deadline" || e2e_fail "the machine printed its marker but did not power off"
((E2E_EXIT == 0)) || e2e_fail "QEMU exited with status $E2E_EXIT"
e2e_vm_phases vm1 server
echo "e2e: PASS $firmware $mode ($server): marker seen, machine powered off after $(e2e_now)s"
