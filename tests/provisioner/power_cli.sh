#!/bin/bash
# `ingot power` against OpenIPMI's ipmi_sim started through the BMC harness (bmc-sim.sh), with
# ipmitool as an independent client: power and boot device, the boot-flag bits on the wire
# (FreeIPMI's debug dump: ipmi_sim drops EFI/persistent, so the wire is where they can be seen),
# the password from the environment, operator mistakes, an unreachable BMC, and the harness's
# machine mode (a process started per power-on with the boot device, no inherited sockets).
set -u
ingot=${INGOT_BIN:?}
harness=${INGOT_SOURCE_DIR:?}/tests/provisioner/bmc
source "$INGOT_SOURCE_DIR/tests/provisioner/power_lib.sh"
work=$(mktemp -d /tmp/ingot-power-cli.$$.XXXXXX)

cleanup() {
  bash "$harness/bmc-sim.sh" stop "$work/bmc"
  bash "$harness/bmc-sim.sh" stop "$work/vm"
  rm -rf "$work"
}
trap cleanup EXIT

port=$(bash "$harness/bmc-sim.sh" free-port)
pass='s3cr@t:/x'
bash "$harness/bmc-sim.sh" start "$work/bmc" "$port" admin "$pass" >/dev/null || exit 1
bmc="ipmi://admin:s3cr%40t%3A%2Fx@127.0.0.1:$port"
ipmitool_status() { ipmitool -I lanplus -C 3 -H 127.0.0.1 -p "$port" -U admin -P "$pass" power status 2>&1; }

out=$("$ingot" power --bmc "$bmc" status 2>&1)
check "status of a fresh BMC is off" [ "$out" = off ]
out=$("$ingot" power --bmc "$bmc" on 2>&1)
check "power on reports done" [ "$out" = "power on: done" ]
check "ipmitool sees it on" has "$(ipmitool_status)" "Chassis Power is on"
check "ingot sees it on" [ "$("$ingot" power --bmc "$bmc" status 2>&1)" = on ]
out=$("$ingot" power --bmc "$bmc" off 2>&1)
check "ipmitool sees it off" has "$(ipmitool_status)" "Chassis Power is off"

# Password from the environment, URL without one.
out=$(INGOT_BMC_PASSWORD="$pass" "$ingot" power --bmc "ipmi://admin@127.0.0.1:$port" status 2>&1)
check "password from INGOT_BMC_PASSWORD" [ "$out" = off ]

# Boot flags on the wire.
out=$("$ingot" power --bmc "$bmc" bootdev pxe --uefi --persistent --debug-dump 2>&1)
check "bootdev pxe reports what it set" has "$out" "boot device pxe (persistent, UEFI)"
check "wire: EFI boot type" has "$out" "[               1h] = bios_boot_type"
check "wire: persistent" has "$out" "[               1h] = boot_flags_persistent"
check "wire: device PXE (1)" has "$out" "[               1h] = boot_device"
check "chassis got pxe" [ "$(cat "$work/bmc/boot")" = pxe ]
out=$("$ingot" power --bmc "$bmc" bootdev disk --debug-dump 2>&1)
check "wire: BIOS boot type" has "$out" "[               0h] = bios_boot_type"
check "wire: next boot only" has "$out" "[               0h] = boot_flags_persistent"
check "wire: device hard drive (2)" has "$out" "[               2h] = boot_device"
check "chassis got the hard drive (ipmi_sim: default)" [ "$(cat "$work/bmc/boot")" = default ]
check "ipmitool reads the disk back" has "$(ipmitool -I lanplus -C 3 -H 127.0.0.1 -p "$port" -U admin -P "$pass" chassis bootparam get 5 2>&1)" "Force Boot from default Hard-Drive"

# Operator mistakes: clear message, right exit code, never the password.
out=$("$ingot" power --bmc "ipmi://admin:Wr0ngPw@127.0.0.1:$port" status 2>&1); rc=$?
check "wrong password exits 1" [ $rc = 1 ]
check "wrong password is named" has "$out" "BMC 127.0.0.1:$port: authentication failed (wrong user or password)"
check "wrong password not echoed" lacks "$out" "Wr0ngPw"
out=$(env -u INGOT_BMC_PASSWORD "$ingot" power --bmc "ipmi://admin@127.0.0.1:$port" status 2>&1); rc=$?
check "no password anywhere exits 2" [ $rc = 2 ]
check "no password is explained" has "$out" "INGOT_BMC_PASSWORD"
out=$("$ingot" power --bmc "ipmi://admin:Hid3Me@10.0.0.5:notaport" status 2>&1); rc=$?
check "bad URL exits 2" [ $rc = 2 ]
check "bad URL is explained" has "$out" "port 'notaport' is not a number"
check "bad URL hides the password" lacks "$out" "Hid3Me"
out=$("$ingot" power --bmc "$bmc" reboot 2>&1); rc=$?
check "unknown operation exits 2" [ $rc = 2 ]
check "unknown operation is named" has "$out" "power action 'reboot' is not one of"
out=$("$ingot" power --bmc "$bmc" on --uefi 2>&1); rc=$?
check "--uefi without bootdev exits 2" [ $rc = 2 ]
out=$("$ingot" power --bmc "$bmc" bootdev floppy 2>&1); rc=$?
check "unknown boot device exits 2" [ $rc = 2 ]
out=$("$ingot" power status 2>&1); rc=$?
check "missing --bmc exits 2" [ $rc = 2 ]

# Nothing listens: bounded failure.
dead=$(bash "$harness/bmc-sim.sh" free-port)
start=$(date +%s)
out=$("$ingot" power --bmc "ipmi://admin:x@127.0.0.1:$dead" --timeout 1 --tries 2 status 2>&1); rc=$?
took=$(($(date +%s) - start))
check "unreachable exits 1" [ $rc = 1 ]
check "unreachable is explained" has "$out" "BMC 127.0.0.1:$dead: no answer after 2 tries (timeout 1 s)"
check "unreachable is bounded (<= 10 s, took ${took}s)" [ "$took" -le 10 ]

# A list of BMCs: one live, one silent, and the live one again under another spelling of its
# address (127.1) with a wrong password; one line each, in file order, exit 1: some failed.
cat >"$work/rack.txt" <<LIST
# rack 12
ipmi://admin@127.0.0.1:$port
ipmi://admin:x@127.0.0.1:$dead

ipmi://admin:Wr0ngPw@127.1:$port
LIST
out=$(INGOT_BMC_PASSWORD="$pass" "$ingot" power --bmc-file "$work/rack.txt" --timeout 1 --tries 1 --parallel 2 status 2>&1); rc=$?
check "fleet: some failed exits 1" [ $rc = 1 ]
check "fleet: live BMC answers" has "$(sed -n 1p <<<"$out")" "127.0.0.1:$port"
check "fleet: live BMC is off" has "$(sed -n 1p <<<"$out")" "  off"
check "fleet: silent BMC named" has "$(sed -n 2p <<<"$out")" "error: BMC 127.0.0.1:$dead: no answer after 1 try (timeout 1 s)"
check "fleet: wrong password named" has "$(sed -n 3p <<<"$out")" "authentication failed"
check "fleet: no password echoed" lacks "$out" "Wr0ngPw"
out=$(INGOT_BMC_PASSWORD="$pass" "$ingot" power --bmc-file "$work/rack.txt" bootdev pxe --persistent 2>&1 | head -1)
check "fleet: bootdev on the live BMC" has "$out" "boot device pxe (persistent, BIOS)"
printf 'ipmi://admin:x@127.0.0.1:%s\nipmi://admin:y@127.0.0.1:%s\n' "$port" "$port" >"$work/dup.txt"
out=$("$ingot" power --bmc-file "$work/dup.txt" status 2>&1); rc=$?
check "fleet: duplicate BMC exits 2" [ $rc = 2 ]
check "fleet: duplicate BMC names the lines" has "$out" "dup.txt:2: 127.0.0.1:$port is already on line 1"
printf 'ipmi://admin:x@127.0.0.1:%s\nipmi://admin@127.0.0.1:1\n' "$port" >"$work/nopass.txt"
out=$(env -u INGOT_BMC_PASSWORD "$ingot" power --bmc-file "$work/nopass.txt" status 2>&1); rc=$?
check "fleet: missing password exits 2" [ $rc = 2 ]
check "fleet: missing password names the line" has "$out" "nopass.txt:2:"
out=$("$ingot" power --bmc "$bmc" --bmc-file "$work/rack.txt" status 2>&1); rc=$?
check "--bmc with --bmc-file exits 2" [ $rc = 2 ]

# Machine mode: each power-on starts machine.cmd with the boot device, detached, without
# ipmi_sim's sockets; off stops it by PID.
vport=$(bash "$harness/bmc-sim.sh" free-port)
bash "$harness/bmc-sim.sh" start "$work/vm" "$vport" admin secret \
  --machine-cmd 'echo "boot=$INGOT_BOOT dev=$INGOT_BOOTDEV"; exec sleep 300' >/dev/null || exit 1
vm="ipmi://admin:secret@127.0.0.1:$vport"
"$ingot" power --bmc "$vm" bootdev pxe >/dev/null
"$ingot" power --bmc "$vm" on >/dev/null
pid1=$(cat "$work/vm/machine.pid" 2>/dev/null)
check "machine started" kill -0 "${pid1:-0}"
check "machine booted from the network" has "$(cat "$work/vm/machine.log")" "boot=n dev=pxe"
check "machine holds no inherited socket" [ -z "$(ls -l "/proc/${pid1:-0}/fd" 2>/dev/null | grep socket:)" ]
check "status follows the machine" [ "$("$ingot" power --bmc "$vm" status)" = on ]
"$ingot" power --bmc "$vm" bootdev disk >/dev/null
"$ingot" power --bmc "$vm" reset >/dev/null
pid2=$(cat "$work/vm/machine.pid" 2>/dev/null)
check "reset restarted the machine" differs "$pid1" "$pid2"
check "old machine is gone" gone "$pid1"
check "restarted from disk" has "$(cat "$work/vm/machine.log")" "boot=c dev=default"
kill "$pid2"  # the guest powers itself off: the BMC must read off
sleep 0.3
check "machine exit reads as off" [ "$("$ingot" power --bmc "$vm" status)" = off ]

finish
