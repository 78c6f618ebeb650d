#!/usr/bin/env bash
# End-to-end fault (issue 7, acceptance 3): `ingot serve` killed during the image sync and
# started again on the same state dir lets the deploy finish. One BIOS machine "mid" behind its
# ipmi_sim BMC is deployed (compute-test, tiny@1). Once its agent reports the image phase started,
# and before it reports it done, the server is killed with SIGKILL by PID, stays down a few
# seconds, and is started again; the node must still end `configured`, its console show the
# callback, and its disk hold exactly tiny@1's manifest (plus the node's config).
#
# The tiny image syncs in ~1 s, too short to aim a kill at, so the link towards the machine (the
# egress of its tap port on the test bridge, inside the test namespace only) is shaped with tbf
# once the deploy ramdisk runs (kernel and initrd are loaded by then): a ~14 MB sync then takes
# ~7 s whatever the load, and the kill lands E2E_KILL_AFTER seconds into it. A kill that did not
# land during the sync (the sync already done, or the agent never had to retry) fails the test.
#   provision_restart.sh                     the test (ctest e2e_provision_restart)
#   E2E_RESTART_BASELINE=1 provision_restart.sh   the same shaped deploy without the kill: a
#                                            measurement for bench/results/e2e.md, not a test
set -euo pipefail
source "$(dirname "$0")/lib/e2e.sh"
source "$E2E_LIB/provision.sh"

deadline=${E2E_PROVISION_DEADLINE:-180}
rate=${E2E_SYNC_RATE:-16mbit}        # 2 MB/s: tiny@1's objects take ~7 s
kill_after=${E2E_KILL_AFTER:-2}      # seconds into the sync
down_for=${E2E_DOWN_FOR:-4}          # seconds the server stays dead
baseline=${E2E_RESTART_BASELINE:-}
command -v tc >/dev/null || e2e_die "tc not found: apt-get install iproute2"

prov_begin restart
e2e_net_up
e2e_ra_responder
prov_state
prov_machine mid "$(e2e_mac 5)" bios 512 1 admin "mid-$$"
prov_serve
echo "e2e: server $PROV_URL, logs in $E2E_DIR"

now_ms() { echo $(( ${EPOCHREALTIME//[!0-9]/} / 1000 )); }

# The node's events as JSON lines (from whichever server is up).
mid_events() { prov_ingot node events mid --json 2>>"$E2E_DIR/cli.log"; }

# ev QUERY [ARG]: a fact about the node's event log on stdin; prints it, or nothing.
#   start                  ts_ms of the image phase's start
#   end                    "KIND ts_ms" of the image phase's done/failed, if any
#   retry_after MS         ts_ms of the first image retry the agent reported at or after MS
#   progress_before MS     "files bytes" of the last image progress before MS
ev() {
  python3 -c '
import json, sys
q, arg = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 0
evs = [json.loads(l) for l in sys.stdin if l.strip()]
img = [e for e in evs if e.get("phase") == "image"]
def data(e): return e.get("data") or {}
out = None
if q == "start":
    out = next((e["ts_ms"] for e in img if e.get("kind") == "start"), None)
elif q == "end":
    out = next((e["kind"] + " " + str(e["ts_ms"]) for e in img if e.get("kind") in ("done", "failed")), None)
elif q == "retry_after":
    out = next((e["ts_ms"] for e in img if "retry" in data(e) and e["ts_ms"] >= arg), None)
elif q == "progress_before":
    p = [e for e in img if e.get("kind") == "progress" and "files" in data(e) and e["ts_ms"] < arg]
    out = "%s %s" % (data(p[-1])["files"], data(p[-1])["bytes"]) if p else None
if out is not None: print(out)
' "$@"
}

prov_ingot node add mid --bmc "${PROV_BMC_URL[mid]}" --mac "${E2E_VM_MAC[mid]}" || prov_fail "ingot node add mid failed"
t_deploy=$SECONDS
prov_ingot node deploy mid || prov_fail "ingot node deploy mid failed"

# Shape only once /init of the deploy ramdisk runs: iPXE has loaded kernel and initrd by then.
# (The BMC, not the harness, runs the machine: wait on its console log, not on a process.)
for ((i = 0; i < 600; i++)); do
  grep -qa 'ingot-ramdisk: loading drivers' "$E2E_DIR/mid.log" 2>/dev/null && break
  sleep 0.2
done
((i < 600)) || prov_fail "mid never reached the deploy ramdisk"
tap=${E2E_VM_TAP[mid]}
ip netns exec "$E2E_NS" tc qdisc add dev "$tap" root tbf rate "$rate" burst 32kb latency 400ms ||
  e2e_die "tc tbf on $tap failed (sch_tbf missing?)"
echo "e2e: [$(e2e_now)] link to mid shaped to $rate"

start=""
for ((i = 0; i < 400 && ${#start} == 0; i++)); do
  start=$(mid_events | ev start || true)
  [[ -n $start ]] || sleep 0.25
done
[[ -n $start ]] || prov_fail "the agent never reported the image phase starting"
echo "e2e: [$(e2e_now)] image sync started"

if [[ -z $baseline ]]; then
  sleep "$kill_after"
  end=$(mid_events | ev end || true)
  [[ -z $end ]] || prov_fail "the image sync ended ($end) before the kill could land: the window is" \
    "too short (lower E2E_SYNC_RATE or E2E_KILL_AFTER); nothing was tested"
  t_kill=$(now_ms)
  kill -KILL "${E2E_PID[server]}"
  _e2e_reap server || true
  echo "e2e: [$(e2e_now)] ingot serve killed (SIGKILL, pid) $(( $(now_ms) - start )) ms into the sync"
  sleep "$down_for"
  t_restart=$(now_ms)
  PROV_SERVE_LOG=server2 prov_serve
  # When it was ready by its own clock (its log line), not when this script noticed.
  t_ready=$(grep -am1 'serve: ready' "$E2E_DIR/server2.log" | python3 -c '
import datetime, re, sys
m = re.search(r"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+)Z", sys.stdin.read())
print(int(datetime.datetime.fromisoformat(m.group(1)).replace(tzinfo=datetime.timezone.utc).timestamp() * 1000))')
  echo "e2e: [$(e2e_now)] ingot serve started again on the same state dir (log server2)"
fi

prov_wait_states "$deadline" configured mid || prov_fail "mid did not reach 'configured' within ${deadline}s"
echo "e2e: mid configured $((SECONDS - t_deploy)) s after the deploy request"

events=$(mid_events)
echo "$events" >"$E2E_DIR/mid.events.json"
end=$(ev end <<<"$events" || true)
[[ $end == done\ * ]] || prov_fail "no 'image done' event (got '${end:-none}')"
t_done=${end#done }
sync_s=$(python3 -c "print(round(($t_done - $start) / 1000, 1))")

failures=0
check() {
  local what=$1; shift
  if "$@"; then echo "ok   $what"; else echo "FAIL $what"; failures=$((failures + 1)); fi
}
if [[ -z $baseline ]]; then
  retry=$(ev retry_after "$t_kill" <<<"$events" || true)
  before=$(ev progress_before "$t_kill" <<<"$events" || true)
  # The proof the kill hit the sync: the agent's sync failed and was retried, and the new server
  # is the one that heard the image phase end.
  [[ -n $retry ]] || prov_fail "the kill did not land during the image sync: the agent reported no" \
    "image retry after it (the sync was not interrupted; nothing was tested)"
  check "the agent retried the interrupted sync (reported to the restarted server)" [ "$retry" -ge "$t_restart" ]
  check "the image phase ended after the restart" [ "$t_done" -gt "$t_restart" ]
fi
e2e_wait_log mid "INGOT-CALLBACK-OK node=mid " 30 >/dev/null 2>&1 || true
check "mid: its console shows the callback" grep -qa "INGOT-CALLBACK-OK node=mid " "$E2E_DIR/mid.log"

prov_ingot power --bmc "${PROV_BMC_URL[mid]}" off >/dev/null || echo "e2e: power off of mid failed" >&2
"$INGOT_BIN" image show tiny@1 --manifest --state-dir "$PROV_STATE" >"$E2E_DIR/tiny.manifest.json" ||
  e2e_fail "ingot image show tiny@1 --manifest failed"
check "mid: deployed disk holds exactly tiny@1 (+ node config)" prov_inspect_disk mid "$E2E_DIR/tiny.manifest.json"

prov_ingot node show mid || true
prov_timeline mid
echo "e2e: image phase (start to done, server clock): $sync_s s at $rate"
if [[ -z $baseline ]]; then
  echo "e2e: restart: killed $(( t_kill - start )) ms into the sync (last progress before it, files/bytes:" \
    "${before:-none reported}); server down $(( t_ready - t_kill )) ms (kill to ready, ${down_for} s of it on" \
    "purpose); the agent's retry reached the new server $(( retry - t_ready )) ms after ready; the resumed" \
    "sync ended $(( t_done - retry )) ms after that"
fi
((failures == 0)) || prov_fail "$failures check(s) failed"
if [[ -n $baseline ]]; then
  echo "e2e: BASELINE only (no kill, E2E_RESTART_BASELINE set): a measurement, not the test"
else
  echo "e2e: PASS provision restart: serve killed mid-sync and restarted, mid configured, disk verified, $(e2e_now)s"
fi
