#!/bin/bash
# Rollouts over real HTTP against `ingot serve` + SQLite, curl as the nodes' agents (their own
# tokens) and the `ingot` CLI as the operator: bad requests (4xx), the dry run, canary first and
# batch after batch (`rollout start --wait` following it to the end), a report from a node not
# in the rollout (409), a failed canary stopping it, max_failures, pause/resume, abort, kill -9
# of the server mid-rollout (the rollout carries on after the restart), and an agent that never
# reports counted as failed after --upgrade-timeout.
set -u
work=$(mktemp -d /tmp/ingot-rollout-flow.$$.XXXXXX)
source "$INGOT_SOURCE_DIR/tests/provisioner/rollout_lib.sh"

for bad_timeout in abc 0 -5 10s; do
  out=$(timeout 10 "$ingot" serve --roles "$api_roles" --state-dir "$work/bad-state" --listen 127.0.0.1 \
    --http-port "$(free_tcp_port)" --upgrade-timeout "$bad_timeout" 2>&1); rc=$?
  check "serve --upgrade-timeout $bad_timeout: refused" test "$rc" -ne 0 -a "$rc" -ne 124
  check "serve --upgrade-timeout $bad_timeout: says why" has "$out" "--upgrade-timeout: '$bad_timeout' is not a number of seconds > 0"
done
start_tiny_server
for i in 1 2 3 4; do check "deploy n$i" deploy_node n$i 52:54:00:b1:00:0$i; done
build_upgrades
start() { status_of POST /api/v1/rollouts "$INGOT_TOKEN" "$1"; }

# Bad requests: a clear 4xx, nothing created.
bad() { [ "$(start "$2")" = "$1" ] && jq -e .error "$work/body" >/dev/null; }
check "unknown role: 404" bad 404 '{"role":"nosuch","to":"2"}'
check "unknown version: 404" bad 404 '{"role":"tiny","to":"9"}'
check "from == to: 400" bad 400 '{"role":"tiny","to":"2","from":"2"}'
check "a role without nodes: 409" bad 409 '{"role":"spare","to":"2"}'
check "the 409 says so" has "$(cat "$work/body")" "has no nodes"
check "no role: 400" bad 400 '{"to":"2"}'
check "no target: 400" bad 400 '{"role":"tiny"}'
check "canary of the wrong type: 400" bad 400 '{"role":"tiny","to":"2","canary":"one"}'
check "batch 0: 400" bad 400 '{"role":"tiny","to":"2","batch":0}'
check "negative max_failures: 400" bad 400 '{"role":"tiny","to":"2","max_failures":-1}'
check "bad drift: 400" bad 400 '{"role":"tiny","to":"2","drift":"maybe"}'
check "a body that is not an object: 400" bad 400 '[1,2]'
check "no rollout was made" eq "$(status_of GET /api/v1/rollouts "$INGOT_TOKEN"; jq length <"$work/body")" 2000
out=$("$ingot" rollout start tiny --to 9 2>&1); rc=$?
check "the CLI exits 1 on a missing version" eq "$rc" 1
check "and names it" has "$out" "no image tiny@9"
check "unknown rollout: 404" eq "$(status_of GET /api/v1/rollouts/99 "$INGOT_TOKEN")" 404
check "a rollout id that is not a number: 404" eq "$(status_of GET /api/v1/rollouts/x1 "$INGOT_TOKEN")" 404

# n4 goes to tiny@3 alone first, so the rollouts below (from 1) leave it out.
"$ingot" node upgrade n4 --to 3 >/dev/null
report n4 done tiny@3 >/dev/null
check "n4 runs tiny@3" eq "$(node_field n4 .image)" tiny@3

# The dry run: one row per node that would take part, the skipped one named, nothing assigned.
out=$("$ingot" rollout start tiny --to 2 --from 1 --dry-run)
check "dry run: rows for n1 n2 n3" eq "$(grep -cE '^n[123] +tiny@1 +tiny@2 +1 +2 +1 ' <<<"$out")" 3
check "dry run: n4 skipped, with why" has "$out" "skipped n4: runs tiny@3, not tiny@1"
check "dry run: nothing assigned" eq "$(target_of n1)" none
check "dry run: no rollout made" eq "$(status_of GET /api/v1/rollouts "$INGOT_TOKEN"; jq length <"$work/body")" 2000

eq_cmd_json() { [ "$(poll "$1")" = 200 ] && [ "$(jq -c . "$work/body")" = '{"drift":"stop","rollout":1,"target":"tiny@2"}' ]; }
# Rollout 1: canary n1, then n2+n3 together; followed to the end by `--wait`.
"$ingot" rollout start tiny --to 2 --from 1 --canary 1 --batch 2 --wait --timeout 60 >"$work/wait.out" 2>&1 &
wait_pid=$!
check "rollout 1 created" wait_for 10 rollout_is 1 running
check "the canary n1 gets tiny@2 in rollout 1" eq_cmd_json n1
check "n2 waits for the canary" eq "$(target_of n2)" none
check "n3 waits for the canary" eq "$(target_of n3)" none
check "n2's report before its turn: 409" eq "$(report n2 started tiny@2 1)" 409
check "n4 (not in the rollout) reporting to it: 409" eq "$(report n4 started tiny@2 1)" 409
check "n1 naming no rollout: 409" eq "$(report n1 started tiny@2)" 409
check "n1 started" eq "$(report n1 started tiny@2 1)" 200
check "still only the canary" eq "$(target_of n2)" none
check "n1 done" eq "$(report n1 done tiny@2 1)" 200
check "batch 2: n2 assigned" target_is n2 tiny@2
check "batch 2: n3 assigned with it" target_is n3 tiny@2
check "show: n2 assigned, batch 1" eq "$(node_status 1 n2)/$(rollout_field 1 '.nodes[] | select(.node=="n2") | .batch')" assigned/1
report n2 done tiny@2 1 >/dev/null
check "one of the batch done: still running" eq "$(rollout_field 1 .state)" running
report n3 staged tiny@2 1 >/dev/null
check "show: n3 staged" eq "$(node_status 1 n3)" staged
report n3 done tiny@2 1 >/dev/null
check "rollout 1 done" eq "$(rollout_field 1 .state)" done
check "--wait ends with 0" wait_for 10 gone "$wait_pid"
wait "$wait_pid"; rc=$?; wait_pid=
check "--wait exit status 0" eq "$rc" 0
check "--wait printed the steps" grep -qE 'n1 +done +done' "$work/wait.out"
check "--wait printed the end" grep -qE 'rollout +done +rollout done' "$work/wait.out"
for n in n1 n2 n3; do check "$n runs tiny@2" eq "$(node_field $n .image)" tiny@2; done
check "n4 still tiny@3" eq "$(node_field n4 .image)" tiny@3
kinds=$(rollout_field 1 '[.events[] | .node + ":" + .kind] | join(" ")')
check "rollout events in order ($kinds)" eq "$kinds" ":created n1:queued n2:queued n3:queued n1:assigned n1:started n1:done n2:assigned n3:assigned n2:done n3:staged n3:done :done"
check "the node timeline has the rollout's steps" eq "$(node_field n1 '[.timeline[] | select(.phase=="upgrade") | .kind] | join(" ")')" "queued assigned started done"
show=$("$ingot" rollout show 1)
check "rollout show: the header" has "$show" "rollout 1: tiny 1 -> tiny@2  state done"
check "rollout show: a node row" grep -qE '^n3 +1 +tiny@1 +tiny@2 +done ' <<<"$show"
check "rollout show (list)" grep -qE '^1 +tiny +1 +tiny@2 +done +3/3 +0' <<<"$("$ingot" rollout show)"
check "rollout show --json" eq "$("$ingot" rollout show 1 --json | jq -r '.counts.done')" 3

# Rollout 2: the canary fails → stopped, the rest cancelled, no resume.
"$ingot" rollout start tiny --to 3 --from 2 >/dev/null
check "rollout 2: canary n1 assigned" target_is n1 tiny@3
report n1 started tiny@3 2 >/dev/null
report n1 failed tiny@3 2 >/dev/null
check "a failed canary stops the rollout" eq "$(rollout_field 2 .state)" stopped
check "the reason says canary" has "$(rollout_field 2 .reason)" "canary"
check "n2 cancelled" eq "$(node_status 2 n2)" cancelled
check "n3 cancelled" eq "$(node_status 2 n3)" cancelled
check "n2 gets nothing" eq "$(target_of n2)" none
check "n1 still on tiny@2" eq "$(node_field n1 .image)" tiny@2
out=$("$ingot" rollout resume 2 2>&1); rc=$?
check "resume of a stopped rollout exits 1" eq "$rc" 1
check "and says why" has "$out" "rollout 2: the rollout is stopped"

# Rollout 3: max_failures 1 — one failure goes on, the second stops it.
"$ingot" rollout start tiny --to 3 --from 2 --max-failures 1 >/dev/null
report n1 done tiny@3 3 >/dev/null
check "after the canary: n2" target_is n2 tiny@3
report n2 failed tiny@3 3 >/dev/null
check "one failure within max_failures: running" eq "$(rollout_field 3 .state)" running
check "and n3 goes next" target_is n3 tiny@3
report n3 rolled_back tiny@3 3 >/dev/null
check "the second failure stops it" eq "$(rollout_field 3 .state)" stopped
check "the reason names max_failures" has "$(rollout_field 3 .reason)" "more than max_failures 1"
check "n3 rolled back: still tiny@2" eq "$(node_field n3 .image)" tiny@2

# Rollout 4: pause and resume; then abort.
"$ingot" rollout start tiny --to 3 --from 2 >/dev/null
check "rollout 4: canary n2" target_is n2 tiny@3
check "pause" eq "$("$ingot" rollout pause 4)" "rollout 4: paused"
check "pause again: exits 1" bash -c "! '$ingot' rollout pause 4 2>/dev/null"
report n2 done tiny@3 4 >/dev/null
check "paused: n2's report accepted, n3 not started" eq "$(target_of n3)/$(node_status 4 n3)" none/pending
check "resume" eq "$("$ingot" rollout resume 4)" "rollout 4: running"
check "resumed: n3 starts" target_is n3 tiny@3
check "abort" eq "$("$ingot" rollout abort 4)" "rollout 4: aborted"
check "aborted: n3, which had not begun, is cancelled" eq "$(node_status 4 n3)" cancelled
check "and gets nothing" eq "$(target_of n3)" none
check "its late report: 409" eq "$(report n3 started tiny@3 4)" 409
check "an unknown action: 404" eq "$(status_of POST /api/v1/rollouts/4/explode "$INGOT_TOKEN")" 404
check "rollout actions need the admin token" eq "$(status_of POST /api/v1/rollouts/4/pause "$(tok n1)")" 403

# Rollout 5: downgrade to 1, canary then a batch of 3; kill -9 of the server in the middle.
"$ingot" rollout start tiny --to 1 --batch 3 >/dev/null
check "rollout 5: n1 (canary) assigned" target_is n1 tiny@1
report n1 started tiny@1 5 >/dev/null
stop_server KILL
start_server "$state" || exit 1
check "after kill -9: rollout 5 still running" eq "$(rollout_field 5 .state)" running
check "n1's assignment survived" target_is n1 tiny@1
check "n1's last step survived" eq "$(node_status 5 n1)" started
check "the others still wait" eq "$(target_of n2)" none
report n1 done tiny@1 5 >/dev/null
for n in n2 n3 n4; do check "the batch after the restart: $n" target_is $n tiny@1; done
report n4 started tiny@1 5 >/dev/null
"$ingot" rollout abort 5 >/dev/null
check "abort: the started n4 carries on" eq "$(node_status 5 n4)" started
check "abort: n2 cancelled" eq "$(node_status 5 n2)" cancelled
report n4 done tiny@1 5 >/dev/null
check "n4's report after the abort is recorded" eq "$(node_field n4 .image)" tiny@1
check "rollout 5 stays aborted" eq "$(rollout_field 5 .state)" aborted

# An agent that never reports: failed after --upgrade-timeout, which stops on the canary.
stop_server
serve_extra=(--upgrade-timeout 2)
start_server "$state" || exit 1
id=$("$ingot" rollout start tiny --to 2 --from 1 --json | jq -r .id)
check "rollout $id: a silent canary times out" wait_for 15 rollout_is "$id" stopped
check "it counts as failed (timed_out)" eq "$(rollout_field "$id" '.nodes[0].status')" timed_out
check "the timeline says why" has "$(rollout_field "$id" '[.events[].message] | join("|")')" "no report from the agent for 2 s"
"$ingot" node upgrade n4 --to 3 >/dev/null
check "a single upgrade times out too" wait_for 15 field_has n4 '[.timeline[] | select(.phase=="upgrade") | .kind] | join(" ")' timed_out
check "and frees the node" eq "$(target_of n4)" none

finish
