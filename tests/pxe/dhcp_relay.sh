#!/bin/bash
# The relay path on loopback, as the boot-storm bench drives it: `ingot serve --dhcp full
# --listen 127.0.0.1 --dhcp-port P`, a relay agent on 127.0.0.2:P sends DISCOVER and REQUEST
# with giaddr 127.0.0.2 and gets unicast OFFER and ACK back. Runs on the loopback of its own
# netns so the port cannot collide with anything on the host.
source "$(dirname "$0")/dhcp_test_lib.sh"
PROBE=${1:?usage: dhcp_relay.sh PATH_TO_dhcp_probe}
ip netns add "$NS_S"
ip -n "$NS_S" link set lo up
P=1067
start_ingot --dhcp full --listen 127.0.0.1 --dhcp-port $P --dhcp-range 127.0.1.1-127.0.1.50 \
  --dhcp-netmask 255.0.0.0 --state-dir "$WORK/state" --http-port 0
relay() { ip netns exec "$NS_S" "$PROBE" --bind 127.0.0.2:$P --to 127.0.0.1:$P --giaddr 127.0.0.2 "$@"; }
expect() { grep -qx "$1" <<<"$2" || fail "expected '$1' in: $2"; }

out=$(relay --type discover --mac 02:00:00:00:7f:01) || fail "relayed DISCOVER: $out"
expect "type=OFFER" "$out"
expect "yiaddr=127.0.1.1" "$out"
expect "giaddr=127.0.0.2" "$out"
out=$(relay --type request --mac 02:00:00:00:7f:01 --server-id 127.0.0.1 --requested 127.0.1.1) ||
  fail "relayed REQUEST: $out"
expect "type=ACK" "$out"
expect "yiaddr=127.0.1.1" "$out"
out=$(relay --type request --mac 02:00:00:00:7f:02 --server-id 127.0.0.1 --requested 127.0.1.1) ||
  fail "REQUEST for another's address: $out"
expect "type=NAK" "$out"
echo "PASS: relayed OFFER/ACK/NAK over loopback on port $P"
