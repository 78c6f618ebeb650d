#!/bin/bash
# JSON nested 300,000 levels deep (once enough to end the server: dump() recursed) to every
# route that takes a JSON body, with the right token, with the wrong kind of token and with
# none: the right token gets a 400 that says why, the others their 401/403, and the server
# answers the next request every time.
set -u
work=$(mktemp -d /tmp/ingot-api-hostile.$$.XXXXXX)
source "$INGOT_SOURCE_DIR/tests/provisioner/api_lib.sh"
start_server "$work/state" || exit 1
mac=52:54:00:4e:00:01
"$ingot" node add deep-1 --mac "$mac" >/dev/null
tok=$(node_token "$mac")
python3 -c 'import sys; sys.stdout.write("[" * 300000 + "]" * 300000)' >"$work/deep.json"
python3 -c 'import sys; sys.stdout.write("{\"facts\":" + "[" * 300000)' >"$work/deep-open.json"

# post PATH TOKEN FILE: the status of a POST of FILE's bytes.
post() {
  local auth=()
  [ -n "$2" ] && auth=(-H "Authorization: Bearer $2")
  curl -s -m 30 -o "$work/body" -w '%{http_code}' -X POST "${auth[@]}" -H "Content-Type: application/json" \
    --data-binary "@$3" "$INGOT_URL$1"
}
alive() { [ "$(status_of GET /api/v1/roles "$INGOT_TOKEN")" = 200 ]; }

admin_routes=(/api/v1/nodes /api/v1/nodes/deep-1/upgrade /api/v1/nodes/deep-1/power /api/v1/rollouts)
agent_routes=(/api/v1/agent/facts /api/v1/agent/report /api/v1/agent/callback /api/v1/agent/upgrade)
for doc in deep.json deep-open.json; do
  for r in "${admin_routes[@]}"; do
    check "$doc $r (admin): 400" eq "$(post "$r" "$INGOT_TOKEN" "$work/$doc")" 400
    check "$doc $r: the answer says why" grep -qE 'nests deeper|not JSON' "$work/body"
    check "$doc $r (node token): 403" eq "$(post "$r" "$tok" "$work/$doc")" 403
    check "$doc $r (none): 401" eq "$(post "$r" "" "$work/$doc")" 401
    check "alive after $r" alive
  done
  for r in "${agent_routes[@]}"; do
    check "$doc $r (node): 400" eq "$(post "$r" "$tok" "$work/$doc")" 400
    check "$doc $r (none): 401" eq "$(post "$r" "" "$work/$doc")" 401
    check "alive after $r" alive
  done
done
check "the node is untouched" eq "$(node_field deep-1 '.state + "/" + (.facts | length | tostring)')" inspecting/0
check "the server is still running" kill -0 "$srv_pid"
finish
