// The deploy ramdisk's /init: bring up devices and the network, run the agent, and never leave
// a machine hanging silently — on failure, a shell when ingot.debug is set, else power off.
#include <string_view>

#include "provisioner/ramdisk/ramdisk_builder.h"

namespace ingot::ramdisk {

std::string_view init_script() {
  return R"INIT(#!/bin/sh
export PATH=/usr/sbin:/usr/bin:/sbin:/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mkdir -p /dev/pts /run /tmp /mnt /var/log
mount -t devpts devpts /dev/pts
mount -t tmpfs tmpfs /run
[ -d /sys/firmware/efi ] && mount -t efivarfs efivarfs /sys/firmware/efi/efivars 2>/dev/null
echo "ingot-ramdisk: loading drivers"
while read -r m; do insmod "/lib/modules/$m" 2>/dev/null; done < /lib/modules/load-order
# Block and network devices appear asynchronously after their drivers load.
sleep 1
cmdline=$(cat /proc/cmdline)
case " $cmdline " in *" ingot.selftest"*)
  echo "INGOT-RAMDISK-SELFTEST-BEGIN"
  ingot-agent version
  ingot-agent detect
  echo "INGOT-RAMDISK-SELFTEST-END rc=$?"
  poweroff -f ;;
esac
ip link set lo up
up=""
for n in $(ls /sys/class/net); do
  [ "$n" = lo ] && continue
  ip link set "$n" up
done
for try in 1 2 3; do
  for n in $(ls /sys/class/net); do
    [ "$n" = lo ] && continue
    if udhcpc -i "$n" -n -q -t 4 -T 2 -s /etc/udhcpc.script >/dev/null 2>&1; then up="$n"; break 2; fi
  done
done
echo "ingot-ramdisk: network on ${up:-nothing}"
ingot-agent run
rc=$?
echo "ingot-ramdisk: agent exited with $rc"
case " $cmdline " in *" ingot.debug"*) echo "ingot-ramdisk: debug shell (exit to power off)"; setsid sh -c 'exec sh </dev/console >/dev/console 2>&1' ;; esac
sync
poweroff -f
)INIT";
}

}  // namespace ingot::ramdisk
