#!/bin/bash
# The live event stream (Server-Sent Events, /api/v1/events/stream) read with `curl -N`: a state
# change made after the client connected arrives within a few seconds, `after=` skips what the
# client has seen, `node=` filters, and a client that goes away leaves the server serving.
set -u
work=$(mktemp -d /tmp/ingot-api-events.$$.XXXXXX)
source "$INGOT_SOURCE_DIR/tests/provisioner/api_lib.sh"
curl_pids=()
cleanup() {
  for pid in "${curl_pids[@]}"; do kill "$pid" 2>/dev/null; done
  stop_server
  [ -n "${KEEP:-}" ] || rm -rf "$work"
}
trap cleanup EXIT

# stream OUT QUERY: a background `curl -N` on the stream (30 s at most), its PID in curl_pids.
stream() {
  curl -s -N -m 30 -H "Authorization: Bearer $INGOT_TOKEN" "$INGOT_URL/api/v1/events/stream$2" >"$1" &
  curl_pids+=($!)
}
file_has() { grep -qF -- "$2" "$1" 2>/dev/null; }

start_server "$work/state" || exit 1
check "the stream without a token is 401" eq "$(status_of GET /api/v1/events/stream "")" 401
check "the stream for an unknown node is 404" eq "$(status_of GET '/api/v1/events/stream?node=nope' "$INGOT_TOKEN")" 404

"$ingot" node add old-node >/dev/null
status_of GET /api/v1/events "$INGOT_TOKEN" >/dev/null
last=$(jq '.[-1].id' "$work/body")
stream "$work/all" "?after=$last"
stream "$work/replay" ""
check "connected: the stream's opening comment" wait_for 5 file_has "$work/all" ": ingot events"

"$ingot" node add s-node --mac 52:54:00:5e:00:01 >/dev/null
stream "$work/only" "?node=s-node"  # the node must exist: ?node= of an unknown name is 404
check "connected: the filtered stream too" wait_for 5 file_has "$work/only" ": ingot events"
"$ingot" node add t-node >/dev/null
curl -s "$INGOT_URL/boot.ipxe?mac=52-54-00-5e-00-01&platform=pcbios" >/dev/null  # s-node: enrolled → inspecting
check "the enrolment arrives" wait_for 5 file_has "$work/all" '"node":"s-node"'
check "the PXE state change arrives" wait_for 5 file_has "$work/all" '"message":"network boot into the deploy ramdisk (inspect)"'
check "as an SSE state event" grep -qx 'event: state' "$work/all"
check "with an id" grep -qE '^id: [0-9]+$' "$work/all"
check "data is one JSON event" eq "$(grep '^data: ' "$work/all" | head -1 | cut -c7- | jq -r .node)" s-node
check "after= skips what was seen" bash -c "! grep -qF '\"node\":\"old-node\"' '$work/all'"
check "ids follow the last one seen" [ "$(grep -m1 '^id: ' "$work/all" | cut -c5-)" -gt "$last" ]
check "the filtered stream has s-node's change" wait_for 5 file_has "$work/only" '"to":"inspecting"'
check "and nothing of t-node" bash -c "! grep -qF t-node '$work/only'"
check "without after= the stream replays the log" wait_for 5 file_has "$work/replay" '"node":"old-node"'

# Clients that go away: the server notices and keeps serving.
for pid in "${curl_pids[@]}"; do kill "$pid" 2>/dev/null; done
sleep 0.5
check "the server still answers" eq "$(status_of GET /api/v1/nodes "$INGOT_TOKEN")" 200
check "and still streams" bash -c "curl -s -N -m 2 -H 'Authorization: Bearer $INGOT_TOKEN' '$INGOT_URL/api/v1/events/stream' | grep -qF old-node"

finish
