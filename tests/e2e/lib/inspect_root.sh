#!/usr/bin/env bash
# inspect_root.sh MANIFEST OUTDIR DISK...: finds the deployed root filesystem on DISKs (raw
# images) and checks it against the image MANIFEST (tree_vs_manifest.py). Copies etc/hostname
# and etc/ingot/handoff.json into OUTDIR, the differences into OUTDIR/tree-diff, and the disk it
# used into OUTDIR/disk. The host kernel here reads no partition tables, so partitions are mounted
# read-only by loop offset from `sfdisk -J`. Run it under `unshare -m --propagation private`: the
# mount then exists only in that namespace, and no other process (an `ip netns exec` starting
# meanwhile copies the mount table) can keep the filesystem busy after it ends.
# INSPECT_SAVE="PATH..." (absolute paths in the root): those files, plus the node's config files
# its var/lib/ingot/node-config.list names, are copied into OUTDIR/saved/ (the upgrade tests
# compare them before and after).
set -euo pipefail
manifest=$1 out=$2
shift 2
here=$(cd "$(dirname "$0")" && pwd)
mnt=$(mktemp -d)
loop="" copy=""
trap 'umount "$mnt" 2>/dev/null; [[ -z $loop ]] || losetup -d "$loop"; rm -f "$copy"; rmdir "$mnt"' EXIT
# mount_part DISK START SIZE: read-only at $mnt. By default the journal is not replayed (noload:
# the disk stays untouched). INSPECT_REPLAY=1 reads the filesystem as its next boot would, the
# journal replayed, on a sparse copy of the disk: a machine powered off through its BMC has its
# last commits (an upgrade's fsyncs) only in the journal.
mount_part() {
  if [[ -z ${INSPECT_REPLAY:-} ]]; then
    mount -o "loop,ro,noload,offset=$2,sizelimit=$3" -t ext4 "$1" "$mnt" 2>/dev/null
    return
  fi
  [[ -n $copy ]] || { copy=$out/.disk-copy; cp --sparse=always "$1" "$copy"; }
  loop=$(losetup -f --show -o "$2" --sizelimit "$3" "$copy") || return 1
  mount -o ro -t ext4 "$loop" "$mnt" 2>/dev/null && return 0
  losetup -d "$loop"
  loop=""
  return 1
}
for disk in "$@"; do
  rm -f "$copy"
  copy=""
  while read -r start size; do
    mount_part "$disk" "$start" "$size" || continue
    if [[ -e $mnt/etc/ingot/handoff.json ]]; then
      echo "$disk" >"$out/disk"
      cp "$mnt/etc/hostname" "$out/hostname" 2>/dev/null || true
      cp "$mnt/etc/ingot/handoff.json" "$out/handoff.json"
      if [[ -n ${INSPECT_SAVE:-} ]]; then
        mkdir -p "$out/saved"
        for p in $INSPECT_SAVE $(cat "$mnt/var/lib/ingot/node-config.list" 2>/dev/null); do
          if [[ -f $mnt/${p#/} ]]; then (cd "$mnt" && cp -a --parents "${p#/}" "$out/saved/"); fi
        done
      fi
      python3 "$here/tree_vs_manifest.py" "$manifest" "$mnt" >"$out/tree-diff" 2>&1
      exit $?
    fi
    umount "$mnt"
    [[ -z $loop ]] || { losetup -d "$loop"; loop=""; }
  done < <(sfdisk -J "$disk" 2>/dev/null | python3 -c '
import json, sys
t = json.load(sys.stdin)["partitiontable"]
ss = t.get("sectorsize", 512)
for p in t.get("partitions", []):
    print(p["start"] * ss, p["size"] * ss)' 2>/dev/null || true)
done
echo "no ext4 partition holding etc/ingot/handoff.json on: $*" >"$out/tree-diff"
exit 1
