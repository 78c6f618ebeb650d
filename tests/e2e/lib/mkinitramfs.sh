#!/usr/bin/env bash
# mkinitramfs.sh: a small initramfs (newc cpio, gzip) from busybox-static, an /init script, the
# kernel modules asked for (with their dependencies, from an extracted Debian kernel package) and
# extra files. Usage:
#   mkinitramfs.sh --out FILE --init SCRIPT [--kernel-root DIR] [--module NAME]... [--file SRC:DEST]...
# --kernel-root is where scripts/fetch-kernel.sh extracted the kernel package (it has lib/modules/).
# The guest loads modules with busybox modprobe, so modules.dep is generated here by busybox depmod.
set -euo pipefail

out="" init="" kroot=""
modules=() files=()
while (($#)); do
  case $1 in
    --out) out=$2; shift 2 ;;
    --init) init=$2; shift 2 ;;
    --kernel-root) kroot=$2; shift 2 ;;
    --module) modules+=("$2"); shift 2 ;;
    --file) files+=("$2"); shift 2 ;;
    *) echo "mkinitramfs: unknown argument '$1'" >&2; exit 2 ;;
  esac
done
[[ -n $out && -r $init ]] || { echo "mkinitramfs: need --out FILE and a readable --init SCRIPT" >&2; exit 2; }
busybox=$(command -v busybox) || { echo "mkinitramfs: busybox not found (apt-get install busybox-static)" >&2; exit 1; }
# A dynamically linked busybox would need its libraries in the initramfs too.
if ldd "$busybox" >/dev/null 2>&1; then
  echo "mkinitramfs: $busybox is not static (apt-get install busybox-static)" >&2; exit 1
fi
command -v cpio >/dev/null || { echo "mkinitramfs: cpio not found (apt-get install cpio)" >&2; exit 1; }

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage"/{bin,sbin,dev,proc,sys,tmp,mnt,etc,run}
cp "$busybox" "$stage/bin/busybox"
install -m 0755 "$init" "$stage/init"

if ((${#modules[@]})); then
  [[ -d $kroot/lib/modules ]] || { echo "mkinitramfs: --module needs --kernel-root with lib/modules/" >&2; exit 2; }
  kver=$(ls "$kroot/lib/modules" | head -n1)
  mdir=$kroot/lib/modules/$kver
  declare -A seen=()
  # Copies module NAME and, first, everything it depends on (modinfo reads the .ko itself).
  add_module() {
    local name=$1 rel dep
    [[ -z ${seen[$name]:-} ]] || return 0
    seen[$name]=1
    if grep -qE "/${name//_/[_-]}\.ko" "$mdir/modules.builtin"; then return 0; fi
    rel=$(grep -E "/${name//_/[_-]}\.ko(\.[a-z]+)?$" "$mdir/modules.order" | head -n1 || true)
    [[ -n $rel ]] || { echo "mkinitramfs: module '$name' is not in kernel $kver" >&2; exit 1; }
    [[ -f $mdir/$rel ]] || rel=$(cd "$mdir" && ls "$rel".* 2>/dev/null | head -n1)
    for dep in $(modinfo -F depends "$mdir/$rel" | tr ',' ' '); do add_module "$dep"; done
    mkdir -p "$stage/lib/modules/$kver/$(dirname "$rel")"
    cp "$mdir/$rel" "$stage/lib/modules/$kver/$rel"
  }
  for m in "${modules[@]}"; do add_module "$m"; done
  cp "$mdir/modules.builtin" "$mdir/modules.order" "$stage/lib/modules/$kver/"
  "$busybox" depmod -b "$stage" "$kver"
fi

for f in "${files[@]}"; do
  src=${f%%:*} dest=${f#*:}
  mkdir -p "$stage/$(dirname "$dest")"
  cp -a "$src" "$stage/$dest"
done

mkdir -p "$(dirname "$out")"
(cd "$stage" && find . | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0 | gzip -1) >"$out.tmp"
mv "$out.tmp" "$out"
