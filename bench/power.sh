#!/usr/bin/env bash
# Power control against OpenIPMI's ipmi_sim on loopback: `ingot power` (libfreeipmi, RMCP+)
# side by side with ipmitool (lanplus, -C 3) and FreeIPMI's ipmi-power on the same BMC.
# Measures: one status call, boot device + power on, a rack of 16 BMCs at once (ingot's pool of
# 8 sessions vs 8 parallel ipmitool processes), and how long an unreachable BMC takes to be
# reported (each tool with its shipped defaults).
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
harness=$INGOT_SOURCE_DIR/tests/provisioner/bmc
runs=${POWER_BENCH_RUNS:-20}
dir=$(mktemp -d /tmp/ingot-bench-power.$$.XXXXXX)
fleet=16
stop_all() {
  bash "$harness/bmc-sim.sh" stop "$dir/bmc"
  for ((k = 0; k < fleet; k++)); do bash "$harness/bmc-sim.sh" stop "$dir/rack$k"; done
  rm -rf "$dir"
}
trap stop_all EXIT

port=$(bash "$harness/bmc-sim.sh" free-port)
bash "$harness/bmc-sim.sh" start "$dir/bmc" "$port" admin secret >/dev/null || exit 1
dead=$(bash "$harness/bmc-sim.sh" free-port)

ingot() { "$INGOT_BIN" power --bmc "ipmi://admin:secret@127.0.0.1:$1" "${@:2}" >/dev/null 2>&1; }
ipmitool_() { ipmitool -I lanplus -C 3 -H 127.0.0.1 -p "$1" -U admin -P secret "${@:2}" >/dev/null 2>&1; }
ipmipower_() { ipmi-power -h "127.0.0.1:$1" -u admin -p secret -D LAN_2_0 -I 3 -W opensesspriv "${@:2}" >/dev/null 2>&1; }

# mean_ms N CMD...: mean wall time of N runs, in ms.
mean_ms() {
  local n=$1 t0 t1
  shift
  t0=$(date +%s%N)
  for ((i = 0; i < n; i++)); do "$@"; done
  t1=$(date +%s%N)
  awk -v a="$t0" -v b="$t1" -v n="$n" 'BEGIN{ printf "%.1f", (b - a) / n / 1e6 }'
}
seconds() {
  local t0 t1
  t0=$(date +%s%N)
  "$@"
  t1=$(date +%s%N)
  awk -v a="$t0" -v b="$t1" 'BEGIN{ printf "%.2f", (b - a) / 1e9 }'
}
boot_and_on_ingot() { ingot "$port" bootdev pxe && ingot "$port" on; }
boot_and_on_ipmitool() { ipmitool_ "$port" chassis bootdev pxe && ipmitool_ "$port" power on; }

i_status=$(mean_ms "$runs" ingot "$port" status)
t_status=$(mean_ms "$runs" ipmitool_ "$port" power status)
f_status=$(mean_ms "$runs" ipmipower_ "$port" --stat)
result "power status, one call (ms)" "$i_status" ipmitool "$t_status" 1.0 lower
result "power status, one call (ms)" "$i_status" ipmi-power "$f_status" 1.0 lower

i_on=$(mean_ms "$runs" boot_and_on_ingot)
t_on=$(mean_ms "$runs" boot_and_on_ipmitool)
result "bootdev pxe + power on (ms)" "$i_on" ipmitool "$t_on" 1.0 lower

# A rack: 16 simulated BMCs, status of all at once.
: >"$dir/rack.txt"
for ((k = 0; k < fleet; k++)); do
  p=$(bash "$harness/bmc-sim.sh" free-port)
  bash "$harness/bmc-sim.sh" start "$dir/rack$k" "$p" admin secret >/dev/null || exit 1
  echo "ipmi://admin:secret@127.0.0.1:$p" >>"$dir/rack.txt"
  echo "$p" >>"$dir/rack.ports"
done
rack_ingot() { "$INGOT_BIN" power --bmc-file "$dir/rack.txt" --parallel 8 status >/dev/null 2>&1; }
rack_ipmitool() { xargs -P 8 -I{} ipmitool -I lanplus -C 3 -H 127.0.0.1 -p {} -U admin -P secret power status <"$dir/rack.ports" >/dev/null 2>&1; }
i_rack=$(mean_ms 5 rack_ingot)
t_rack=$(mean_ms 5 rack_ipmitool)
result "status of a 16-BMC rack, 8 at a time (ms)" "$i_rack" ipmitool-xargs-P8 "$t_rack" 1.0 lower

i_dead=$(seconds ingot "$dead" status)
t_dead=$(seconds ipmitool_ "$dead" power status)
f_dead=$(seconds ipmipower_ "$dead" --stat)
result "unreachable BMC reported after (s)" "$i_dead" ipmitool "$t_dead" 1.0 lower
result "unreachable BMC reported after (s)" "$i_dead" ipmi-power "$f_dead" 1.0 lower
