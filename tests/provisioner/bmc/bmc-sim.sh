#!/bin/bash
# A simulated BMC for tests: OpenIPMI's ipmi_sim with RMCP+ on ADDR:PORT, one ADMINISTRATOR user,
# and bmc-chassis.sh as its chassis (power, reset, boot device), keeping all state in DIR.
#
#   bmc-sim.sh conf  DIR PORT USER PASS [--addr A] [--vm-port N] [--machine-cmd CMDLINE]
#   bmc-sim.sh start DIR PORT USER PASS [same options]   conf, then start ipmi_sim; prints its PID
#   bmc-sim.sh stop  DIR                                   machine off, then ipmi_sim stopped by PID
#   bmc-sim.sh free-port [ADDR]                            prints a free UDP port
#
# --vm-port N adds the VM side of the BMC (QEMU's ipmi-bmc-extern connects to ADDR:N), so the
# guest sees an in-band BMC. --machine-cmd makes power on run CMDLINE (see bmc-chassis.sh).
# start/stop work inside `ip netns exec NS`; everything is stopped by PID, never by name.
set -u
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

die() { echo "bmc-sim: $*" >&2; exit 1; }

free_port() {
  python3 -c 'import socket,sys; s=socket.socket(socket.AF_INET,socket.SOCK_DGRAM); s.bind((sys.argv[1],0)); print(s.getsockname()[1])' "${1:-127.0.0.1}"
}

write_conf() {
  local dir=$1 port=$2 user=$3 pass=$4
  shift 4
  local addr=127.0.0.1 vm_port="" machine_cmd=""
  while [ $# -gt 0 ]; do
    case $1 in
      --addr) addr=$2; shift 2 ;;
      --vm-port) vm_port=$2; shift 2 ;;
      --machine-cmd) machine_cmd=$2; shift 2 ;;
      *) die "unknown option $1" ;;
    esac
  done
  case "$user$pass" in *'"'*|*'\'*) die "user and password may not contain '\"' or '\\' (lan.conf quoting)" ;; esac
  mkdir -p "$dir/state" || die "cannot create $dir"
  dir=$(cd "$dir" && pwd)
  cp "$here/bmc.emu" "$dir/bmc.emu"
  [ -n "$machine_cmd" ] && printf '%s\n' "$machine_cmd" >"$dir/machine.cmd"
  {
    echo 'name "ingotbmc"'
    echo 'set_working_mc 0x20'
    echo '  startlan 1'
    echo "    addr $addr $port"
    echo '    priv_limit admin'
    for who in callback user operator admin; do echo "    allowed_auths_$who none md2 md5 straight"; done
    echo '    guid a123456789abcdefa123456789abcdef'
    echo '  endlan'
    [ -n "$vm_port" ] && echo "  serial 15 $addr $vm_port codec VM"
    echo "  chassis_control \"$here/bmc-chassis.sh $dir\""
    echo "  user 2 true \"$user\" \"$pass\" admin 10 none md2 md5 straight"
  } >"$dir/lan.conf"
  echo "$addr $port" >"$dir/listen"
}

port_bound() {
  # ss prints a line per matching socket; inside a netns it sees that namespace's sockets.
  [ -n "$(ss -Hlun "sport = :$1" 2>/dev/null)" ]
}

start_sim() {
  local dir=$1 port=$2
  write_conf "$@"
  dir=$(cd "$dir" && pwd)
  # SIGPIPE ignored: ipmi_sim writes to the VM channel without MSG_NOSIGNAL, and a QEMU killed
  # during its handshake (power off right after on) would otherwise take the BMC down with it.
  (trap '' PIPE && exec ipmi_sim -c "$dir/lan.conf" -f "$dir/bmc.emu" -s "$dir/state" -n) \
    >>"$dir/ipmi_sim.log" 2>&1 </dev/null &
  local pid=$!
  echo "$pid" >"$dir/ipmi_sim.pid"
  for _ in $(seq 1 100); do
    port_bound "$port" && { echo "$pid"; return 0; }
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.05
  done
  kill "$pid" 2>/dev/null
  die "ipmi_sim did not start on port $port; its log:$(echo; cat "$dir/ipmi_sim.log")"
}

stop_sim() {
  local dir=$1
  [ -d "$dir" ] || return 0
  "$here/bmc-chassis.sh" "$dir" set power 0 >/dev/null 2>&1
  local pid
  pid=$(cat "$dir/ipmi_sim.pid" 2>/dev/null) || return 0
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid"
    for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
  fi
  rm -f "$dir/ipmi_sim.pid"
}

cmd=${1:-}
shift || true
case $cmd in
  conf) [ $# -ge 4 ] || die "usage: conf DIR PORT USER PASS [options]"; write_conf "$@" ;;
  start) [ $# -ge 4 ] || die "usage: start DIR PORT USER PASS [options]"; start_sim "$@" ;;
  stop) [ $# -ge 1 ] || die "usage: stop DIR"; stop_sim "$1" ;;
  free-port) free_port "${1:-}" ;;
  *) die "usage: bmc-sim.sh conf|start|stop|free-port ..." ;;
esac
