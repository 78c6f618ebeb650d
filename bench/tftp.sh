#!/usr/bin/env bash
# TFTP throughput on a 64 MiB file: ingot against tftpd-hpa, dnsmasq and atftpd, all on
# 127.0.0.1 inside a namespace made for this run, driven by bench/loadgen (one process, no
# client start-up in the figures). Lock-step at blksize 1468 against every peer; windowsize 16
# against atftpd, the only peer that implements RFC 7440 (the others ignore the option).
# Each figure is the median of $RUNS runs, servers interleaved so drift hits them alike.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/lib.sh"
source "$here/tftp_peers.sh"
bench_setup tftp
size=$((64 * 1024 * 1024))
head -c $size /dev/urandom >"$root/big.bin"
chmod 644 "$root/big.bin"

peers=(tftpd-hpa dnsmasq atftpd)
declare -A port
for s in ingot "${peers[@]}"; do start_tftp_server "$s" "port[$s]"; done

# measure SERVER OPTIONS... → MB/s of one 64 MiB transfer
measure() {
  local s=$1; shift
  local out
  out=$(in_ns "$LOADGEN" tftp --server "127.0.0.1:${port[$s]}" --file big.bin --expect-size $size --deadline 120 "$@") ||
    { echo "bench: $s failed: $out" >&2; echo 0; return; }
  sed -E 's/.*mbps=([0-9.]+).*/\1/' <<<"$out"
}

declare -A lock win
for s in ingot "${peers[@]}"; do lock[$s]=""; win[$s]=""; done
for ((i = 0; i < RUNS; i++)); do
  for s in ingot "${peers[@]}"; do
    lock[$s]+="$(measure "$s" --blksize 1468) "
    win[$s]+="$(measure "$s" --blksize 1468 --windowsize 16) "
  done
done
declare -A L W
for s in ingot "${peers[@]}"; do
  L[$s]=$(tr ' ' '\n' <<<"${lock[$s]}" | grep . | median)
  W[$s]=$(tr ' ' '\n' <<<"${win[$s]}" | grep . | median)
  echo "# $s: lock-step MB/s runs: ${lock[$s]}| windowsize 16 runs: ${win[$s]}"
done
best=tftpd-hpa
for s in "${peers[@]}"; do
  result "tftp 64MiB lock-step blksize 1468 MB/s" "${L[ingot]}" "$s" "${L[$s]}" 1.0 higher
  awk -v a="${L[$s]}" -v b="${L[$best]}" 'BEGIN{exit !(a > b)}' && best=$s
done
result "tftp 64MiB lock-step blksize 1468 MB/s vs best peer" "${L[ingot]}" "$best" "${L[$best]}" 1.0 higher
result "tftp 64MiB windowsize 16 blksize 1468 MB/s" "${W[ingot]}" atftpd "${W[atftpd]}" 1.0 higher
