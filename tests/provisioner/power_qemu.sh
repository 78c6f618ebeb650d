#!/bin/bash
# The BMC harness with a real QEMU machine (what the e2e test builds on): `ingot power` sets the
# boot device and powers on through ipmi_sim, the chassis program starts QEMU detached with the
# matching -boot letter, QEMU joins the BMC's VM channel (ipmi-bmc-extern), and power off /
# reset stop or replace that QEMU by PID.
set -u
ingot=${INGOT_BIN:?}
harness=${INGOT_SOURCE_DIR:?}/tests/provisioner/bmc
source "$INGOT_SOURCE_DIR/tests/provisioner/power_lib.sh"
command -v qemu-system-x86_64 >/dev/null || { echo "qemu-system-x86_64 missing (scripts/setup.sh installs it)"; exit 1; }
work=$(mktemp -d /tmp/ingot-power-qemu.$$.XXXXXX)
trap 'bash "$harness/bmc-sim.sh" stop "$work/bmc"; rm -rf "$work"' EXIT
# machine.pid is written just before bash execs machine.cmd (and that execs QEMU).
cmdline_of() {
  for _ in $(seq 1 50); do
    has "$(tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null)" qemu-system && break
    sleep 0.05
  done
  tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null
}
vm_linked() { ss -Htn state established "sport = :$vport" | grep -q .; }

port=$(bash "$harness/bmc-sim.sh" free-port)
vport=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
qemu="exec qemu-system-x86_64 -machine pc -nodefaults -display none -m 64 -no-reboot -boot \$INGOT_BOOT"
qemu+=" -serial file:$work/bmc/console.log"
qemu+=" -chardev socket,id=ipmi0,host=127.0.0.1,port=$vport,reconnect=10"
qemu+=" -device ipmi-bmc-extern,id=bmc0,chardev=ipmi0 -device isa-ipmi-bt,bmc=bmc0"
bash "$harness/bmc-sim.sh" start "$work/bmc" "$port" admin secret --vm-port "$vport" --machine-cmd "$qemu" >/dev/null || exit 1
bmc="ipmi://admin:secret@127.0.0.1:$port"

"$ingot" power --bmc "$bmc" bootdev pxe >/dev/null
"$ingot" power --bmc "$bmc" on >/dev/null
pid1=$(cat "$work/bmc/machine.pid" 2>/dev/null)
check "QEMU started" [ -n "$pid1" ]
check "QEMU boots from the network (-boot n)" has "$(cmdline_of "${pid1:-0}")" "-boot n"
for _ in $(seq 1 50); do vm_linked && break; sleep 0.1; done
check "QEMU joined the BMC's VM channel" vm_linked
check "BMC reports on" [ "$("$ingot" power --bmc "$bmc" status)" = on ]

"$ingot" power --bmc "$bmc" bootdev disk >/dev/null
"$ingot" power --bmc "$bmc" cycle >/dev/null
for _ in $(seq 1 50); do
  pid2=$(cat "$work/bmc/machine.pid" 2>/dev/null)
  differs "$pid1" "$pid2" && break
  sleep 0.1
done
check "power cycle replaced the QEMU" differs "$pid1" "${pid2:-}"
check "first QEMU stopped" gone "$pid1"
check "new QEMU boots from disk (-boot c)" has "$(cmdline_of "${pid2:-0}")" "-boot c"

"$ingot" power --bmc "$bmc" off >/dev/null
check "power off stopped QEMU" gone "${pid2:-0}"
check "BMC reports off" [ "$("$ingot" power --bmc "$bmc" status)" = off ]

[ "$failures" = 0 ] || { echo "--- chassis.log:"; cat "$work/bmc/chassis.log"; echo "--- ipmi_sim.log:"; tail -20 "$work/bmc/ipmi_sim.log"; }
finish
