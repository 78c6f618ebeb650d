#!/bin/bash
# Reservations expire (ingot serve --reservation-ttl): a node matched for a deploy that never
# reports `deployed` is failed after the TTL and its role slot and hostname go back; an
# inspected-only node keeps its state but gives its slot back; a deployed node keeps its slot.
set -u
work=$(mktemp -d /tmp/ingot-api-ttl.$$.XXXXXX)
source "$INGOT_SOURCE_DIR/tests/provisioner/api_lib.sh"
ttl=3
serve_extra=(--reservation-ttl "$ttl")
start_server "$work/state" || exit 1
# match NAME MAC GOAL: enrols, (deploy: asks for it), PXE, posts facts; the plan goes to $work/plan.
match() {
  "$ingot" node add "$1" --mac "$2" >/dev/null
  [ "$3" = deploy ] && "$ingot" node deploy "$1" >/dev/null
  tok=$(node_token "$2")
  agent POST /api/v1/agent/facts "$tok" "$(facts_for "$2" 'ApiTest Web')" >"$work/plan"
}
match ttl-done 52:54:00:77:00:01 deploy
check "ttl-done: web01" eq "$(jq -r .allocation.hostname <<<"$(node_field ttl-done .)")" web01
agent POST /api/v1/agent/report "$tok" '{"phase":"deployed","status":"done","message":"laid"}' >/dev/null
check "ttl-done: deployed" eq "$(node_field ttl-done .state)" deployed
match ttl-silent 52:54:00:77:00:02 deploy
check "ttl-silent: deploying as web02" eq "$(node_field ttl-silent '.state + "/" + .allocation.hostname')" deploying/web02
match ttl-inspected 52:54:00:77:00:03 inspect
check "ttl-inspected: matched as web03" eq "$(node_field ttl-inspected '.state + "/" + .allocation.hostname')" matched/web03

check "ttl-silent fails once its reservation expires" wait_for $((ttl + 5)) field_is ttl-silent .state failed
check "ttl-silent: failed at match" eq "$(node_field ttl-silent .phase)" match
check "ttl-silent: the reason names the TTL" field_has ttl-silent .failure "--reservation-ttl"
check "ttl-silent: its hostname is released" eq "$(node_field ttl-silent '.allocation.hostname // "none"')" none
check "ttl-inspected: slot released" wait_for 5 field_is ttl-inspected '.allocation.hostname // "none"' none
check "ttl-inspected: still matched" eq "$(node_field ttl-inspected .state)" matched
check "ttl-inspected: the release is on its timeline" field_has ttl-inspected '[.timeline[].message] | join(" ")' "the slot is free again"
sleep 1
check "ttl-done: still deployed as web01" eq "$(node_field ttl-done '.state + "/" + .allocation.hostname')" deployed/web01

# The freed hostnames are handed out again.
match ttl-next 52:54:00:77:00:04 deploy
check "ttl-next: gets the freed web02" eq "$(jq -r .role <<<"$(cat "$work/plan")")/$(node_field ttl-next .allocation.hostname)" web/web02
finish
