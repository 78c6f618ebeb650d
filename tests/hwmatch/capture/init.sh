#!/bin/busybox sh
# /init of the capture initramfs: loads the storage and NIC drivers, gives every NIC a
# test address (198.18.0.0/15 and a ULA, so address detection has something to find; the
# guest has no reachable network), runs collect.sh, writes the tree as a tar onto the disk
# whose serial is "ingotcap", and powers off.
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
for m in $(cat /modules.list); do insmod "/modules/$m.ko" 2>/dev/null; done
# Drivers probe asynchronously: wait until the capture disk shows up (at most ~10 s).
out=
i=0
while [ -z "$out" ] && [ $i -lt 50 ]; do
  for b in /sys/block/*; do
    [ "$(cat "$b/serial" 2>/dev/null)" = ingotcap ] && out=$(basename "$b")
  done
  [ -z "$out" ] && sleep 0.2
  i=$((i + 1))
done
sleep 1
# No SLAAC: router advertisements from QEMU's user-mode stack arrive at a random moment and
# would make the captured address list differ from boot to boot.
for f in /proc/sys/net/ipv6/conf/*/accept_ra; do echo 0 > "$f"; done
n=0
for d in /sys/class/net/*; do
  name=$(basename "$d")
  [ "$name" = lo ] && continue
  ip link set "$name" up
  ip addr add "198.18.$((n + 10)).2/24" dev "$name"
  ip -6 addr add "fd00:198:18:$n::2/64" dev "$name"
  n=$((n + 1))
done
sleep 2
if [ -n "$out" ]; then
  sh /collect.sh /capture "$out"
  tar -C /capture -cf "/dev/$out" .
  sync
  echo "ingot-capture: done"
else
  echo "ingot-capture: no capture disk"
fi
poweroff -f
