#!/usr/bin/env bash
# The tiny role (no debootstrap: Debian's busybox-static and kernel unpacked, modules pruned,
# initramfs packed) builds twice to byte-identical manifests and has what a VM boot needs.
source "$(dirname "$0")/build_lib.sh"
build "$src/roles/tiny" "$tmp/s1" --report "$tmp/r1.json"
build "$src/roles/tiny" "$tmp/s2"
cmp "$tmp/s1/images/tiny/1/manifest.json" "$tmp/s2/images/tiny/1/manifest.json" || fail "two tiny builds differ"
for p in bin/busybox sbin/init bin/sh boot/vmlinuz boot/initrd.img etc/inittab etc/init.d/rcS etc/ingot/first-boot \
         usr/bin/ingot-agent lib64/ld-linux-x86-64.so.2 usr/lib/ingot/upgrade.json; do
  has_path "$tmp/s1" tiny@1 "$p" || fail "tiny image lacks $p"
done
has_path "$tmp/s1" tiny@1 var/lib/ingot/initramfs && fail "initramfs staging dir left in the image"
# The deploy agent writes the node's grub.cfg (by UUID); an image's own would read as drift.
has_path "$tmp/s1" tiny@1 boot/grub/grub.cfg && fail "the tiny image ships a grub.cfg"
content "$tmp/s1" tiny@1 boot/initrd.img | zstd -qdc | cpio -t 2>/dev/null > "$tmp/initrd.list"
grep -qx init "$tmp/initrd.list" && grep -qx bin/busybox "$tmp/initrd.list" || fail "initrd lacks init or busybox"
grep -q 'virtio_blk.ko' "$tmp/initrd.list" || fail "initrd lacks virtio_blk"
mods=$("$ingot" image show tiny@1 --store "$tmp/s1" --manifest | grep -c '\.ko",' || true)
(( mods > 5 && mods < 100 )) || fail "expected a pruned module set, found $mods modules"
"$ingot" image verify tiny@1 --store "$tmp/s1" --pubkey "$tmp/keys/image-signing.pub" 2>/dev/null || fail "verify"
echo "tiny role: ok ($(grep -o '"content_bytes": [0-9]*' "$tmp/r1.json"))"
