#!/usr/bin/env bash
# Builds the deploy ramdisk from Debian's kernel package and boots it in QEMU (TCG, direct
# kernel boot, no network): the agent must start inside it, with all its libraries, and detect
# the machine's virtio disk.
set -euo pipefail
cache=${INGOT_CACHE_DIR:-/var/cache/ingot}
work=$(mktemp -d /tmp/ingot-ramdisk-XXXXXX)
qemu_pid=""
cleanup() {
  [[ -n $qemu_pid ]] && kill "$qemu_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

bash "$INGOT_SOURCE_DIR/scripts/fetch-kernel.sh" "$cache" >/dev/null
"$INGOT_BIN" ramdisk build --kernel-dir "$cache/kernel" --agent "$INGOT_AGENT_BIN" --out "$work/rd"
truncate -s 2G "$work/disk.img"
qemu-system-x86_64 -accel tcg -m 1024 -nographic -no-reboot -nic none \
  -kernel "$work/rd/vmlinuz" -initrd "$work/rd/initrd.img" \
  -append "console=ttyS0 ingot.selftest panic=5" \
  -drive file="$work/disk.img",format=raw,if=virtio >"$work/console.log" 2>&1 &
qemu_pid=$!
deadline=$((SECONDS + 240))
while kill -0 "$qemu_pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 1; done
if kill -0 "$qemu_pid" 2>/dev/null; then
  echo "FAIL: the ramdisk did not power off within 240 s"; tail -40 "$work/console.log"; exit 1
fi
qemu_pid=""
log="$work/console.log"
fail() { echo "FAIL: $1"; tail -60 "$log"; exit 1; }
grep -aq "INGOT-RAMDISK-SELFTEST-BEGIN" "$log" || fail "/init did not reach the self-test"
grep -aq "^ingot-agent 0" "$log" || fail "ingot-agent did not run inside the ramdisk"
grep -aq "error while loading shared libraries" "$log" && fail "a library is missing from the ramdisk"
grep -aq '\["disk","vda","transport","virtio"\]' "$log" || fail "the agent did not detect the virtio disk"
grep -aq '\["disk","vda","size","2"\]' "$log" || fail "the agent did not report the 2 GB disk size"
grep -aq "INGOT-RAMDISK-SELFTEST-END rc=0" "$log" || fail "ingot-agent detect failed inside the ramdisk"
echo "PASS: ramdisk boots, runs the agent, and the agent detects the machine"
