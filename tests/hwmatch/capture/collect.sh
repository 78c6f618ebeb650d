#!/bin/sh
# collect.sh DEST [SKIP_BLOCK]: copies the /sys and /proc files ingot's hardware detector reads
# (hwmatch/detect*.cpp) into DEST, keeping their real paths and recreating the sysfs symlinks
# the detector walks (sys/block/X, sys/class/net/X/device, .../driver, sys/bus/pci/devices/X).
# Plain file copies, so a fixture is a small ordinary tree. POSIX sh: runs under busybox in the
# capture initramfs (capture.sh) and under bash on a live machine. SKIP_BLOCK names the capture
# disk itself, which is not part of the machine being described.
set -u
dest=${1:?usage: collect.sh DEST [SKIP_BLOCK]}
skip=${2:-}
mkdir -p "$dest"

# copy_file SRC PATH MAX: the first MAX bytes of SRC as DEST/PATH. An unreadable file is left
# out (the detector treats an unreadable attribute as absent, so the fixture behaves like the
# live tree).
copy_file() {
  mkdir -p "$dest$(dirname "$2")"
  if ! head -c "$3" "$1" > "$dest$2" 2>/dev/null; then rm -f "$dest$2"; fi
}
# Content of each file under its resolved path.
copy_real() {
  for p in "$@"; do
    [ -f "$p" ] || continue
    copy_file "$p" "$(readlink -f "$p")" 1048576
  done
}
# Content under the path as given (procfs: /proc/net is a link into /proc/self).
copy_as_is() {
  for p in "$@"; do
    [ -f "$p" ] || continue
    copy_file "$p" "$p" 4194304
  done
}
# A symlink recreated, same (relative) target, inside its parent's resolved path.
copy_link() {
  for l in "$@"; do
    [ -L "$l" ] || continue
    parent=$(readlink -f "$(dirname "$l")")
    mkdir -p "$dest$parent"
    ln -sfn "$(readlink "$l")" "$dest$parent/$(basename "$l")"
  done
}

# System, board, BIOS (class/dmi/id is itself a link into /sys/devices/virtual/dmi/id).
copy_link /sys/class/dmi/id
for f in sys_vendor product_name product_version product_serial product_uuid board_vendor \
         board_name board_version board_serial bios_vendor bios_version bios_date; do
  copy_real /sys/class/dmi/id/$f
done
copy_real /sys/firmware/dmi/tables/DMI /sys/firmware/dmi/tables/smbios_entry_point
if [ -d /sys/firmware/efi ]; then
  mkdir -p "$dest/sys/firmware/efi"
  copy_real /sys/firmware/efi/fw_platform_size
fi

copy_as_is /proc/cpuinfo /proc/meminfo /proc/sys/kernel/osrelease \
           /proc/net/route /proc/net/fib_trie /proc/net/if_inet6

copy_real /sys/devices/system/cpu/online
for c in /sys/devices/system/cpu/cpu[0-9]*; do
  copy_real "$c/topology/physical_package_id" "$c/topology/core_id"
done
copy_real /sys/devices/system/node/online
for n in /sys/devices/system/node/node[0-9]*; do
  copy_real "$n/cpulist" "$n/meminfo"
done

for b in /sys/block/*; do
  name=$(basename "$b")
  [ "$name" = "$skip" ] && continue
  copy_link "$b"
  copy_real "$b/size" "$b/removable" "$b/queue/rotational" "$b/queue/physical_block_size" \
            "$b/queue/logical_block_size" "$b/serial" "$b/wwid"
  copy_link "$b/device"
  copy_real "$b/device/model" "$b/device/vendor" "$b/device/rev" "$b/device/serial" \
            "$b/device/wwid" "$b/device/firmware_rev" "$b/device/vpd_pg80"
done

for n in /sys/class/net/*; do
  name=$(basename "$n")
  [ "$name" = lo ] && continue
  copy_link "$n"
  copy_real "$n/address" "$n/operstate" "$n/carrier" "$n/speed" "$n/mtu"
  copy_link "$n/device" "$n/device/driver"
done

for d in /sys/bus/pci/devices/*; do
  copy_link "$d"
  copy_real "$d/vendor" "$d/device" "$d/class" "$d/subsystem_vendor" "$d/subsystem_device"
  copy_link "$d/driver"
done

# The BMC's in-band device: only its presence is recorded.
if [ -e /dev/ipmi0 ]; then mkdir -p "$dest/dev" && : > "$dest/dev/ipmi0"; fi
exit 0
