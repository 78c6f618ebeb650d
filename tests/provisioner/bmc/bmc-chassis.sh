#!/bin/bash
# ipmi_sim's chassis_control program: the "machine" behind a simulated BMC.
#   bmc-chassis.sh STATE_DIR get power|boot ...         prints "power:0|1", "boot:<dev>"
#   bmc-chassis.sh STATE_DIR set power|reset|shutdown|boot|identify VALUE ...
# ipmi_sim (OpenIPMI 2.0.33 bmc_chassis.c) calls it through popen() for Chassis Control, Get
# Chassis Status and Set/Get System Boot Options (boot device only: it drops the EFI and persistent
# bits, and names device 1 "pxe", 2 (hard drive) "default", 5 "cdrom", 6 "bios").
#
# Without STATE_DIR/machine.cmd the machine is a record: power state in STATE_DIR/power.
# With it, power on runs that command line detached (in its own session) with INGOT_BOOT=n|c
# (QEMU's -boot letter for the boot device) and INGOT_BOOTDEV=<device>; the machine is "on"
# while that process lives (QEMU exiting on guest poweroff reads as off).
# Every set is appended to STATE_DIR/chassis.log as "<epoch> set <name> <value>".

# popen() in ipmi_sim does not close its fds (the LAN UDP socket, the VM serial listener): a
# machine started from here would inherit them and keep the port bound after ipmi_sim exits, so
# the next ipmi_sim on that port cannot start. Close everything but stdio (255 is bash's own).
for fd_path in /proc/$$/fd/*; do
  fd=${fd_path##*/}
  case $fd in 0|1|2|255) ;; *) eval "exec $fd>&-" 2>/dev/null ;; esac
done

dir=$1
op=$2
shift 2 || { echo "usage: $0 STATE_DIR get|set ..." >&2; exit 1; }
[ -d "$dir" ] || { echo "state dir $dir missing" >&2; exit 1; }

machine_pid() { cat "$dir/machine.pid" 2>/dev/null; }
# Alive and not a zombie: an exited machine whose parent is gone may wait a while for a reaper.
alive() {
  local stat
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  stat=${stat##*) }
  [ "${stat%% *}" != Z ]
}
machine_running() {
  local pid
  pid=$(machine_pid)
  [ -n "$pid" ] && alive "$pid"
}
is_on() {
  if [ -f "$dir/machine.cmd" ]; then machine_running; else [ "$(cat "$dir/power" 2>/dev/null)" = 1 ]; fi
}

boot_letter() {
  case $(cat "$dir/boot" 2>/dev/null) in pxe) echo n ;; cdrom) echo d ;; *) echo c ;; esac
}

start_machine() {
  if [ ! -f "$dir/machine.cmd" ]; then echo 1 >"$dir/power"; return 0; fi
  machine_running && return 0
  rm -f "$dir/machine.pid"
  # setsid + no inherited stdout: popen() waits for EOF on our stdout, and the machine must
  # outlive this program.
  INGOT_BOOT=$(boot_letter) INGOT_BOOTDEV=$(cat "$dir/boot" 2>/dev/null || echo default) \
    setsid bash -c 'echo $$ >"$1/machine.pid.tmp" && mv "$1/machine.pid.tmp" "$1/machine.pid" && exec bash "$1/machine.cmd"' \
    machine "$dir" </dev/null >>"$dir/machine.log" 2>&1 &
  for _ in $(seq 1 50); do [ -s "$dir/machine.pid" ] && return 0; sleep 0.02; done
  echo "machine did not start" >&2
  return 1
}

# Hard off pulls the plug (SIGKILL: gone in milliseconds); soft off asks (SIGTERM, then the plug
# after 3 s). Either way this returns only once the machine is gone, so a power on right after
# never finds the old QEMU still holding its disk image lock. ipmi_sim answers nothing while this
# runs, which is why hard off does not wait for a graceful exit.
stop_machine() {
  local signal=${1:-KILL}
  if [ ! -f "$dir/machine.cmd" ]; then echo 0 >"$dir/power"; return 0; fi
  local pid
  pid=$(machine_pid)
  if [ -n "$pid" ] && alive "$pid"; then
    # The machine leads its own session (setsid): signal its whole process group, so a
    # machine.cmd that forgot `exec` still takes its QEMU down with it.
    kill "-$signal" -- "-$pid" 2>/dev/null
    for _ in $(seq 1 60); do alive "$pid" || break; sleep 0.05; done
    alive "$pid" && kill -KILL -- "-$pid" 2>/dev/null
  fi
  rm -f "$dir/machine.pid"
}

case $op in
  get)
    for name in "$@"; do
      case $name in
        power) if is_on; then echo power:1; else echo power:0; fi ;;
        boot) echo "boot:$(cat "$dir/boot" 2>/dev/null || echo default)" ;;
        *) echo "unknown parameter $name"; exit 1 ;;
      esac
    done
    ;;
  set)
    while [ $# -ge 2 ]; do
      name=$1 value=$2
      shift 2
      echo "$(date +%s.%N) set $name $value" >>"$dir/chassis.log"
      case $name in
        power) if [ "$value" = 1 ]; then start_machine || exit 1; else stop_machine; fi ;;
        reset) if is_on; then stop_machine; start_machine || exit 1; fi ;;
        shutdown) stop_machine TERM ;;
        boot) echo "$value" >"$dir/boot" ;;
        identify) ;;
        *) echo "unknown parameter $name"; exit 1 ;;
      esac
    done
    ;;
  check) exit 1 ;;  # nothing here is a LAN parameter ipmi_sim could check
  *) echo "unknown operation $op"; exit 1 ;;
esac
exit 0
