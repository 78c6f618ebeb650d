#!/bin/bash
# The REST API's authentication over real HTTP (curl against `ingot serve --roles`): no token is
# 401, a wrong token 403, a node token is refused on the operator routes, a node token acts only
# on its own node whatever the body says, the BMC password never leaves the server, and bad input
# gets a clear 4xx that changes nothing.
set -u
work=$(mktemp -d /tmp/ingot-api-auth.$$.XXXXXX)
source "$INGOT_SOURCE_DIR/tests/provisioner/api_lib.sh"
start_server "$work/state" || exit 1
admin=$INGOT_TOKEN
secret='Pw0rd-n3ver-sh0wn'
mac_a=52:54:00:a0:00:0a
mac_b=52:54:00:a0:00:0b
# The BMC needs not answer here: only what the server says about it matters.
"$ingot" node add node-a --mac "$mac_a" --bmc "ipmi://admin:$secret@127.0.0.1:$(free_tcp_port)" >/dev/null
"$ingot" node add node-b --mac "$mac_b" >/dev/null

# Operator routes: missing → 401, wrong → 403.
for route in "GET /api/v1/nodes" "GET /api/v1/nodes/node-a" "GET /api/v1/roles" "GET /api/v1/events" \
  "GET /api/v1/events/stream" "POST /api/v1/nodes/node-a/deploy" "POST /api/v1/nodes/node-a/retire"; do
  set -- $route
  check "$route without a token is 401" eq "$(status_of "$1" "$2" "")" 401
  check "$route with a wrong token is 403" eq "$(status_of "$1" "$2" "not-the-token")" 403
done
check "enrol without a token is 401" eq "$(status_of POST /api/v1/nodes "" '{"name":"x"}')" 401
check "enrol with a wrong token is 403" eq "$(status_of POST /api/v1/nodes "${admin}0" '{"name":"x"}')" 403
check "power with a wrong token is 403" eq "$(status_of POST /api/v1/nodes/node-a/power "${admin:1}" '{"action":"on"}')" 403
check "401 says what is missing" has "$(status_of GET /api/v1/nodes "" >/dev/null; cat "$work/body")" "missing bearer token"
check "nothing was enrolled by the refused requests" eq "$(node_field x .error)" "no node named 'x'"

# Node tokens from the iPXE scripts.
tok_a=$(node_token "$mac_a")
tok_b=$(node_token "$mac_b")
check "node A got a token" [ ${#tok_a} -ge 32 ]
check "node B got another token" differs "$tok_a" "$tok_b"
for route in "GET /api/v1/nodes" "GET /api/v1/nodes/node-b" "GET /api/v1/roles" "GET /api/v1/events" \
  "POST /api/v1/nodes/node-b/deploy" "POST /api/v1/nodes/node-b/retire"; do
  set -- $route
  check "$route with a node token is 403" eq "$(status_of "$1" "$2" "$tok_a")" 403
done
check "enrol with a node token is 403" eq "$(status_of POST /api/v1/nodes "$tok_a" '{"name":"x"}')" 403
check "the CLI with a node token fails" bash -c "! INGOT_TOKEN=$tok_a '$ingot' node list >/dev/null 2>&1"

# Agent routes: no token 401, the operator's or an unknown token 403.
check "agent config without a token is 401" eq "$(status_of GET /api/v1/agent/config "")" 401
check "agent config with the operator token is 403" eq "$(status_of GET /api/v1/agent/config "$admin")" 403
unknown=$(tr 0-9a-f 1-9a-f0 <<<"$tok_a")  # every hex digit shifted: never A's token
check "agent facts with an unknown token is 403" eq "$(status_of POST /api/v1/agent/facts "$unknown" "$(facts_for "$mac_a" 'ApiTest Web')")" 403

# A's token acts on A only, even when the body names B.
body=$(facts_for "$mac_a" 'ApiTest Web' | jq -c '. + {node: "node-b", name: "node-b"}')
check "facts with A's token answer 200" eq "$(status_of POST /api/v1/agent/facts "$tok_a" "$body")" 200
check "the answer is for A" eq "$(jq -r .node "$work/body")" node-a
check "A has the facts" eq "$(node_field node-a '.facts | length')" 3
check "A is matched" eq "$(node_field node-a .state)" matched
check "B has no facts" eq "$(node_field node-b '.facts | length')" 0
check "B is still inspecting (its PXE)" eq "$(node_field node-b .state)" inspecting
check "B has no role" eq "$(node_field node-b .role)" ""
check "facts with B's token answer 200" eq "$(status_of POST /api/v1/agent/facts "$tok_b" "$(facts_for "$mac_b" 'ApiTest Web')")" 200
host_a=$(node_field node-a .allocation.hostname)
host_b=$(node_field node-b .allocation.hostname)
check "A and B have different hostnames ($host_a, $host_b)" differs "$host_a" "$host_b"
cfg_a=$(agent GET /api/v1/agent/config "$tok_a")
check "config with A's token is A's hostname" eq "$(jq -r '.files["/etc/hostname"].content' <<<"$cfg_a")" "$host_a"
check "config with A's token carries A's token" eq "$(jq -r '.files["/etc/ingot/node.token"].content' <<<"$cfg_a")" "$tok_a"
check "config with A's token does not mention B" lacks "$cfg_a" "node-b"
check "config with B's token is B's hostname" eq "$(agent GET /api/v1/agent/config "$tok_b" | jq -r '.files["/etc/hostname"].content')" "$host_b"
agent POST /api/v1/agent/report "$tok_a" '{"node":"node-b","phase":"partition","status":"done","message":"from-A"}' >/dev/null
check "a report with A's token lands on A" has "$(node_field node-a '.timeline[].message')" "from-A"
check "and not on B" lacks "$(node_field node-b '.timeline[].message')" "from-A"

# A new deploy hands the next boot a new token and the old one stops working; a retired node's
# token cannot bring it back.
"$ingot" node deploy node-b >/dev/null
tok_b2=$(node_token "$mac_b")
check "the next boot after a deploy gets a new token" differs "$tok_b2" "$tok_b"
check "the old token is refused (403)" eq "$(status_of GET /api/v1/agent/config "$tok_b")" 403
check "as superseded" has "$(cat "$work/body")" "superseded"
check "the new one works" eq "$(status_of GET /api/v1/agent/config "$tok_b2")" 200
"$ingot" node retire node-b >/dev/null
check "node-b retired" eq "$(node_field node-b .state)" retired
retired_tries() {
  status_of POST /api/v1/agent/facts "$tok_b2" "$(facts_for "$mac_b" 'ApiTest Web')"
  status_of POST /api/v1/agent/report "$tok_b2" '{"phase":"deployed","status":"done"}'
  status_of POST /api/v1/agent/callback "$tok_b2" '{}'
}
check "facts, deployed, callback with a retired node's token are 403" eq "$(retired_tries)" 403403403
check "config with a retired node's token is 403" eq "$(status_of GET /api/v1/agent/config "$tok_b2")" 403
check "the refusal says the node is retired" has "$(cat "$work/body")" "node-b is retired: its token is no longer authorised"
check "node-b is still retired" eq "$(node_field node-b .state)" retired

# Bad input: a clear 4xx, nothing lost.
check "facts that are not JSON are 400" eq "$(status_of POST /api/v1/agent/facts "$tok_a" '{"facts": [')" 400
check "facts of the wrong shape are 400" eq "$(status_of POST /api/v1/agent/facts "$tok_a" '{"facts":[["disk","sda"]]}')" 400
check "A kept its facts" eq "$(node_field node-a '.facts | length')" 3
check "A kept its hostname" eq "$(node_field node-a .allocation.hostname)" "$host_a"
check "a report without a phase is 400" eq "$(status_of POST /api/v1/agent/report "$tok_a" '{"status":"done"}')" 400
check "enrol with a bad MAC is 400" eq "$(status_of POST /api/v1/nodes "$admin" '{"name":"c","mac":"52:54:zz"}')" 400
check "the bad MAC is named" has "$(cat "$work/body")" "52:54:zz"
check "enrol with a bad BMC URL is 400" eq "$(status_of POST /api/v1/nodes "$admin" '{"name":"c","bmc":"ipmi://u:Hid3Me@h:notaport"}')" 400
check "the bad BMC error hides its password" lacks "$(cat "$work/body")" "Hid3Me"
check "enrol with a body that is not JSON is 400" eq "$(status_of POST /api/v1/nodes "$admin" 'name=c')" 400
check "enrolling node-a again is 409" eq "$(status_of POST /api/v1/nodes "$admin" '{"name":"node-a"}')" 409
check "an unknown node is 404" eq "$(status_of GET /api/v1/nodes/nope "$admin")" 404
check "an unknown action is 404" eq "$(status_of POST /api/v1/nodes/node-a/explode "$admin")" 404
check "power without an action is 400" eq "$(status_of POST /api/v1/nodes/node-a/power "$admin" '{}')" 400
check "nothing named c was enrolled" eq "$(node_field c .error)" "no node named 'c'"

# The BMC password is never in a response: API documents and CLI output, table and JSON.
all=""
for path in /api/v1/nodes /api/v1/nodes/node-a /api/v1/events /api/v1/roles; do
  all+=$(status_of GET "$path" "$admin" >/dev/null; cat "$work/body")
done
all+=$(status_of POST /api/v1/nodes "$admin" "{\"name\":\"node-c\",\"bmc\":\"ipmi://root:$secret@127.0.0.1:1\"}" >/dev/null; cat "$work/body")
all+=$("$ingot" node list; "$ingot" node list --json; "$ingot" node show node-a; "$ingot" node show node-a --json)
all+=$("$ingot" node events; "$ingot" node events --json; "$ingot" node add node-d --json --bmc "ipmi://root:$secret@127.0.0.1:1")
check "the BMC user is shown" has "$all" "ipmi://admin@127.0.0.1:"
check "the BMC password never is" lacks "$all" "$secret"
check "the state dir's log does not have it either" lacks "$(cat "$work/state.log")" "$secret"

finish
