#!/bin/busybox sh
# Runs inside the tiny tree (chroot), where busybox is the only program.
set -eu
B=/bin/busybox
$B mkdir -p /sbin /usr/bin /usr/sbin /proc /sys /dev /tmp /run /root /var/log /var/lib/ingot /mnt
# Mount points of proc and sysfs as Debian's base-files ships them (0555, what the mounted roots
# show): an upgrade's drift check compares the live node with the manifest.
$B chmod 555 /proc /sys
$B --install -s
kver=$($B ls /lib/modules | $B head -n1)
[ -n "$kver" ] || { echo "no kernel modules in the tree" >&2; exit 1; }
$B ln -sf "vmlinuz-$kver" /boot/vmlinuz
# The initramfs directory: the builder packs it reproducibly into /boot/initrd.img.
d=/var/lib/ingot/initramfs
$B rm -rf "$d"
$B mkdir -p "$d/bin" "$d/lib/modules" "$d/etc" "$d/proc" "$d/sys" "$d/dev" "$d/newroot"
$B cp /bin/busybox "$d/bin/busybox"
$B cp -a "/lib/modules/$kver" "$d/lib/modules/"
$B cp /usr/lib/ingot/initramfs-init "$d/init"
$B chmod 755 "$d/init"
$B chmod 755 /etc/init.d/rcS /etc/ingot/first-boot
