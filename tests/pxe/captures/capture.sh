#!/bin/bash
# Regenerates the captured DHCP packets used by the golden tests (not run by ctest).
# Real clients against dnsmasq, all inside a throwaway network namespace on 198.18.0.0/24:
#   udhcpc-*       busybox udhcpc
#   ipxe-bios-*    QEMU's built-in iPXE ROM (pxe-e1000.rom), legacy BIOS
#   ovmf-x64-*     OVMF (UEFI x64) PXE base code
# Usage: capture.sh [OUT_DIR]   (root; needs qemu-system-x86, busybox-static, dnsmasq-base, tcpdump)
set -euo pipefail
out=$(realpath "${1:-$(dirname "$0")}")
ns=ingotcap$$
work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  sleep 0.3
  ip netns del "$ns" 2>/dev/null || true
  ip netns del "${ns}c" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
inns() { ip netns exec "$ns" "$@"; }

ip netns add "$ns"
ip netns add "${ns}c"
inns ip link set lo up
inns ip link add br0 type bridge
inns ip addr add 198.18.0.1/24 dev br0
inns ip link set br0 up
inns ip link add veth0 type veth peer name veth1
inns ip link set veth0 master br0 up
inns ip link set veth1 netns "${ns}c"
ip netns exec "${ns}c" ip link set veth1 address 02:00:00:00:00:0c up
inns ip tuntap add tap0 mode tap
inns ip link set tap0 master br0 up

inns dnsmasq --no-daemon --port=0 --interface=br0 --bind-interfaces --dhcp-range=198.18.0.100,198.18.0.150,255.255.255.0 \
  --dhcp-leasefile="$work/leases" --no-ping --dhcp-boot=undionly.kpxe --log-dhcp >"$work/dnsmasq.log" 2>&1 &
pids+=($!)
ip netns exec "${ns}c" tcpdump --immediate-mode -i veth1 -U -w "$work/cap.pcap" udp port 67 or udp port 68 >/dev/null 2>&1 &
pids+=($!)
sleep 2

# busybox udhcpc: DISCOVER, OFFER, REQUEST, ACK; then a RELEASE (-R) on exit.
ip netns exec "${ns}c" busybox udhcpc -i veth1 -n -q -R -t 3 -T 1 -s /bin/true -x hostname:capture -V busybox-test || true
sleep 0.5
kill "${pids[1]}"; wait "${pids[1]}" 2>/dev/null || true
python3 "$(dirname "$0")/pcap_payloads.py" "$work/cap.pcap" "$out/udhcpc"

# QEMU's iPXE ROM: a DISCOVER, dnsmasq's OFFER, the REQUEST, then iPXE tries TFTP and fails.
inns tcpdump --immediate-mode -i br0 -U -w "$work/ipxe.pcap" udp port 67 or udp port 68 >/dev/null 2>&1 &
pids+=($!)
sleep 0.5
inns timeout 25 qemu-system-x86_64 -machine accel=tcg -m 128 -nographic -boot n -no-reboot \
  -netdev tap,id=n0,ifname=tap0,script=no,downscript=no -uuid 12345678-9abc-def0-1122-334455667788 -device e1000,netdev=n0,mac=52:54:00:12:34:56 \
  -serial file:"$work/serial.log" -monitor none -display none </dev/null >/dev/null 2>&1 || true
kill "${pids[2]}"; wait "${pids[2]}" 2>/dev/null || true
python3 "$(dirname "$0")/pcap_payloads.py" "$work/ipxe.pcap" "$out/ipxe-bios"

# OVMF (UEFI x64): EDK2's own PXE base code over iPXE's SNP driver sends arch 7 and a UUID.
inns tcpdump --immediate-mode -i br0 -U -w "$work/ovmf.pcap" udp port 67 or udp port 68 or udp port 4011 >/dev/null 2>&1 &
pids+=($!)
sleep 0.5
inns timeout 60 qemu-system-x86_64 -machine accel=tcg -m 256 -nographic -boot n -no-reboot -bios /usr/share/qemu/OVMF.fd \
  -netdev tap,id=n0,ifname=tap0,script=no,downscript=no -uuid 00112233-4455-6677-8899-aabbccddeeff -device e1000,netdev=n0,mac=52:54:00:12:34:57 \
  -serial file:"$work/serial-efi.log" -monitor none -display none </dev/null >/dev/null 2>&1 || true
kill "${pids[3]}"; wait "${pids[3]}" 2>/dev/null || true
python3 "$(dirname "$0")/pcap_payloads.py" "$work/ovmf.pcap" "$out/ovmf-x64"
