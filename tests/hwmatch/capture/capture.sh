#!/usr/bin/env bash
# capture.sh SHAPE OUT_DIR: boots a QEMU machine of the given shape (TCG, no network: NICs
# sit on restricted user-mode netdevs) with Debian's kernel and a busybox initramfs that runs
# collect.sh, then unpacks the captured /sys + /proc tree into OUT_DIR.
#   shapes: 1s-sata-1nic, 2s-nvme-virtio-4nic, uefi-virtio-scsi-1nic
#   capture.sh host OUT_DIR captures this machine instead (needs root for the SMBIOS table).
# Kernel: ${INGOT_CACHE_DIR:-/var/cache/ingot} via scripts/fetch-kernel.sh.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
shape=${1:?usage: capture.sh SHAPE OUT_DIR}
out=${2:?usage: capture.sh SHAPE OUT_DIR}
if [[ $shape == host ]]; then
  rm -rf "$out"
  exec sh "$here/collect.sh" "$out"
fi
cache=${INGOT_CACHE_DIR:-/var/cache/ingot}
src=$(cd "$here/../../.." && pwd)
vmlinuz=$("$src/scripts/fetch-kernel.sh" "$cache")
kver=$(basename "$vmlinuz"); kver=${kver#vmlinuz-}
moddir=$cache/kernel/lib/modules/$kver
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Modules in load order: dependencies first (modinfo's "depends"), each once.
wanted="virtio_pci virtio_blk virtio_net virtio_scsi ahci sd_mod nvme e1000 e1000e"
declare -A seen=()
order=()
resolve() {
  local name=${1//-/_} f dep
  [[ -n ${seen[$name]:-} ]] && return
  seen[$name]=1
  f=$(find "$moddir/kernel" -name "$1.ko" -o -name "${1//_/-}.ko" | head -n1)
  [[ -n $f ]] || return 0  # built in
  for dep in $(modinfo -F depends "$f" | tr ',' ' '); do resolve "$dep"; done
  order+=("$f")
}
for m in $wanted; do resolve "$m"; done
mkdir -p "$work/root"/{bin,modules,proc,sys,dev,capture}
cp /bin/busybox "$work/root/bin/busybox"
for f in "${order[@]}"; do cp "$f" "$work/root/modules/"; basename "$f" .ko; done > "$work/root/modules.list"
cp "$here/init.sh" "$work/root/init"
cp "$here/collect.sh" "$work/root/collect.sh"
chmod +x "$work/root/init"
(cd "$work/root" && find . | cpio -o -H newc --quiet | gzip -1) > "$work/initrd.gz"
truncate -s 8M "$work/capture.img"
truncate -s 2G "$work/disk0.img"
truncate -s 20G "$work/disk1.img"
nic() { echo "-netdev user,id=n$1,restrict=on -device $2,netdev=n$1,mac=$3"; }
smbios=(-smbios "type=0,vendor=Ingot BIOS,version=1.2.3,date=01/02/2025"
        -smbios "type=1,manufacturer=Ingot Labs,product=Shape $shape,version=v1,serial=SN-$shape,uuid=8e5b8d5e-1111-4c1a-9a0e-0000000000${#shape}"
        -smbios "type=2,manufacturer=Ingot Labs,product=Board $shape,serial=BRD-$shape"
        -smbios "type=17,loc_pfx=DIMM,bank=Bank,manufacturer=Ingot Memory,serial=MEM-0001,part=IM-DDR4-512,speed=2666")
case $shape in
  1s-sata-1nic)
    machine="-machine q35 -smp 2,sockets=1,cores=2,threads=1 -m 512"
    disks="-drive if=none,id=d0,file=$work/disk0.img,format=raw -device ide-hd,drive=d0,bus=ide.0,serial=SATA-0001,model=Ingot-SSD,rotation_rate=1"
    nics=$(nic 0 e1000e 52:54:00:00:01:01) ;;
  2s-nvme-virtio-4nic)
    machine="-machine pc -smp 4,sockets=2,cores=2,threads=1 -m 1024
             -object memory-backend-ram,id=m0,size=512M -object memory-backend-ram,id=m1,size=512M
             -numa node,nodeid=0,cpus=0-1,memdev=m0 -numa node,nodeid=1,cpus=2-3,memdev=m1"
    disks="-drive if=none,id=d0,file=$work/disk0.img,format=raw -device nvme,drive=d0,serial=NVME-0001
           -drive if=none,id=d1,file=$work/disk1.img,format=raw -device virtio-blk-pci,drive=d1,serial=VIRT-0002"
    nics="$(nic 0 virtio-net-pci 52:54:00:00:02:01) $(nic 1 virtio-net-pci 52:54:00:00:02:02)
          $(nic 2 e1000 52:54:00:00:02:03) $(nic 3 e1000 52:54:00:00:02:04)" ;;
  uefi-virtio-scsi-1nic)
    cp /usr/share/OVMF/OVMF_VARS_4M.fd "$work/vars.fd"
    machine="-machine q35 -smp 1 -m 512
             -drive if=pflash,format=raw,unit=0,readonly=on,file=/usr/share/OVMF/OVMF_CODE_4M.fd
             -drive if=pflash,format=raw,unit=1,file=$work/vars.fd"
    disks="-device virtio-scsi-pci,id=scsi0
           -drive if=none,id=d0,file=$work/disk1.img,format=raw -device scsi-hd,drive=d0,bus=scsi0.0,serial=SCSI-0001,rotation_rate=7200"
    nics=$(nic 0 virtio-net-pci 52:54:00:00:03:01) ;;
  *) echo "capture.sh: unknown shape $shape" >&2; exit 2 ;;
esac
# The capture disk goes last so the machine's own disks keep their usual names.
# shellcheck disable=SC2086
timeout 300 qemu-system-x86_64 -accel tcg -nographic -no-reboot -display none -serial stdio -monitor none \
  $machine "${smbios[@]}" $disks \
  -drive "if=none,id=cap,file=$work/capture.img,format=raw" -device virtio-blk-pci,drive=cap,serial=ingotcap \
  $nics -kernel "$vmlinuz" -initrd "$work/initrd.gz" \
  -append "console=ttyS0 panic=5 quiet nokaslr" > "$work/console.log" 2>&1 || true
if ! grep -q "ingot-capture: done" "$work/console.log"; then
  tail -n 30 "$work/console.log" >&2
  echo "capture.sh: $shape: capture did not complete" >&2
  exit 1
fi
rm -rf "$out"
mkdir -p "$out"
tar -C "$out" -m -xf "$work/capture.img"
echo "capture.sh: $shape captured into $out"
