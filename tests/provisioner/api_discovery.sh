#!/bin/bash
# Discovery on a hostile network: 1,000 random MACs ask for boot scripts. With discovery off
# (the default) no node is created and every answer is silence (404); with --discover
# --discover-cap 5 at most 5 are, and a discovered node that posts facts takes no role slot and
# no pool address until the operator deploys it.
set -u
work=$(mktemp -d /tmp/ingot-api-discovery.$$.XXXXXX)
source "$INGOT_SOURCE_DIR/tests/provisioner/api_lib.sh"

# ask_many N: N random MACs each ask for their boot script; prints how many got a ramdisk.
ask_many() {
  python3 - "$INGOT_URL" "$1" <<'PY'
import random, sys, urllib.request, urllib.error
url, n = sys.argv[1], int(sys.argv[2])
rng, booted = random.Random(1000), 0
for _ in range(n):
    mac = "-".join("%02x" % b for b in [0x52, 0x54, 0x00] + [rng.randrange(256) for _ in range(3)])
    try:
        with urllib.request.urlopen("%s/boot.ipxe?mac=%s&platform=pcbios" % (url, mac), timeout=10) as r:
            booted += b"ingot.token=" in r.read()
    except urllib.error.HTTPError:
        pass
print(booted)
PY
}
node_count() { status_of GET /api/v1/nodes "$INGOT_TOKEN" >/dev/null; jq length <"$work/body"; }

start_server "$work/off" || exit 1
check "discovery off: no machine gets a ramdisk" eq "$(ask_many 1000)" 0
check "discovery off: no node" eq "$(node_count)" 0
stop_server

unset INGOT_TOKEN  # a new state dir makes its own
serve_extra=(--discover --discover-cap 5)
start_server "$work/on" || exit 1
check "discovery on: 5 of 1,000 get a ramdisk" eq "$(ask_many 1000)" 5
eq_count() { [ "$(node_count)" = "$1" ]; }
check "discovery on: the enrolments are written" wait_for 5 eq_count 5
check "discovery on: exactly the cap" eq "$(node_count)" 5
name=$(jq -r '.[0].name' <"$work/body")
mac=$(jq -r '.[0].mac' <"$work/body")
tok=$(node_token "$mac")
plan=$(agent POST /api/v1/agent/facts "$tok" "$(facts_for "$mac" 'ApiTest Web')")
check "discovered: told to inspect and power off" eq "$(jq -r '.action + "/" + .after' <<<"$plan")" inspect/poweroff
check "discovered: no role, no hostname" eq "$(node_field "$name" '(.role) + "/" + (.allocation.hostname // "none")')" /none
check "discovered: its facts are kept" test "$(node_field "$name" '.facts | length')" -gt 0
# The operator approves it by deploying it: now it is matched, and gets the first hostname.
"$ingot" node deploy "$name" >/dev/null
tok=$(node_token "$mac")
plan=$(agent POST /api/v1/agent/facts "$tok" "$(facts_for "$mac" 'ApiTest Web')")
check "approved: a deploy plan" eq "$(jq -r .action <<<"$plan")" deploy
check "approved: web01" eq "$(node_field "$name" .allocation.hostname)" web01
finish
