# Shared by the DHCP integration scripts: a server netns and a client netns joined by a veth
# pair on 198.18.0.0/15, an `ingot serve` started and stopped by PID, cleanup on any exit.
# Usage: source it, then dhcp_netns_setup SUBNET_OCTET; start_ingot ARGS...; stop_ingot.
set -euo pipefail
: "${INGOT_BIN:?INGOT_BIN must point at the ingot binary}"
NS_S=ingotdhcp$$s
NS_C=ingotdhcp$$c
WORK=$(mktemp -d /tmp/ingot-dhcp-test.XXXXXX)
INGOT_PID=
CLIENT_PIDS=()

cleanup() {
  local rc=$?
  [ -n "$INGOT_PID" ] && kill "$INGOT_PID" 2>/dev/null && wait "$INGOT_PID" 2>/dev/null
  for p in "${CLIENT_PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  ip netns del "$NS_S" 2>/dev/null || true
  ip netns del "$NS_C" 2>/dev/null || true
  if [ "$rc" -ne 0 ] && [ -f "$WORK/ingot.log" ]; then
    echo "--- ingot log ---"; cat "$WORK/ingot.log"
  fi
  rm -rf "$WORK"
  exit "$rc"
}
trap cleanup EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }

# dhcp_netns_setup N: server 198.18.N.1/24 on veth-s (netns $NS_S), client link veth-c in $NS_C.
dhcp_netns_setup() {
  SUBNET=198.18.$1
  ip netns add "$NS_S"
  ip netns add "$NS_C"
  ip -n "$NS_S" link set lo up
  ip -n "$NS_C" link set lo up
  ip -n "$NS_S" link add veth-s type veth peer name veth-c netns "$NS_C"
  ip -n "$NS_S" addr add "$SUBNET.1/24" dev veth-s
  ip -n "$NS_S" link set veth-s up
  ip -n "$NS_C" link set veth-c up
}

# start_ingot ARGS...: `ingot serve ARGS` in the server netns; waits for "ready".
start_ingot() {
  ip netns exec "$NS_S" "$INGOT_BIN" serve "$@" >>"$WORK/ingot.log" 2>&1 &
  INGOT_PID=$!
  for _ in $(seq 100); do
    grep -q "ready" "$WORK/ingot.log" 2>/dev/null && return 0
    kill -0 "$INGOT_PID" 2>/dev/null || fail "ingot serve exited: $(cat "$WORK/ingot.log")"
    sleep 0.05
  done
  fail "ingot serve did not get ready"
}

stop_ingot() {
  kill "$INGOT_PID"
  wait "$INGOT_PID" || true
  INGOT_PID=
  : >"$WORK/ingot.log.old"
  cat "$WORK/ingot.log" >>"$WORK/ingot.log.old"
  : >"$WORK/ingot.log"
}

in_client() { ip netns exec "$NS_C" "$@"; }
