#!/bin/bash
# Acceptance 2: busybox udhcpc in a network namespace gets a lease from `ingot serve --dhcp
# full`, and the same MAC gets the same address after ingot restarts (the lease file is read
# back, not "first free again": another MAC takes the first address beforehand).
source "$(dirname "$0")/dhcp_test_lib.sh"
dhcp_netns_setup 50

cat >"$WORK/udhcpc.sh" <<SCRIPT
#!/bin/sh
[ "\$1" = bound ] || exit 0
printf 'ip=%s\nsubnet=%s\nrouter=%s\ndns=%s\nserverid=%s\nlease=%s\n' "\$ip" "\$subnet" "\$router" "\$dns" "\$serverid" "\$lease" >"$WORK/lease-\$(cat /sys/class/net/\$interface/address)"
SCRIPT
chmod +x "$WORK/udhcpc.sh"

INGOT_ARGS=(--dhcp full --interface veth-s --listen "$SUBNET.1" --dhcp-range "$SUBNET.100-$SUBNET.120"
  --dhcp-router "$SUBNET.1" --dhcp-dns "$SUBNET.53" --dhcp-lease-seconds 600 --state-dir "$WORK/state"
  --http-port 0)

get_lease() {  # MAC → prints the address udhcpc was given
  in_client ip link set veth-c down
  in_client ip link set veth-c address "$1"
  in_client ip link set veth-c up
  rm -f "$WORK/lease-$1"
  in_client busybox udhcpc -i veth-c -f -n -q -t 5 -T 1 -s "$WORK/udhcpc.sh" >>"$WORK/udhcpc.log" 2>&1 ||
    fail "udhcpc got no lease for $1: $(cat "$WORK/udhcpc.log")"
  [ -f "$WORK/lease-$1" ] || fail "udhcpc bound without calling its script"
  sed -n 's/^ip=//p' "$WORK/lease-$1"
}

start_ingot "${INGOT_ARGS[@]}"
first=$(get_lease 02:00:00:00:50:01)
ours=$(get_lease 02:00:00:00:50:0a)
[ "$first" = "$SUBNET.100" ] || fail "first client got $first, expected $SUBNET.100"
[ "$ours" = "$SUBNET.101" ] || fail "second client got $ours, expected $SUBNET.101"
grep -qx "subnet=255.255.255.0" "$WORK/lease-02:00:00:00:50:0a" || fail "bad subnet"
grep -qx "router=$SUBNET.1" "$WORK/lease-02:00:00:00:50:0a" || fail "bad router"
grep -qx "dns=$SUBNET.53" "$WORK/lease-02:00:00:00:50:0a" || fail "bad dns"
grep -qx "serverid=$SUBNET.1" "$WORK/lease-02:00:00:00:50:0a" || fail "bad server id"
grep -qx "lease=600" "$WORK/lease-02:00:00:00:50:0a" || fail "bad lease time"
grep -q "02:00:00:00:50:0a .*ack $SUBNET.101" "$WORK/ingot.log" || fail "log does not say what the client got"
grep -q '"02:00:00:00:50:0a"' "$WORK/state/dhcp-leases.json" || fail "lease not persisted"

stop_ingot
start_ingot "${INGOT_ARGS[@]}"
again=$(get_lease 02:00:00:00:50:0a)
[ "$again" = "$ours" ] || fail "after restart 02:00:00:00:50:0a got $again, had $ours"
new=$(get_lease 02:00:00:00:50:0b)
[ "$new" = "$SUBNET.102" ] || fail "a new MAC got $new, expected $SUBNET.102 (.100/.101 are leased)"

# Renewal (RENEWING state, RFC 2131 §4.4.5): udhcpc configures its address and, told to renew
# (SIGUSR1), unicasts a REQUEST from it; the ACK must come back unicast to that address.
cat >"$WORK/renew.sh" <<SCRIPT
#!/bin/sh
case "\$1" in
  bound|renew)
    ip addr flush dev "\$interface"
    ip addr add "\$ip/\$mask" dev "\$interface"
    echo "\$1 \$ip" >>"$WORK/renew-events" ;;
esac
SCRIPT
chmod +x "$WORK/renew.sh"
stop_ingot
start_ingot "${INGOT_ARGS[@]}"
in_client ip link set veth-c down
in_client ip link set veth-c address 02:00:00:00:50:0a
in_client ip link set veth-c up
# Not through in_client: a backgrounded function is a subshell, and $! must be udhcpc itself.
ip netns exec "$NS_C" busybox udhcpc -i veth-c -f -t 5 -T 1 -s "$WORK/renew.sh" >>"$WORK/udhcpc.log" 2>&1 &
CLIENT_PIDS+=($!)
for _ in $(seq 200); do grep -q "^bound" "$WORK/renew-events" 2>/dev/null && break; sleep 0.05; done
kill -USR1 "${CLIENT_PIDS[-1]}"  # busybox udhcpc: renew now (unicast), rather than at T1
for _ in $(seq 200); do grep -q "^renew" "$WORK/renew-events" 2>/dev/null && break; sleep 0.05; done
grep -qx "renew $ours" "$WORK/renew-events" || fail "no renewal of $ours: $(cat "$WORK/renew-events" 2>&1)"
grep -q "02:00:00:00:50:0a .*REQUEST: ack $ours → $ours:68" "$WORK/ingot.log" ||
  fail "the renewal ACK was not unicast to $ours"
echo "PASS: udhcpc leases $first, $ours; $ours again after restart; renewed by unicast"
