#!/bin/bash
# kill -9 of `ingot serve` in the middle of a deploy (the agent, played by curl, has posted its
# facts and got its plan, not yet reported `deployed`), then a restart on the same state dir:
# every node's state, allocation and events are intact, the agent's token still works, the deploy
# finishes with it, and the pool never hands the same hostname out twice.
set -u
work=$(mktemp -d /tmp/ingot-api-restart.$$.XXXXXX)
source "$INGOT_SOURCE_DIR/tests/provisioner/api_lib.sh"
port=$(free_tcp_port)
start_server "$work/state" "$port" || exit 1
mac1=52:54:00:e5:00:01
mac2=52:54:00:e5:00:02
mac3=52:54:00:e5:00:03
"$ingot" node add n1 --mac "$mac1" >/dev/null
"$ingot" node add n2 --mac "$mac2" >/dev/null
"$ingot" node add n3 --mac "$mac3" >/dev/null
"$ingot" node deploy n1 n2 >/dev/null
tok1=$(node_token "$mac1")
check "n1 gets a plan" eq "$(agent POST /api/v1/agent/facts "$tok1" "$(facts_for "$mac1" 'ApiTest Web')" | jq -r .action)" deploy
agent POST /api/v1/agent/report "$tok1" '{"phase":"partition","status":"done","message":"gpt ok"}' >/dev/null
agent POST /api/v1/agent/report "$tok1" '{"phase":"image","status":"progress","message":"40%","data":{"bytes":4096}}' >/dev/null
tok3=$(node_token "$mac3")  # n3 is only inspected: matched, not deploying
agent POST /api/v1/agent/facts "$tok3" "$(facts_for "$mac3" 'ApiTest Web')" >/dev/null
host1=$(node_field n1 .allocation.hostname)
host3=$(node_field n3 .allocation.hostname)
status_of GET /api/v1/nodes "$INGOT_TOKEN" >/dev/null
nodes_before=$(jq -S -c '[.[] | {name, state, phase, role, allocation, variables, mac}]' "$work/body")
status_of GET /api/v1/events "$INGOT_TOKEN" >/dev/null
events_before=$(jq -S -c . "$work/body")
count_before=$(jq length <<<"$events_before")
check "n1 is deploying before the kill" eq "$(node_field n1 .state)" deploying
check "n3 is matched before the kill" eq "$(node_field n3 .state)" matched

stop_server KILL
check "the server is gone" bash -c "! curl -s -o /dev/null -m 2 $INGOT_URL/api/v1/roles"
start_server "$work/state" "$port" || exit 1

status_of GET /api/v1/nodes "$INGOT_TOKEN" >/dev/null
check "every node's state, phase, role and allocation are intact" \
  eq "$(jq -S -c '[.[] | {name, state, phase, role, allocation, variables, mac}]' "$work/body")" "$nodes_before"
status_of GET /api/v1/events "$INGOT_TOKEN" >/dev/null
check "every event is intact ($count_before)" eq "$(jq -S -c ".[:$count_before]" "$work/body")" "$events_before"
check "n1 is still deploying" eq "$(node_field n1 .state)" deploying
check "the operator token survives the restart" eq "$(cat "$work/state/admin.token")" "$INGOT_TOKEN"

# The agent carries on with the token it booted with.
check "n1's token still works" eq "$(agent GET /api/v1/agent/config "$tok1" | jq -r '.files["/etc/hostname"].content')" "$host1"
# An agent that lost the server mid-deploy posts its facts again: the same plan, the same hostname.
plan=$(agent POST /api/v1/agent/facts "$tok1" "$(facts_for "$mac1" 'ApiTest Web')")
check "facts again after the restart: the same plan" eq "$(jq -r '.action + "/" + .image' <<<"$plan")" "deploy/tiny@1"
check "facts again: n1 keeps its hostname" eq "$(node_field n1 .allocation.hostname)" "$host1"
check "report with it" eq "$(status_of POST /api/v1/agent/report "$tok1" '{"phase":"bootloader","status":"done","message":"grub ok"}')" 200
check "deployed with it" eq "$(status_of POST /api/v1/agent/report "$tok1" '{"phase":"deployed","status":"done","message":"done"}')" 200
check "n1 deployed" eq "$(node_field n1 .state)" deployed
check "callback with it" eq "$(status_of POST /api/v1/agent/callback "$tok1" "{\"hostname\":\"$host1\",\"role\":\"web\"}")" 200
check "n1 configured" eq "$(node_field n1 .state)" configured
check "n1 kept its hostname" eq "$(node_field n1 .allocation.hostname)" "$host1"
timeline=$(node_field n1 '[.timeline[].phase] | join(" ")')
check "n1's timeline holds both sides of the restart ($timeline)" \
  grep -qE "match plan partition image (inspect )+match plan bootloader deployed handoff$" <<<"$timeline"

# No double allocation: the next machine gets a hostname nobody holds.
tok2=$(node_token "$mac2")
check "n2 gets a plan" eq "$(agent POST /api/v1/agent/facts "$tok2" "$(facts_for "$mac2" 'ApiTest Web')" | jq -r .action)" deploy
host2=$(node_field n2 .allocation.hostname)
check "n2 has a hostname ($host2)" grep -qE '^web0[1-9]$' <<<"$host2"
check "n2's differs from n1's ($host1)" differs "$host2" "$host1"
check "n2's differs from n3's ($host3)" differs "$host2" "$host3"
status_of GET /api/v1/nodes "$INGOT_TOKEN" >/dev/null
check "no hostname is held twice" eq "$(jq '[.[].allocation.hostname | select(.)] | (length == (unique | length))' "$work/body")" true

# A failed deploy frees its hostname for the next machine, and the inventory says so: the failed
# node no longer shows it, so no two nodes ever list the same hostname. Retire does the same.
check "n2 reports a failure" eq "$(status_of POST /api/v1/agent/report "$tok2" '{"phase":"partition","status":"failed","message":"disk gone"}')" 200
check "n2 failed at partition" eq "$(node_field n2 '.state + "/" + .phase + "/" + .failure')" "failed/partition/disk gone"
check "n2 holds no hostname any more" eq "$(node_field n2 '.allocation.hostname // "none"')" none
check "n2 keeps its role" eq "$(node_field n2 .role)" web
"$ingot" node add n4 --mac 52:54:00:e5:00:04 >/dev/null
"$ingot" node deploy n4 >/dev/null
tok4=$(node_token 52:54:00:e5:00:04)
agent POST /api/v1/agent/facts "$tok4" "$(facts_for 52:54:00:e5:00:04 'ApiTest Web')" >/dev/null
check "n4 takes the freed hostname ($host2)" eq "$(node_field n4 .allocation.hostname)" "$host2"
"$ingot" node retire n3 >/dev/null
check "a retired node holds no hostname" eq "$(node_field n3 '.allocation.hostname // "none"')" none
status_of GET /api/v1/nodes "$INGOT_TOKEN" >/dev/null
check "still no hostname held twice" eq "$(jq '[.[].allocation.hostname | select(.)] | (length == (unique | length))' "$work/body")" true

finish
