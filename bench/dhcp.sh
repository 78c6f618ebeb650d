#!/usr/bin/env bash
# DHCP transaction rate: N clients through one relay agent (DISCOVER → OFFER → REQUEST → ACK),
# ingot's full DHCP against dnsmasq, same range, both persisting leases. Each server runs alone
# in a test namespace (198.18.64.1/20) and the relay in another (198.18.64.2), joined by a veth
# pair; port 1067 (the relay must own the server port at its own address, which dnsmasq's
# wildcard socket would not share on one loopback).
# The load comes from one process of ours (tests/pxe/dhcp_load.cpp), not from N client processes.
#   bench/dhcp.sh [CLIENTS] [CONCURRENCY]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/lib.sh"
build=${INGOT_BUILD_DIR:-$here/../build/ci}
ingot=$build/provisioner/ingot
load=$build/tests/dhcp_load
[[ -x $ingot && -x $load ]] || { echo "bench/dhcp.sh: build ingot and dhcp_load first" >&2; exit 2; }
clients=${1:-2000} concurrency=${2:-64} port=1067
work=$(mktemp -d) ns=ingotbenchdhcp$$ pid=
cleanup() {
  [[ -n $pid ]] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
  ip netns del "$ns" 2>/dev/null || true
  ip netns del "${ns}r" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

fresh_ns() {
  ip netns del "$ns" 2>/dev/null || true
  ip netns del "${ns}r" 2>/dev/null || true
  ip netns add "$ns"
  ip netns add "${ns}r"
  ip -n "$ns" link add veth-s type veth peer name veth-r netns "${ns}r"
  ip -n "$ns" addr add 198.18.64.1/20 dev veth-s
  ip -n "${ns}r" addr add 198.18.64.2/20 dev veth-r
  ip -n "$ns" link set veth-s up
  ip -n "${ns}r" link set veth-r up
}

# run_load LOG: starts the load once the server logs it is up; prints the load's result line.
run_load() {
  for _ in $(seq 100); do grep -q "$2" "$1" && break; sleep 0.05; done
  ip netns exec "${ns}r" "$load" --relay 198.18.64.2:$port --server 198.18.64.1:$port \
    --clients "$clients" --concurrency "$concurrency" --deadline-s 120 || true
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=
}

field() { sed -n "s/.*$1=\([0-9.]*\).*/\1/p" <<<"$2"; }

fresh_ns
ip netns exec "$ns" "$ingot" serve --dhcp full --listen 198.18.64.1 --dhcp-port $port --http-port 0 \
  --dhcp-range 198.18.65.1-198.18.79.250 --state-dir "$work/ingot" --log-level warn \
  >"$work/ingot.log" 2>&1 &
pid=$!
ingot_line=$(run_load "$work/ingot.log" "")
echo "ingot:   $ingot_line"

fresh_ns
ip netns exec "$ns" dnsmasq --keep-in-foreground --conf-file=/dev/null --port=0 --user=root --interface=veth-s \
  --dhcp-alternate-port=$port,$((port + 1)) --dhcp-range=198.18.65.1,198.18.79.250,255.255.240.0,1h --no-ping \
  --dhcp-lease-max=100000 --dhcp-leasefile="$work/dnsmasq.leases" --log-facility="$work/dnsmasq.log" \
  >"$work/dnsmasq.out" 2>&1 &
pid=$!
sleep 0.5
dnsmasq_line=$(run_load "$work/dnsmasq.out" "")
echo "dnsmasq: $dnsmasq_line"

result "dhcp_relay_dora_per_s (c=$concurrency, $clients clients)" "$(field rate "$ingot_line")" dnsmasq \
  "$(field rate "$dnsmasq_line")" 1.0 higher
result "dhcp_relay_lost_clients" "$(field lost "$ingot_line")" dnsmasq "$(field lost "$dnsmasq_line")" 1.0 lower
