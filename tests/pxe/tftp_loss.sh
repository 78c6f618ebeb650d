#!/usr/bin/env bash
# TFTP survives loss: inside a network namespace made for this run, nftables drops 2% of UDP
# packets (both directions: every loopback packet crosses the input hook once, and a drop
# there is silent to the sender, as on a wire); atftp fetches
# a 1 MiB file intact within a minute, lock-step and with windowsize 8.
set -euo pipefail
: "${INGOT_BIN:?set INGOT_BIN to the built ingot (ctest does)}"
source "$(dirname "$0")/tftp_test_lib.sh"
ns="ingot-tftp-loss-$$"
work=$(mktemp -d /tmp/ingot-tftp-loss.XXXXXX)
pid=
cleanup() {
  [[ -n $pid ]] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
  ip netns del "$ns" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
ip netns add "$ns"
ip -n "$ns" link set lo up
ip netns exec "$ns" nft -f - <<NFT
table inet lossy {
  chain in {
    type filter hook input priority 0; policy accept;
    # The client's ACK of the OACK (opcode 4, block 0) always passes: when it is lost the
    # server rightly sends the OACK again, and atftp answers a second OACK with an error and
    # gives up — a client quirk, not what this test measures (about 2% of runs failed on it).
    udp length >= 12 @th,64,32 0x00040000 accept
    meta l4proto udp numgen random mod 100 < 2 counter drop
  }
}
NFT
mkdir -p "$work/root"
head -c $((1024 * 1024)) /dev/urandom >"$work/root/m.bin"
start_ingot_tftp "$work/root" "$work/log" ip netns exec "$ns"
failures=0
fetch() {  # fetch NAME ATFTP-OPTIONS...
  local name=$1 start end; shift
  rm -f "$work/out"
  start=$(date +%s.%N)
  # atftp's own retransmission is 5 s by default; a short one keeps a lost ACK cheap too.
  timeout 60 ip netns exec "$ns" atftp --tftp-timeout 1 "$@" -g -r m.bin -l "$work/out" 127.0.0.1 "$port" >/dev/null 2>&1 || true
  end=$(date +%s.%N)
  if cmp -s "$work/out" "$work/root/m.bin"; then
    echo "ok: $name intact in $(awk -v a="$start" -v b="$end" 'BEGIN{printf "%.1f", b-a}') s"
  else
    echo "FAIL: $name: file missing or different after $(awk -v a="$start" -v b="$end" 'BEGIN{printf "%.1f", b-a}') s"
    failures=$((failures + 1))
  fi
}
fetch "lock-step blksize 1468" --option "blksize 1468"
fetch "windowsize 8 blksize 1468" --option "blksize 1468" --option "windowsize 8"
fetch "lock-step blksize 512"
dropped=$(ip netns exec "$ns" nft list chain inet lossy in | grep -o 'packets [0-9]*' | awk '{print $2}')
echo "nftables dropped $dropped packets; server retransmissions:"
grep -o "[0-9]* retransmissions" "$work/log" || true
((dropped > 0)) || { echo "FAIL: the loss rule dropped nothing: the test proved nothing"; failures=$((failures + 1)); }
((failures == 0)) || { cat "$work/log"; exit 1; }
