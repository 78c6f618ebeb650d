# Network for the e2e harness (sourced by lib/e2e.sh). One namespace per run, named after the
# run's PID, holding a bridge (br0, 198.18.0.1/24: the server's address) that tap devices (one per
# QEMU machine) and veth links to extra "hosts" (their own namespaces, e.g. another DHCP server)
# plug into. Addresses come from 198.18.0.0/15 (RFC 2544 benchmarking range), never anything else.

E2E_NS_PREFIX=ingot-e2e
E2E_SERVER_IP=198.18.0.1
E2E_PREFIXLEN=24
declare -ga E2E_NETNS=()  # namespaces this run created, deleted by e2e_net_down

# Namespaces left by runs that were killed before their trap ran (SIGKILL, power loss): their
# name carries the PID of a process that no longer exists.
_e2e_sweep_stale_netns() {
  local ns pid
  for ns in $(ip netns list | awk '{print $1}'); do
    [[ $ns =~ ^${E2E_NS_PREFIX}-([0-9]+)(-|$) ]] || continue
    pid=${BASH_REMATCH[1]}
    kill -0 "$pid" 2>/dev/null || ip netns del "$ns" 2>/dev/null || true
  done
}

# Creates $E2E_NS with lo and br0 up. IPv6 DAD is off so the bridge's link-local address (needed
# to send router advertisements) is usable at once.
e2e_net_up() {
  _e2e_sweep_stale_netns
  ip netns add "$E2E_NS"
  E2E_NETNS+=("$E2E_NS")
  ip netns exec "$E2E_NS" sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0
  ip -n "$E2E_NS" link set lo up
  ip -n "$E2E_NS" link add br0 type bridge forward_delay 0 stp_state 0
  ip -n "$E2E_NS" addr add "$E2E_SERVER_IP/$E2E_PREFIXLEN" dev br0
  ip -n "$E2E_NS" link set br0 up
}

# e2e_tap_add TAP: a tap device on the bridge for one QEMU machine.
e2e_tap_add() {
  ip -n "$E2E_NS" tuntap add dev "$1" mode tap
  ip -n "$E2E_NS" link set "$1" master br0
  ip -n "$E2E_NS" link set "$1" up
}

# e2e_host_add NAME ADDR: another host on the test LAN, in its own namespace ($E2E_NS-NAME, printed
# as E2E_HOST_NS[NAME]) with eth0 = ADDR/24, linked to the bridge by a veth pair.
declare -gA E2E_HOST_NS=()
e2e_host_add() {
  local name=$1 addr=$2 ns=$E2E_NS-$1
  ip netns add "$ns"
  E2E_NETNS+=("$ns")
  E2E_HOST_NS[$name]=$ns
  ip -n "$E2E_NS" link add "vh-$name" type veth peer name eth0 netns "$ns"
  ip -n "$E2E_NS" link set "vh-$name" master br0
  ip -n "$E2E_NS" link set "vh-$name" up
  ip -n "$ns" link set lo up
  ip -n "$ns" addr add "$addr/$E2E_PREFIXLEN" dev eth0
  ip -n "$ns" link set eth0 up
}

# Deleting a namespace deletes its bridge, taps and veths with it.
e2e_net_down() {
  local ns
  for ns in "${E2E_NETNS[@]}"; do ip netns del "$ns" 2>/dev/null || true; done
  E2E_NETNS=()
}

# iPXE waits ~16 s for an IPv6 router advertisement when nobody answers its router solicitation:
# answer on br0 with an empty RA (router lifetime 0: "no default router here").
e2e_ra_responder() {
  e2e_spawn ra -- python3 "$E2E_LIB/ra_responder.py" br0
  e2e_wait_log ra 'listening' 10 || e2e_die "the router-advertisement responder did not start"
}
