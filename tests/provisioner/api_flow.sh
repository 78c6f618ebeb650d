#!/bin/bash
# One machine's journey through the REST API, with the `ingot` CLI as the operator, curl as the
# agent and OpenIPMI's ipmi_sim as the BMC: enrol, list/show, power, deploy (PXE + power on at
# the BMC), facts → plan → config → phase reports → deployed (boot from disk at the BMC) →
# callback → configured, with the timeline in `ingot node show`. A machine no role matches fails
# at `match` with the explanation; an unreachable BMC fails its node only.
set -u
work=$(mktemp -d /tmp/ingot-api-flow.$$.XXXXXX)
source "$INGOT_SOURCE_DIR/tests/provisioner/api_lib.sh"
bmc_pass='flow-S3cret'
start_bmc "$bmc_pass"
start_server "$work/state" || exit 1
mac_p=52:54:00:f1:00:01
mac_q=52:54:00:f1:00:02
mac_x=52:54:00:f1:00:03
# chassis_tail N: the last N set operations at the simulated chassis, as "power1 power0 ".
chassis_tail() { tail -n "$1" "$work/bmc/chassis.log" | awk '{printf "%s%s ", $3, $4}'; }
eq_cmd() { [ "$1" = "$("${@:2}")" ]; }
dead_port=$(bash "$bmc_harness/bmc-sim.sh" free-port)  # nothing listens there

# Enrol: one node with a live BMC, one without, one whose BMC never answers.
check "enrol with a BMC" eq "$("$ingot" node add node-p --mac "$mac_p" --bmc "ipmi://admin:$bmc_pass@127.0.0.1:$bmc_port")" "enrolled node-p"
check "enrol without a BMC" eq "$("$ingot" node add node-q --mac "$mac_q")" "enrolled node-q"
"$ingot" node add node-x --mac "$mac_x" --bmc "ipmi://admin:x@127.0.0.1:$dead_port" >/dev/null

table=$("$ingot" node list)
check "list: header" grep -qE "^NAME +STATE +PHASE +ROLE +HOSTNAME +IMAGE +MAC +BMC" <<<"$table"
check "list: node-p enrolled with its BMC" grep -qE "^node-p +enrolled .*$mac_p +ipmi://admin@127.0.0.1:$bmc_port" <<<"$table"
check "list: node-q enrolled without a BMC" grep -qE "^node-q +enrolled .*$mac_q +- *$" <<<"$table"
check "list --json: three nodes" eq "$("$ingot" node list --json | jq -r '[.[].name] | sort | join(",")')" "node-p,node-q,node-x"
show=$("$ingot" node show node-p)
check "show: state" has "$show" "state:      enrolled"
check "show: bmc" has "$show" "bmc:        ipmi://admin@127.0.0.1:$bmc_port"
check "show: timeline starts with enrol" grep -qE '^ +\+ +0\.0s +enrol +state +enrolled' <<<"$show"
check "show --json: mac" eq "$("$ingot" node show node-p --json | jq -r .mac)" "$mac_p"
check "role list: web with its image" grep -qE '^web +\* +tiny@1' <<<"$("$ingot" role list)"

# Power through the node's BMC, checked at the BMC's chassis.
check "power status: off" eq "$("$ingot" node power node-p status)" "node-p: power off"
check "power on" eq "$("$ingot" node power node-p on)" "node-p: power on"
check "the chassis is on" eq "$(cat "$work/bmc/power")" 1
check "power status: on" eq "$("$ingot" node power node-p status)" "node-p: power on"
"$ingot" node power node-p off >/dev/null
check "the chassis is off" eq "$(cat "$work/bmc/power")" 0
check "power status --json: off" eq "$("$ingot" node power node-p status --json | jq -r .power)" off
"$ingot" node power node-p on >/dev/null
"$ingot" node power node-p cycle >/dev/null
check "power cycle: off then on at the chassis" wait_for 15 eq_cmd "power1 power0 power1 " chassis_tail 3
check "power cycle: the chassis is on" eq "$(cat "$work/bmc/power")" 1
"$ingot" node power node-p off >/dev/null
# The same BMC with a wrong password: a clear error on that node only.
"$ingot" node add node-w --bmc "ipmi://admin:Wr0ng-pw@127.0.0.1:$bmc_port" >/dev/null
out=$("$ingot" node power node-w on 2>&1); rc=$?
check "wrong password exits 1" eq "$rc" 1
check "wrong password is named" has "$out" "authentication failed"
check "wrong password is not echoed" lacks "$out" "Wr0ng-pw"
check "node-w's error is in its events" has "$(node_field node-w '.timeline[].message')" "authentication failed"
check "the chassis did not move" eq "$(cat "$work/bmc/power")" 0
check "node-p's power still works" eq "$("$ingot" node power node-p status)" "node-p: power off"
out=$("$ingot" node power node-q on 2>&1); rc=$?
check "power without a BMC exits 1" eq "$rc" 1
check "power without a BMC is explained" has "$out" "has no BMC"
out=$("$ingot" node power node-p reboot 2>&1); rc=$?
check "an unknown power action exits 1" eq "$rc" 1
check "the chassis saw exactly on, off, on, cycle, off" eq "$(chassis_tail 99)" "power1 power0 power1 power0 power1 power0 "

# The unreachable BMC: deploy node-x first; its BMC calls time out while node-p carries on.
"$ingot" node deploy node-x >/dev/null
check "deploy: answers at once" eq "$("$ingot" node deploy node-p)" "deploying node-p (enrolled)"
check "deploy: the BMC boots from the network" wait_for 20 file_is "$work/bmc/boot" pxe
check "deploy: the BMC is powered on" wait_for 20 file_is "$work/bmc/power" 1
check "deploy: the power event" wait_for 10 field_has node-p '.timeline[].message' "boot device pxe (next boot), power on"
# Not a timing: node-x's BMC calls take 3 tries x 2 s, so node-p's deploy reached its BMC while
# node-x's was still being waited for, i.e. not queued behind it.
check "deploy: node-p's BMC was driven while node-x still waited on its own" field_is node-x .state enrolled
check "node-x fails at power" wait_for 30 field_is node-x '.state + "/" + .phase' failed/power
check "node-x's failure names its BMC" has "$(node_field node-x .failure)" "127.0.0.1:$dead_port"
out=$("$ingot" node power node-x status 2>&1); rc=$?
check "power status of node-x exits 1" eq "$rc" 1
check "and says the BMC does not answer" has "$out" "no answer"
check "node-p is untouched by node-x" eq "$(node_field node-p .state)" enrolled
check "node-p still answers power status" eq "$("$ingot" node power node-p status)" "node-p: power on"

# The agent, played by curl: the iPXE script → token → facts → plan.
script=$(curl -s "$INGOT_URL/boot.ipxe?mac=${mac_p//:/-}&platform=pcbios")
check "iPXE: deploy mode" has "$script" "ingot.mode=deploy"
check "iPXE: the server URL" has "$script" "ingot.server=$INGOT_URL"
tok=$(node_token "$mac_p")
check "node-p inspecting after its PXE" eq "$(node_field node-p '.state + "/" + .phase')" "inspecting/pxe"
plan=$(agent POST /api/v1/agent/facts "$tok" "$(facts_for "$mac_p" 'ApiTest Web')")
check "plan: deploy" eq "$(jq -r .action <<<"$plan")" deploy
check "plan: role web" eq "$(jq -r .role <<<"$plan")" web
check "plan: image" eq "$(jq -r .image <<<"$plan")" tiny@1
check "plan: power off after (the BMC boots it from disk)" eq "$(jq -r .after <<<"$plan")" poweroff
check "node-p deploying" eq "$(node_field node-p .state)" deploying
host=$(node_field node-p .allocation.hostname)
check "hostname from the pool ($host)" grep -qE '^web0[1-9]$' <<<"$host"
check "config: the hostname" eq "$(agent GET /api/v1/agent/config "$tok" | jq -r '.files["/etc/hostname"].content')" "$host"
for phase in partition image bootloader; do
  check "report $phase" eq "$(status_of POST /api/v1/agent/report "$tok" "{\"phase\":\"$phase\",\"status\":\"done\",\"message\":\"$phase ok\"}")" 200
done
agent POST /api/v1/agent/report "$tok" '{"phase":"image","status":"progress","message":"50%","data":{"bytes":1048576}}' >/dev/null
check "report deployed" eq "$(status_of POST /api/v1/agent/report "$tok" '{"phase":"deployed","status":"done","message":"ready to reboot"}')" 200
check "node-p deployed" eq "$(node_field node-p .state)" deployed
# The agent powers the machine off; the server then sets disk boot and powers it on.
bash "$bmc_harness/bmc-chassis.sh" "$work/bmc" set power 0
check "after deploy: the BMC boots from disk" wait_for 20 file_is "$work/bmc/boot" default
check "after deploy: powered on again" wait_for 20 file_is "$work/bmc/power" 1
check "a deployed node boots from its disk" lacks "$(curl -s "$INGOT_URL/boot.ipxe?mac=${mac_p//:/-}&platform=pcbios")" "ingot.token"
check "callback" eq "$(status_of POST /api/v1/agent/callback "$tok" "{\"hostname\":\"$host\",\"role\":\"web\"}")" 200
check "node-p configured" eq "$(node_field node-p .state)" configured
show=$("$ingot" node show node-p)
check "show: configured" has "$show" "state:      configured (phase handoff)"
check "show: role" has "$show" "role:       web"
check "show: allocation" has "$show" "\"hostname\":\"$host\""
phases=$(sed -n '/^timeline:/,$p' <<<"$show" | sed -nE 's/^ +\+ *[0-9.]+ *s +([a-z]+) .*/\1/p' | uniq | tr '\n' ' ')
check "timeline phases in order ($phases)" grep -qE 'enrol (power )*deploy (power )?pxe (power )?inspect match plan partition image bootloader image deployed reboot handoff' <<<"$phases"
check "the image progress is in the timeline" grep -qE 'image +progress +50%' <<<"$show"

# A machine no role matches: failed at match, with the explanation.
tok_q=$(node_token "$mac_q")
check "no match: 409" eq "$(status_of POST /api/v1/agent/facts "$tok_q" "$(facts_for "$mac_q" 'Other Box')")" 409
check "no match: the answer explains" has "$(cat "$work/body")" "no role matches"
check "no match: failed at match" eq "$(node_field node-q '.state + "/" + .phase')" "failed/match"
show=$("$ingot" node show node-q)
check "show: failed" has "$show" "state:      failed (phase match)"
check "show: the explanation names the role" grep -qE '^ +web: ' <<<"$show"
check "show: and the product that did not match" has "$show" "ApiTest Web"
check "no match: no hostname taken" eq "$(node_field node-q '.allocation.hostname // "none"')" none
# The agent then reports the same failure from its side (its inspect phase got the 409): the
# node is already failed, so that is a confirmation, not a second failed transition.
fails_before=$(node_field node-q '[.timeline[] | select(.data.to == "failed")] | length')
check "no match: one failed transition" eq "$fails_before" 1
check "the agent's failure report is accepted" eq "$(status_of POST /api/v1/agent/report "$tok_q" \
  '{"phase":"inspect","status":"failed","message":"409: no role matches"}')" 200
check "no second failed transition" eq "$(node_field node-q '[.timeline[] | select(.data.to == "failed")] | length')" 1
check "the report is recorded as the agent's confirmation" eq \
  "$(node_field node-q '[.timeline[] | select(.phase == "inspect" and .kind == "confirm" and (.message | startswith("the agent confirmed: 409")))] | length')" 1
check "still failed at match" eq "$(node_field node-q '.state + "/" + .phase')" "failed/match"
check "the server logged no refused transition" lacks "$(cat "$work/state.log")" "cannot go from failed to failed"
check "node-p is still configured" eq "$(node_field node-p .state)" configured

finish
