#!/bin/bash
# The upgrade API over real HTTP against `ingot serve` + SQLite, curl as the agent (node tokens)
# and the `ingot` CLI as the operator: the plan pins the image, `ingot node upgrade` (dry run
# and real), GET/POST /api/v1/agent/upgrade per provisioner/UPGRADES.md, the node's image moved by
# `done`, its upgrade timeline, wrong tokens (401/403), reports nobody asked for (409), and bad
# input answered with a clear 4xx.
set -u
work=$(mktemp -d /tmp/ingot-upgrade-api.$$.XXXXXX)
source "$INGOT_SOURCE_DIR/tests/provisioner/rollout_lib.sh"

start_tiny_server
check "deploy n1" deploy_node n1 52:54:00:a1:00:01
check "deploy n2" deploy_node n2 52:54:00:a1:00:02
check "the plan pins the newest stored image" eq "$(jq -r .image <"$work/plan.n1")" tiny@1
check "the node's image is recorded" eq "$(node_field n1 .image)" tiny@1
check "node list shows the image" grep -qE '^n1 +configured +handoff +tiny +tiny0[1-9] +tiny@1 ' <<<"$("$ingot" node list)"
check "node show shows the image" has "$("$ingot" node show n1)" "image:      tiny@1"
build_upgrades

# Nothing assigned: 204, and a report is refused.
check "poll with nothing to do: 204" eq "$(poll n1)" 204
check "an unasked report: 409" eq "$(report n1 started tiny@2)" 409
check "the 409 says why" has "$(cat "$work/body")" "no upgrade assigned"

# Dry run: per node what changes, nothing assigned.
out=$("$ingot" node upgrade n1 --to 3 --dry-run)
check "dry run: a table row for n1" grep -qE '^n1 +tiny@1 +tiny@3 +2 +3 +1 +[0-9]+ +0 +[0-9]+ +yes \(/boot/vmlinuz\)' <<<"$out"
j=$("$ingot" node upgrade n1 --to tiny@2 --dry-run --json)
check "dry run json: 1 added (etc/added-in-2)" eq "$(jq -r '.nodes[0].plan.added' <<<"$j")" 1
check "dry run json: 1 removed" eq "$(jq -r '.nodes[0].plan.removed' <<<"$j")" 1
check "dry run json: no reboot for v2" eq "$(jq -r '.nodes[0].plan.reboot' <<<"$j")" false
objs=$(jq -r '.nodes[0].plan.objects' <<<"$j")
bytes=$(jq -r '.nodes[0].plan.bytes' <<<"$j")
# The objects new in v2 that v1 lacks, summed from the store's files: the same bytes.
want=0
for sha in $(jq -r '.entries[] | select(.type=="file") | .sha256' "$state/images/images/tiny/2/manifest.json" | sort -u); do
  jq -e --arg s "$sha" '[.entries[] | select(.sha256==$s)] | length == 0' "$state/images/images/tiny/1/manifest.json" >/dev/null || continue
  want=$((want + $(stat -c %s "$state/images/objects/${sha:0:2}/$sha.zst")))
done
check "dry run: bytes = stored sizes of the new objects ($bytes)" eq "$bytes" "$want"
check "dry run: objects counted ($objs)" test "$objs" -ge 2
check "dry run assigned nothing" eq "$(poll n1)" 204

# Bad input: a clear 4xx, nothing assigned.
bad() {  # bad STATUS BODY [NODE]: POST /nodes/NODE/upgrade answers STATUS
  [ "$(status_of POST "/api/v1/nodes/${3:-n1}/upgrade" "$INGOT_TOKEN" "$2")" = "$1" ] && jq -e .error "$work/body" >/dev/null
}
check "unknown version: 404" bad 404 '{"to":"9"}'
check "the 404 names the image" has "$(cat "$work/body")" "tiny@9"
check "to == the node's image: 400" bad 400 '{"to":"1"}'
check "another role's image: 400" bad 400 '{"to":"other@2"}'
check "no target: 400" bad 400 '{}'
check "a bad version string: 400" bad 400 '{"to":"../2"}'
check "to of the wrong type: 400" bad 400 '{"to":2}'
check "bad drift: 400" bad 400 '{"to":"2","drift":"maybe"}'
check "dry_run of the wrong type: 400" bad 400 '{"to":"2","dry_run":"yes"}'
check "unknown node: 404" bad 404 '{"to":"2"}' nobody
check "not JSON: 400" bad 400 '{"to":'
check "still nothing assigned" eq "$(poll n1)" 204
out=$("$ingot" node upgrade n1 --to 9 2>&1); rc=$?
check "the CLI exits 1 on a missing version" eq "$rc" 1
check "and says what is missing" has "$out" "no image tiny@9 in the store"

# Auth: operator routes want the admin token, agent routes a node token.
check "upgrade without a token: 401" eq "$(status_of POST /api/v1/nodes/n1/upgrade "" '{"to":"2"}')" 401
check "upgrade with a node token: 403" eq "$(status_of POST /api/v1/nodes/n1/upgrade "$(tok n1)" '{"to":"2"}')" 403
check "agent poll without a token: 401" eq "$(status_of GET /api/v1/agent/upgrade "")" 401
check "agent poll with a wrong token: 403" eq "$(status_of GET /api/v1/agent/upgrade "0123456789abcdef")" 403
check "agent report with the admin token: 403" eq "$(status_of POST /api/v1/agent/upgrade "$INGOT_TOKEN" '{"status":"done","to":"tiny@2"}')" 403
check "rollouts with a node token: 403" eq "$(status_of GET /api/v1/rollouts "$(tok n1)")" 403

# A real single-node upgrade, played by curl as the agent.
check "node upgrade" eq "$("$ingot" node upgrade n1 --to 2)" "n1: tiny@1 -> tiny@2 assigned"
check "poll: 200 with the target" eq "$(poll n1)" 200
check "poll: target tiny@2, no rollout, drift stop" eq "$(jq -c . "$work/body")" '{"drift":"stop","rollout":null,"target":"tiny@2"}'
check "n2 has nothing to do" eq "$(poll n2)" 204
check "a second upgrade of a busy node: 409" bad 409 '{"to":"3"}'
check "n2 reporting n1's upgrade: 409" eq "$(report n2 started tiny@2)" 409
check "a report for another target: 409" eq "$(report n1 started tiny@3)" 409
check "a report naming a rollout it is not in: 409" eq "$(report n1 started tiny@2 7)" 409
check "an unknown status: 400" eq "$(report n1 exploded tiny@2)" 400
check "a status of the wrong type: 400" eq "$(status_of POST /api/v1/agent/upgrade "$(tok n1)" '{"status":1,"to":"tiny@2"}')" 400
# 400 KB: through a file, as one argument that big is more than exec allows (curl's @file).
python3 -c 'import json; print(json.dumps({"status":"drift","from":"tiny@1","to":"tiny@2","rollout":None,"message":"m","data":{"count":3000,"paths":["/x"*2000]*100}}))' >"$work/big.json"
check "a drift report with huge data: 200" eq "$(status_of POST /api/v1/agent/upgrade "$(tok n1)" "@$work/big.json")" 200
check "its figures kept, its list dropped" eq "$(node_field n1 '.timeline[-1].data | "\(.count) \(.truncated) \(.paths)"')" "3000 true null"
for s in started drift staged switching switched; do
  check "report $s: 200" eq "$(report n1 $s tiny@2)" 200
done
check "still tiny@1 before done" eq "$(node_field n1 .image)" tiny@1
check "report done: 200 {}" eq "$(report n1 done tiny@2)/$(cat "$work/body")" "200/{}"
check "the node now runs tiny@2" eq "$(node_field n1 .image)" tiny@2
check "nothing more to do: 204" eq "$(poll n1)" 204
check "a late report: 409" eq "$(report n1 done tiny@2)" 409
timeline=$(node_field n1 '[.timeline[] | select(.phase=="upgrade") | .kind] | join(" ")')
check "the timeline has every step ($timeline)" eq "$timeline" "assigned drift started drift staged switching switched done"
check "node show prints the upgrade phase" grep -qE 'upgrade +done +done' <<<"$("$ingot" node show n1)"
check "n2 untouched" eq "$(node_field n2 .image)" tiny@1

# A failed upgrade leaves the image; a downgrade is the same operation.
"$ingot" node upgrade n2 --to 3 --drift overwrite >/dev/null
check "poll: drift overwrite" eq "$(poll n2; jq -r .drift <"$work/body")" "200overwrite"
check "report rolled_back" eq "$(report n2 rolled_back tiny@3)" 200
check "n2 still runs tiny@1" eq "$(node_field n2 .image)" tiny@1
# upgrade_waited NAME V STATUS: `ingot node upgrade NAME --to V --wait` in the background, the
# agent reporting STATUS once it is assigned; --wait's output in $work/wait.out, its status in $rc.
upgrade_waited() {
  "$ingot" node upgrade "$1" --to "$2" --wait --timeout 30 >"$work/wait.out" 2>&1 &
  wait_pid=$!
  check "$1 to $2 (--wait): assigned" wait_for 10 target_is "$1" "tiny@$2"
  report "$1" "$3" "tiny@$2" >/dev/null
  check "--wait returns on $3" wait_for 10 gone "$wait_pid"
  wait "$wait_pid"; rc=$?; wait_pid=
}
upgrade_waited n1 1 done
check "--wait: exit 0 on done" eq "$rc" 0
check "--wait printed the steps" grep -qE 'n1 +done +done' "$work/wait.out"
check "n1 runs tiny@1 again" eq "$(node_field n1 .image)" tiny@1
upgrade_waited n1 2 rolled_back
check "--wait: exit 1 when it did not happen" eq "$rc" 1

# A node that leaves its image (redeploy) has its open upgrade cancelled.
"$ingot" node upgrade n2 --to 2 >/dev/null
check "n2 assigned" target_is n2 tiny@2
"$ingot" node deploy n2 >/dev/null
check "redeploy: n2's upgrade is called off" eq "$(target_of n2)" none
check "redeploy: said on its timeline" has "$(node_field n2 '[.timeline[].message] | join("|")')" "cancelled: the node is being redeployed"

finish
