#!/usr/bin/env bash
# Issue 8 acceptance 1-3 in QEMU. Two bare BIOS machines ("a", "b") behind ipmi_sim BMCs are
# deployed once with tiny@1 (role tiny-role), through `ingot node add/deploy`; their tiny OS runs
# ingot-agent in upgrade mode. Then, all through ingot's CLI and the BMCs:
#   1. rollout v1 -> v2, canary 1: both report done; the canary finished before the other began;
#      each console shows the post hook and the service restarted with v2's config.
#   2. rollout v2 -> v3 (post hook fails from v2), canary 1: the canary rolls back, the rollout is
#      stopped, the other node gets nothing. Disks: both exactly tiny@2, keep-list and node-config
#      files as they were on v1 (snapshot after the deploy).
#   3. the canary: v2 -> v1 (downgrade), v1 -> v3 (directly; reboots), v3 -> v2 (downgrade); the
#      other: `ingot node upgrade` to v3 and the power cut (IPMI off) while the post hook runs,
#      power on: the disk is exactly v2 or v3, never a mix. The canary's v1 -> v3 is cut once in
#      its pre hook (staged, nothing switched) and asked again. Final disks checked again.
# Versions: lib/versions.sh. Fails naming the phase, with consoles, server log and timelines.
#   upgrade.sh                 the test (ctest upgrade_qemu, label upgrade)
#   UPG_SCAFFOLD=1 upgrade.sh  deploy + v1 checks only (while pieces of issue 8 are missing)
#   E2E_KEEP=1                 keep logs and disks
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
PROV_ROLES=$here/roles
PROV_REBOOT_IN_PLACE=1
source "$here/../e2e/lib/e2e.sh"
source "$E2E_LIB/provision.sh"
source "$here/lib/versions.sh"
source "$here/lib/flow.sh"

prov_begin upg
upg_require
t_run=$SECONDS
e2e_net_up
e2e_ra_responder
prov_state
t0=$SECONDS
upg_versions
echo "e2e: tiny@1..3 built from trees in $((SECONDS - t0)) s"
prov_machine a "$(e2e_mac 1)" bios 512 1 admin "a-$$"
prov_machine b "$(e2e_mac 2)" bios 512 1 admin "b-$$"
prov_serve
echo "e2e: server $PROV_URL, logs in $E2E_DIR"

phase() {
  UPG_PHASE=$1
  UPG_T_PHASE=$SECONDS
  echo "e2e: ==== [$(e2e_now)] $1"
}
phase_done() { echo "e2e: ---- $UPG_PHASE: ok in $((SECONDS - UPG_T_PHASE)) s"; }
fail() { prov_fail "[$UPG_PHASE] $*"; }
both_off() { upg_power a off; upg_power b off; }
# both_on: power on and wait until each has booted again and its agent polls.
both_on() {
  local n ma mb
  ma=$(upg_mark a) mb=$(upg_mark b)
  upg_power a on; upg_power b on
  upg_wait_console a 'ingot-tiny: booted' 150 "$ma" || fail "a did not boot from its disk again"
  upg_wait_console b 'ingot-tiny: booted' 150 "$mb" || fail "b did not boot from its disk again"
}
# cut_power_during NAME REGEX WHAT FROM_LINE: once REGEX shows on NAME's console (after line
# FROM_LINE), a power cut and power back on; returns once the boot-time recovery ended cleanly.
cut_power_during() {
  local name=$1 m
  upg_wait_console "$name" "$2" 180 "$4" || fail "$name: $3 never started"
  upg_power "$name" off
  echo "e2e: [$(e2e_now)] $name: power cut while $3 ran"
  m=$(upg_mark "$name")
  upg_power "$name" on
  upg_wait_console "$name" 'ingot-upgrade: recover exit 0' 150 "$m" || fail "$name: the boot-time recovery did not end cleanly"
}

phase "deploy tiny@1 to a and b"
for n in a b; do prov_ingot node add "$n" --bmc "${PROV_BMC_URL[$n]}" --mac "${E2E_VM_MAC[$n]}" || fail "node add $n"; done
for n in a b; do prov_ingot node deploy "$n" || fail "node deploy $n"; done
prov_wait_states 600 configured a b || fail "a and b did not both reach 'configured'"
for n in a b; do
  upg_wait_console "$n" 'tiny-service: started' 60 || fail "$n: the tiny service did not start"
  upg_wait_console "$n" 'ingot-tiny: booted' 60 || fail "$n: rcS did not finish"
done
deadline=$((SECONDS + 60))
until upg_polling a b; do
  ((SECONDS < deadline)) || fail "the nodes' agents do not poll GET /api/v1/agent/upgrade (server log)"
  sleep 1
done
phase_done

phase "v1 on disk: exactly tiny@1, keep list and node config saved"
both_off
for n in a b; do
  upg_inspect "$n" v1 1 || fail "$n: the deployed disk is not exactly tiny@1"
  [[ $(upg_ref "$n" v1) == tiny@1 ]] || fail "$n: var/lib/ingot/image/ref is '$(upg_ref "$n" v1)', not tiny@1"
  [[ -s $E2E_DIR/saved-$n-v1/var/lib/ingot/node-config.list ]] || fail "$n: the deploy wrote no /var/lib/ingot/node-config.list"
done
both_on
phase_done
if [[ -n ${UPG_SCAFFOLD:-} ]]; then
  echo "e2e: PASS (scaffold only: deploy, agents polling, v1 on disk) in $((SECONDS - t_run)) s"
  exit 0
fi

phase "1. rollout tiny-role v1 -> v2, canary 1"
ev0=$(upg_event_mark)
# The dry run first: per node what changes (pkg-a added, pkg-b and the config changed,
# obsolete.idx removed) and no reboot; v3 (a file under /boot) reboots.
dry=$(prov_ingot rollout start tiny-role --to 2 --dry-run --json 2>&1) || fail "rollout dry run: $dry"
upg_dry_run_ok "$dry" false || fail "the v1 -> v2 dry run is not what v2 changes: $dry"
dry=$(prov_ingot rollout start tiny-role --to 3 --dry-run --json 2>&1) || fail "rollout dry run: $dry"
upg_dry_run_ok "$dry" true || fail "the v1 -> v3 dry run does not say 'reboot': $dry"
ev=$(upg_event_mark); ma=$(upg_mark a); mb=$(upg_mark b)
upg_rollout_start tiny-role --to 2 --canary 1
upg_rollout_wait "$UPG_ROLLOUT" done 300 || fail "rollout $UPG_ROLLOUT did not end 'done': $(upg_rollout_summary)"
mapfile -t order < <(upg_rollout_nodes)
[[ ${#order[@]} == 2 ]] || fail "rollout $UPG_ROLLOUT covers ${#order[@]} node(s), not 2"
canary=${order[0]%% *} other=${order[1]%% *}
echo "e2e: canary $canary, then $other"
for n in a b; do
  upg_wait_upgrade "$n" done 5 "$ev" || fail "$n: no upgrade 'done' event"
done
# pkg-b's 2 MiB data file changed in 64 KiB: it comes as a librsync delta, not whole.
upg_done_data "$canary" "$ev" >"$E2E_DIR/v2-done.json"
python3 - "$E2E_DIR/v2-done.json" <<'PY' || fail "v1 -> v2 fetched no delta or too much: $(cat "$E2E_DIR/v2-done.json")"
import json, sys
d = json.load(open(sys.argv[1]))
print("e2e: v1 -> v2 on the canary: %d files, %d bytes fetched, %d by delta (%d deltas), %.1f s" % (
    d.get("files", 0), d.get("bytes_fetched", 0), d.get("bytes_delta", 0), d.get("deltas", 0), d.get("seconds", 0)))
sys.exit(0 if d.get("deltas", 0) >= 1 and d.get("bytes_fetched", 1 << 30) < (1 << 20) else 1)
PY
# Canary first: the other node's assignment comes after the canary's done.
python3 - "$UPG_ROLLOUT_JSON" "$canary" "$other" <<'PY' || fail "the canary did not finish before the other node started"
import json, sys
d, canary, other = json.loads(sys.argv[1]), sys.argv[2], sys.argv[3]
ev = d.get("events", [])
done = [e["id"] for e in ev if e.get("node") == canary and e.get("kind") == "done"]
began = [e["id"] for e in ev if e.get("node") == other and e.get("kind") in ("assigned", "started")]
sys.exit(0 if done and began and min(began) > min(done) else 1)
PY
for n in a b; do
  m=$ma; [[ $n == b ]] && m=$mb
  upg_wait_console "$n" 'tiny-upgrade-post: 1 -> 2 reboot=0' 5 "$m" || fail "$n: v2's post hook did not run"
  upg_wait_console "$n" 'tiny-service: started .*greeting=hello from tiny v2' 10 "$m" ||
    fail "$n: the tiny service was not restarted with v2's config"
done
phase_done

phase "2. rollout tiny-role v2 -> v3 (post hook fails from v2), canary 1"
ev=$(upg_event_mark); declare -A mk=([a]=$(upg_mark a) [b]=$(upg_mark b))
upg_rollout_start tiny-role --to 3 --canary 1
upg_rollout_wait "$UPG_ROLLOUT" stopped 300 || fail "rollout $UPG_ROLLOUT did not stop: $(upg_rollout_summary)"
mapfile -t order < <(upg_rollout_nodes)
canary=${order[0]%% *} other=${order[1]%% *}
echo "e2e: canary $canary, untouched $other"
upg_wait_upgrade "$canary" rolled_back 5 "$ev" || fail "$canary: no 'rolled_back' report"
upg_wait_console "$canary" 'tiny-v3-migration: cannot migrate data from v2' 5 "${mk[$canary]}" ||
  fail "$canary: v3's post hook did not run (and fail) on the console"
# The other node was queued with the rollout and is cancelled with it, never assigned.
touched=$(upg_events "$other" "$ev" | awk '$2 != "queued" && $2 != "cancelled"')
[[ -z $touched ]] || fail "$other was upgraded by a stopped rollout: $touched"
both_off
for n in a b; do
  upg_inspect "$n" v2 2 || fail "$n: not exactly tiny@2 after the v3 rollout stopped"
  [[ $(upg_ref "$n" v2) == tiny@2 ]] || fail "$n: image ref '$(upg_ref "$n" v2)', not tiny@2"
  upg_same_kept "$n" v1 v2 || fail "$n: keep-list or node-config files changed between v1 and v2"
done
both_on
phase_done

phase "3. $canary: v2 -> v1 -> v3 (a power cut in the pre hook first) -> v2; $other: power cut in v2 -> v3's post hook"
x=$canary y=$other
ev=$(upg_event_mark); mx=$(upg_mark "$x"); my=$(upg_mark "$y")
prov_ingot node upgrade "$x" --to 1 >>"$E2E_DIR/cli.log" 2>&1 || fail "ingot node upgrade $x --to 1"
prov_ingot node upgrade "$y" --to 3 >>"$E2E_DIR/cli.log" 2>&1 || fail "ingot node upgrade $y --to 3"
cut_power_during "$y" 'tiny-v3-migration: started' "v3's post hook" "$my"
upg_wait_upgrade "$x" done 240 "$ev" || fail "$x: the downgrade v2 -> v1 did not end 'done'"
upg_wait_console "$x" 'tiny-service: started .*greeting=hello from tiny $' 10 "$mx" || fail "$x: service not restarted with v1's config"
# v1 -> v3, first cut while v3's pre hook runs (staged, nothing switched): the node recovers to
# v1 and reports the upgrade failed; asked again, it goes through.
ev_x=$(upg_event_mark); mx=$(upg_mark "$x")
prov_ingot node upgrade "$x" --to 3 >>"$E2E_DIR/cli.log" 2>&1 || fail "ingot node upgrade $x --to 3"
cut_power_during "$x" 'tiny-v3-pre: started from=1' "v3's pre hook" "$mx"
upg_wait_upgrade "$y" rolled_back 240 "$ev" || fail "$y: after the power cut, no 'rolled_back' (last: $UPG_STATUS)"
upg_wait_upgrade "$x" failed 120 "$ev_x" || fail "$x: the upgrade cut in its pre hook was not reported failed (last: $UPG_STATUS)"
ev_x=$(upg_event_mark); mx=$(upg_mark "$x")
prov_ingot node upgrade "$x" --to 3 >>"$E2E_DIR/cli.log" 2>&1 || fail "ingot node upgrade $x --to 3 (again)"
upg_wait_upgrade "$x" done 300 "$ev_x" || fail "$x: v1 -> v3 did not end 'done'"
upg_wait_console "$x" 'tiny-v3-migration: converted v1 data' 5 "$mx" || fail "$x: v3's migration from v1 did not run"
upg_wait_console "$x" 'tiny-service: started .*greeting=hello from tiny v3' 10 "$mx" || fail "$x: not rebooted into v3's service"
ev_x=$(upg_event_mark)
prov_ingot node upgrade "$x" --to 2 >>"$E2E_DIR/cli.log" 2>&1 || fail "ingot node upgrade $x --to 2"
upg_wait_upgrade "$x" done 300 "$ev_x" || fail "$x: the downgrade v3 -> v2 did not end 'done'"
both_off
upg_inspect "$x" end 2 || fail "$x: not exactly tiny@2 after v3 -> v2"
upg_inspect "$y" end 2 3 || fail "$y: after the power cut, neither exactly tiny@2 nor tiny@3: a mix"
echo "e2e: $y after the power cut: tiny@$UPG_CLEAN"
for n in a b; do
  [[ $(upg_ref "$n" end) == "tiny@$([[ $n == "$x" ]] && echo 2 || echo "$UPG_CLEAN")" ]] ||
    fail "$n: image ref '$(upg_ref "$n" end)' does not name the version on its disk"
  upg_same_kept "$n" v1 end || fail "$n: keep-list or node-config files changed"
done
phase_done

for n in a b; do echo "e2e: ---- upgrade events of $n ----"; upg_events "$n" "$ev0"; done
echo "e2e: PASS upgrade: rollouts v1->v2 and v2->v3 (stopped), power cuts in a pre and a post hook, v1->v3, v3->v2 in $((SECONDS - t_run)) s"
