#!/usr/bin/env bash
# Power-loss safety of `ingot-agent upgrade` (issue 8, acceptance 2 without QEMU): kill -9 of the
# agent at random points of a v1 -> v2 upgrade of two thousand files, then `--recover` (itself
# killed once at a random point and rerun when it had a switch to roll back): the root is always
# exactly v1 or exactly v2, never a mix, and exactly v1 whenever the upgrade had not committed.
set -euo pipefail
B=${INGOT_BIN:?}
A=${INGOT_AGENT_BIN:?}
w=$(mktemp -d /tmp/ingot-upgrade-kill-XXXXXX)
here=$(cd "$(dirname "$0")" && pwd)
source "$here/upgrade_lib.sh"
start_server
MIN_SWITCH_KILLS=${MIN_SWITCH_KILLS:-3}
MAX_ROUNDS=${MAX_ROUNDS:-40}

v1=$w/v1
mkdir -p "$v1"/{etc,usr/bin,var/lib/data}
for d in $(seq 1 20); do
  mkdir -p "$v1/usr/share/d$d"
  for i in $(seq 1 100); do head -c $((RANDOM % 6000 + 1)) /dev/urandom >"$v1/usr/share/d$d/f$i"; done
done
head -c 2000000 /dev/urandom >"$v1/usr/bin/big" && chmod 755 "$v1/usr/bin/big"
echo v1 >"$v1/etc/app.conf"; echo image >"$v1/etc/hostname"; echo image >"$v1/etc/network.conf"
build 1 "$v1"
v2=$w/v2
cp -a "$v1" "$v2"
for d in $(seq 1 15); do
  for i in $(seq 1 60); do head -c $((RANDOM % 6000 + 1)) /dev/urandom >"$v2/usr/share/d$d/f$i"; done
  rm -f "$v2/usr/share/d$d/f9"*
  chmod 700 "$v2/usr/share/d$d/f70"
done
rm -r "$v2/usr/share/d20"
mkdir -p "$v2/usr/share/new" && for i in $(seq 1 300); do echo "new $i" >"$v2/usr/share/new/n$i"; done
head -c 2000000 /dev/urandom >"$v2/usr/bin/big"
echo v2 >"$v2/etc/app.conf"
build 2 "$v2"

base=$w/base; deploy 1 "$base"
clean_as 1 "$base" || fail "the deployed base is not demo@1"
# One uninterrupted run, timestamping the engine's steps: kills aim at the switch and around it.
cp -a "$base" "$w/r"; sync
t0=$(date +%s.%N)
"$A" upgrade --to demo@2 --server "$server" --root "$w/r" --no-reboot 2>&1 >/dev/null |
  while read -r line; do echo "$(date +%s.%N) $line"; done >"$w/steps" || fail "the uninterrupted upgrade"
clean_as 2 "$w/r" || fail "the uninterrupted upgrade is not exactly demo@2"
t_switch=$(awk -v t0="$t0" '/upgrade: switching/ { printf "%.3f", $1 - t0 }' "$w/steps")
t_end=$(awk -v t0="$t0" '/upgrade: done/ { printf "%.3f", $1 - t0 }' "$w/steps")
[[ -n $t_switch && -n $t_end ]] || { cat "$w/steps"; fail "no switching/done steps"; }
echo "one upgrade: switch from ${t_switch}s to ${t_end}s"

declare -A seen=()
switch_kills=0
mixed=0
for round in $(seq 1 "$MAX_ROUNDS"); do
  rm -rf "$w/r" && cp -a "$base" "$w/r" && sync  # the copy's writeback must not slow the run under test
  # Every third round: a random delay over the whole run; otherwise a random delay after the
  # journal says `switching` (the switch is short next to staging; polled every millisecond).
  if (( round % 3 == 0 )); then mode=any; else mode=switching; fi
  delay=$(python3 "$here/upgrade_kill_at.py" "$mode" "$t_end" "$w/r/var/lib/ingot/upgrade/journal.json" -- \
    "$A" upgrade --to demo@2 --server "$server" --root "$w/r" --no-reboot)
  state=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["state"])' "$w/r/var/lib/ingot/upgrade/journal.json" 2>/dev/null || echo none)
  seen[$state]=$(( ${seen[$state]:-0} + 1 ))
  if [[ $state == switching || $state == switched ]]; then
    switch_kills=$((switch_kills + 1))
    # Was the root really between n and n+1 (so the rollback had work to do)?
    if ! rsync -anciH --delete "${KEEP_EXCLUDES[@]}" "$w/fresh-1/" "$w/r/" | grep -q .; then :; else mixed=$((mixed + 1)); fi
    # The rollback itself is cut once, at a random point, and simply rerun.
    "$A" upgrade --recover --root "$w/r" >/dev/null 2>&1 &
    rpid=$!
    sleep "$(awk -v r="$RANDOM" 'BEGIN{ printf "%.3f", 0.2 * r / 32767 }')"
    kill -9 "$rpid" 2>/dev/null || true
    wait "$rpid" 2>/dev/null || true
  fi
  "$A" upgrade --recover --root "$w/r" >"$w/recover.out" 2>&1 || { cat "$w/recover.out"; fail "round $round: --recover failed (state $state)"; }
  if clean_as 1 "$w/r" >"$w/why1" 2>&1; then
    result=1
  elif clean_as 2 "$w/r" >"$w/why2" 2>&1; then
    result=2
  else
    cat "$w/why1" "$w/why2"; fail "round $round (killed after ${delay}s in state $state): neither exactly demo@1 nor demo@2"
  fi
  case $state in
    none|staging|switching|switched|failed) [[ $result == 1 ]] || fail "round $round: state $state must end on demo@1" ;;
    committed|reboot-pending) [[ $result == 2 ]] || fail "round $round: state $state must end on demo@2" ;;
  esac
  echo "round $round: killed after ${delay}s in state $state -> exactly demo@$result"
  # The node upgrades fine afterwards.
  if [[ $result == 1 && $round == 1 ]]; then
    "$A" upgrade --to demo@2 --server "$server" --root "$w/r" --no-reboot >/dev/null 2>&1 || fail "upgrade after recovery"
    clean_as 2 "$w/r" || fail "upgrade after recovery is not exactly demo@2"
  fi
  (( round >= 8 && switch_kills >= MIN_SWITCH_KILLS )) && break
done
echo "kill states: $(for k in "${!seen[@]}"; do printf '%s=%s ' "$k" "${seen[$k]}"; done)"
echo "kills that left a mixed root before --recover: $mixed"
(( mixed >= 1 )) || fail "no kill left a half-switched root: the rollback was never exercised"
(( switch_kills >= MIN_SWITCH_KILLS )) || fail "only $switch_kills of $round kills landed in the switch (want $MIN_SWITCH_KILLS)"
echo PASS
