#!/bin/bash
# The real agent against the real server: `ingot-agent upgrade --once --root DIR` polls the
# rollout's target with its node token, upgrades a directory root and reports each step; the
# rollout moves on from those reports. v1 → v2 through a rollout (the root is exactly v2, the
# node's image and timeline follow); a drifted root with drift "stop" fails the canary and
# stops the rollout, the root untouched; v2 → v3 with a kernel change through `ingot node
# upgrade` (reboot pending, then `--recover` + the next poll report done).
set -u
work=$(mktemp -d /tmp/ingot-rollout-agent.$$.XXXXXX)
source "$INGOT_SOURCE_DIR/tests/provisioner/rollout_lib.sh"
agent_bin=${INGOT_AGENT_BIN:?}
root=$work/root

start_tiny_server
check "deploy n1" deploy_node n1 52:54:00:c1:00:01
lay_node_root n1 "$root" || exit 1
build_upgrades
upgrade_once() { "$agent_bin" upgrade --once --root "$root" --no-reboot >>"$work/agent.log" 2>&1; }
# same_as V: the root is exactly tiny@V outside the agent's own state and the handoff files.
same_as() {
  rm -rf "$work/fresh"
  "$agent_bin" install "tiny@$1" --server "$INGOT_URL" --target "$work/fresh" >/dev/null || return 1
  local out
  out=$(rsync -anciHO --delete --exclude=/var/lib/ingot --exclude=/etc/ingot "$work/fresh/" "$root/")
  [ -z "$out" ] || { echo "$out" | head; return 1; }
}

check "nothing to do: the agent exits 0" upgrade_once
check "the root is tiny@1" same_as 1

# A rollout to 2, followed by --wait, carried out by the real agent.
"$ingot" rollout start tiny --to 2 --wait --timeout 60 >"$work/wait.out" 2>&1 &
wait_pid=$!
check "the rollout assigns n1" wait_for 10 target_is n1 tiny@2
check "ingot-agent upgrade --once: exit 0" upgrade_once
check "the rollout is done" wait_for 10 rollout_is 1 done
check "--wait saw it" wait_for 10 gone "$wait_pid"
wait "$wait_pid"; rc=$?; wait_pid=
check "--wait exit status 0" eq "$rc" 0
check "the root is exactly tiny@2" same_as 2
check "the file removed in 2 is gone" test ! -e "$root/etc/removed-in-2"
check "the agent's ref says tiny@2" eq "$(cat "$root/var/lib/ingot/image/ref")" tiny@2
check "the server says n1 runs tiny@2" eq "$(node_field n1 .image)" tiny@2
steps=$(rollout_field 1 '[.events[] | select(.node=="n1") | .kind] | join(" ")')
check "the agent's steps are on the rollout ($steps)" grep -qE '^queued assigned started .*staged .*done$' <<<"$steps"
check "done carries the agent's figures" eq "$(rollout_field 1 '.events[] | select(.kind=="done" and .node=="n1") | .data.files > 0')" true
check "nothing more to do" eq "$(target_of n1)" none

# Drift + policy stop: the canary fails, the rollout stops, the root is not touched.
echo "edited by hand" >"$root/etc/motd"
before=$(cd "$root" && find . -path ./var/lib/ingot -prune -o -type f -print0 | sort -z | xargs -0 sha256sum)
"$ingot" rollout start tiny --to 3 >/dev/null
upgrade_once
check "drift reported to the rollout" eq "$(rollout_field 2 '[.events[] | select(.node=="n1") | .kind] | index("drift") != null')" true
check "drift names the path" has "$(rollout_field 2 '[.events[] | select(.kind=="drift") | .data.paths] | tostring')" "etc/motd"
check "the failed canary stops the rollout" eq "$(rollout_field 2 .state)" stopped
check "n1's upgrade failed" eq "$(node_status 2 n1)" failed
after=$(cd "$root" && find . -path ./var/lib/ingot -prune -o -type f -print0 | sort -z | xargs -0 sha256sum)
check "the root is untouched" eq "$before" "$after"
check "n1 still runs tiny@2" eq "$(node_field n1 .image)" tiny@2

# The same with drift overwrite, through `ingot node upgrade`: v3 changes the kernel.
echo "tiny 2" >"$root/etc/motd"
touch -h -d @1700000000 "$root/etc/motd"
check "node upgrade --drift overwrite" eq "$("$ingot" node upgrade n1 --to 3 --drift overwrite)" "n1: tiny@2 -> tiny@3 assigned"
upgrade_once
check "a kernel change: the node is told to reboot" eq "$(node_field n1 '[.timeline[] | select(.phase=="upgrade") | .kind] | last')" rebooting
check "not done before the reboot" eq "$(node_field n1 .image)" tiny@2
"$agent_bin" upgrade --recover --root "$root" >>"$work/agent.log" 2>&1
check "after the reboot, the next poll reports done" upgrade_once
check "the server says n1 runs tiny@3" eq "$(node_field n1 .image)" tiny@3
check "the root is exactly tiny@3" same_as 3

finish
