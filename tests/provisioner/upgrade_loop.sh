#!/bin/bash
# `ingot-agent upgrade --once` (the loop's single poll) against `ingot serve`'s agent upgrade API
# (provisioner/UPGRADES.md): a node deployed through the real API flow (its token from PXE) and a
# directory root laid as the deploy lays it; `ingot node upgrade` assigns, the agent polls,
# upgrades and reports every step (the node's timeline shows them and its image moves on
# `done`); a kernel change reports `rebooting`, `--recover` after the "reboot" records `done`
# and the next poll delivers it; nothing assigned is a no-op; an unreachable server is a clear
# error for this poll (the loop tries again at the next one).
set -u
work=$(mktemp -d /tmp/ingot-upgrade-loop.$$.XXXXXX)
source "$INGOT_SOURCE_DIR/tests/provisioner/rollout_lib.sh"
A=${INGOT_AGENT_BIN:?}
export SOURCE_DATE_EPOCH=1700000000

start_tiny_server
check "deploy n1" deploy_node n1 52:54:00:a1:00:11
build_upgrades

root=$work/root
check "lay tiny@1 as the deploy does" lay_node_root n1 "$root"
printf '/etc/ingot/handoff.json\n/etc/ingot/node.token\n' >"$root/var/lib/ingot/node-config.list"
once() { "$A" upgrade --once --root "$root" --no-reboot >"$work/once.out" 2>&1; }
# exact V: the root is tiny@V (what the image has, the node's files aside; directory mtimes
# aside too: writing the node's files moved /etc's, and upgrade.sh checks them)
exact() {
  "$A" install "tiny@$1" --server "$INGOT_URL" --target "$work/fresh$1" >/dev/null 2>&1
  [ -z "$(rsync -anciHO --delete --exclude=/var/lib/ingot --exclude=/etc/ingot --exclude=/etc/hostname "$work/fresh$1/" "$root/")" ] &&
    [ "$(cat "$root/var/lib/ingot/image/ref")" = "tiny@$1" ]
}

check "nothing assigned: one poll is a no-op" once
check "still tiny@1" exact 1
check "node upgrade" eq "$("$ingot" node upgrade n1 --to 2)" "n1: tiny@1 -> tiny@2 assigned"
check "the agent polls, upgrades, reports" once
check "the root is exactly tiny@2" exact 2
check "the server records tiny@2" eq "$(node_field n1 .image)" tiny@2
timeline=$(node_field n1 '[.timeline[] | select(.phase=="upgrade") | .kind] | join(" ")')
check "the timeline has every step ($timeline)" eq "$timeline" "assigned started staged switching switched done"
check "nothing more to do" once

check "node upgrade to 3 (a kernel change)" eq "$("$ingot" node upgrade n1 --to 3)" "n1: tiny@2 -> tiny@3 assigned"
check "the agent upgrades and asks for a reboot" once
check "it reported rebooting" has "$(node_field n1 '[.timeline[] | select(.phase=="upgrade") | .kind] | join(" ")')" "switched rebooting"
check "not done before the reboot" eq "$(node_field n1 .image)" tiny@2
check "--recover after the reboot" "$A" upgrade --recover --root "$root"
check "the next poll delivers done" once
check "the server records tiny@3" eq "$(node_field n1 .image)" tiny@3
check "the root is exactly tiny@3" exact 3

check "downgrade to 2 assigned" eq "$("$ingot" node upgrade n1 --to 2)" "n1: tiny@3 -> tiny@2 assigned"
echo drifted >"$root/etc/motd"
check "drift with policy stop: the poll fails" bash -c "! \"\$0\" upgrade --once --root \"\$1\" --no-reboot" "$A" "$root"
check "drift reported, then failed" has "$(node_field n1 '[.timeline[] | select(.phase=="upgrade") | .kind] | join(" ")')" "drift failed"
check "still tiny@3 on the server" eq "$(node_field n1 .image)" tiny@3
check "the drifted file untouched" file_is "$root/etc/motd" drifted

# The service itself: --loop polls every --interval seconds; stopped by PID. The downgrade
# changes the kernel: the loop reports rebooting and then waits quietly (--no-reboot) until
# --recover has run; the next loop delivers done.
check "downgrade with drift overwrite assigned" eq "$("$ingot" node upgrade n1 --to 2 --drift overwrite)" "n1: tiny@3 -> tiny@2 assigned"
last_kind() { [ "$(node_field n1 '[.timeline[] | select(.phase=="upgrade") | .kind] | last')" = "$1" ]; }
"$A" upgrade --loop --interval 1 --root "$root" --no-reboot >"$work/loop.out" 2>&1 &
loop_pid=$!
check "the loop upgrades and reports rebooting" wait_for 60 last_kind rebooting
sleep 2
kill "$loop_pid"; wait "$loop_pid" 2>/dev/null
check "then waits for the reboot without polling again" eq "$(grep -c 'waits for its reboot' "$work/loop.out")" 1
check "--recover after the reboot" "$A" upgrade --recover --root "$root"
"$A" upgrade --loop --interval 1 --root "$root" --no-reboot >>"$work/loop.out" 2>&1 &
loop_pid=$!
check "the next loop delivers done (tiny@2 on the server)" wait_for 60 field_is n1 .image tiny@2
kill "$loop_pid"; wait "$loop_pid" 2>/dev/null
check "the drifted root is exactly tiny@2" exact 2
check "--interval 0 is refused" bash -c '"$0" upgrade --loop --interval 0 --root "$1" 2>&1 | grep -q "positive number"' "$A" "$root"

stop_server
check "an unreachable server: this poll fails" bash -c '! "$0" upgrade --once --root "$1" --no-reboot >"$2" 2>&1' "$A" "$root" "$work/once.out"
check "... with a clear message" has "$(cat "$work/once.out")" "cannot ask $INGOT_URL"
finish
