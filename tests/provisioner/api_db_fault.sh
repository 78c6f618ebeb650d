#!/bin/bash
# A match whose write fails, twice: (1) the server's state directory is a small tmpfs, filled up
# while a machine waits for its plan; (2) a trigger added to the live database (sqlite3 CLI)
# refuses the role reservation, halfway through the match, after the facts, the event and the
# move to inspecting were written. Each time the facts are answered 500 with the database's
# words, the node is exactly as it was (state, role, allocation, image, facts, timeline), the
# server answers everything else, and the same request succeeds once the fault is gone.
set -u
work=$(mktemp -d /tmp/ingot-api-dbfault.$$.XXXXXX)
source "$INGOT_SOURCE_DIR/tests/provisioner/api_lib.sh"
cleanup() {
  stop_server
  umount "$work/state" 2>/dev/null
  [ -n "${KEEP:-}" ] || rm -rf "$work"
}
trap cleanup EXIT

mkdir -p "$work/state"
mount -t tmpfs -o size=8m,mode=0700 ingot-dbfault "$work/state" || { echo "FAIL cannot mount a tmpfs (needs root)"; exit 1; }
start_server "$work/state" || exit 1
mac=52:54:00:db:00:01
"$ingot" node add fault-1 --mac "$mac" >/dev/null
"$ingot" node deploy fault-1 >/dev/null
tok=$(node_token "$mac")
check "the node waits in the ramdisk" eq "$(node_field fault-1 .state)" inspecting
snapshot() { node_field "${1:-fault-1}" '[.state, .role, (.allocation | tostring), (.image // "-"), (.facts | length), (.timeline | length)] | join("|")'; }
before=$(snapshot)

# Fill the file system the database lives on; the WAL has nowhere to grow.
dd if=/dev/zero of="$work/state/filler" bs=64k 2>/dev/null
check "the state directory is full" eq "$(df --output=avail -B1 "$work/state" | tail -n1 | tr -d ' ')" 0
code=$(status_of POST /api/v1/agent/facts "$tok" "$(facts_for "$mac" 'ApiTest Web')")
check "facts during the fault: 500" eq "$code" 500
check "the error names the cause" grep -qi "full" "$work/body"
check "the node is unchanged" eq "$(snapshot)" "$before"
check "reads still answer" eq "$(status_of GET /api/v1/nodes "$INGOT_TOKEN")" 200
check "no hostname is held" eq "$(node_field fault-1 '.allocation.hostname // "none"')" none

# Room again: the same request goes through.
rm -f "$work/state/filler"
plan=$(agent POST /api/v1/agent/facts "$tok" "$(facts_for "$mac" 'ApiTest Web')")
check "facts after the fault: a deploy plan" eq "$(jq -r .action <<<"$plan")" deploy
check "matched to web" eq "$(jq -r .role <<<"$plan")" web
check "the node is deploying" eq "$(node_field fault-1 .state)" deploying
check "it holds the first hostname" eq "$(node_field fault-1 .allocation.hostname)" web01
check "one match on its timeline" eq "$(node_field fault-1 '[.timeline[] | select(.data.to == "matched")] | length')" 1

# (2) A refusal in the middle of the match: the reservation insert fails.
mac2=52:54:00:db:00:02
"$ingot" node add fault-2 --mac "$mac2" >/dev/null
"$ingot" node deploy fault-2 >/dev/null
tok2=$(node_token "$mac2")
before=$(snapshot fault-2)
sqlite3 "$work/state/ingot.db" "CREATE TRIGGER ingot_test_fault BEFORE INSERT ON assignments BEGIN SELECT RAISE(ABORT, 'injected by the test'); END;"
check "a refused reservation: 500" eq "$(status_of POST /api/v1/agent/facts "$tok2" "$(facts_for "$mac2" 'ApiTest Web')")" 500
check "the error is the database's" grep -q "injected by the test" "$work/body"
check "fault-2 is unchanged (no facts, no event, not failed)" eq "$(snapshot fault-2)" "$before"
sqlite3 "$work/state/ingot.db" "DROP TRIGGER ingot_test_fault;"
plan=$(agent POST /api/v1/agent/facts "$tok2" "$(facts_for "$mac2" 'ApiTest Web')")
check "fault-2 after the fault: deploy as web02" eq "$(jq -r .action <<<"$plan")/$(node_field fault-2 .allocation.hostname)" deploy/web02
check "the server is still running" kill -0 "$srv_pid"
finish
