#!/usr/bin/env bash
# Boot storm, ingot against its peers, all on 127.0.0.1 inside a namespace made for this run,
# driven by bench/loadgen (one process):
#  1. TFTP storm: 50 clients fetch a 512 KiB boot file at once (lock-step, blksize 1468),
#     against tftpd-hpa, dnsmasq and atftpd.
#  2. Full storm: 200 PXE clients behind a DHCP relay agent (giaddr 127.0.0.2, so the server
#     answers unicast to the relay over loopback) do DISCOVER/OFFER/REQUEST/ACK, then fetch
#     the 512 KiB file over TFTP, 50 transfers at a time; ingot (--dhcp full + TFTP, one
#     process) against dnsmasq (DHCP + TFTP, one process). Server RSS is VmHWM at the end.
# Each figure is the median of $RUNS runs, servers interleaved.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/lib.sh"
source "$here/tftp_peers.sh"
bench_setup storm
CLIENTS=${CLIENTS:-200}
size=$((512 * 1024))
head -c $size /dev/urandom >"$root/storm.bin"
chmod 644 "$root/storm.bin"
field() { sed -nE "s/.*$1=([0-9.]+).*/\\1/p" <<<"$2"; }

# --- 1. TFTP storm: 50 x 512 KiB ---------------------------------------------------------
peers=(tftpd-hpa dnsmasq atftpd)
declare -A port tstorm
for s in ingot "${peers[@]}"; do start_tftp_server "$s" "port[$s]"; tstorm[$s]=""; done
for ((i = 0; i < RUNS; i++)); do
  for s in ingot "${peers[@]}"; do
    out=$(in_ns "$LOADGEN" tftp --server "127.0.0.1:${port[$s]}" --file storm.bin --blksize 1468 --total 50 \
      --concurrent 50 --expect-size $size --deadline 60) || echo "bench: $s lost clients: $out" >&2
    ok=$(field ok "$out")
    [[ ${ok:-0} == 50 ]] && tstorm[$s]+="$(field seconds "$out") " || tstorm[$s]+="999 "
  done
done
stop_servers
declare -A T
for s in ingot "${peers[@]}"; do
  T[$s]=$(tr ' ' '\n' <<<"${tstorm[$s]}" | grep . | median)
  echo "# tftp storm $s seconds runs: ${tstorm[$s]}"
done

# --- 2. Full storm: DHCP via relay, then TFTP ---------------------------------------------
storm_once() {  # storm_once ingot|dnsmasq → "seconds dhcp_ok tftp_ok rss_kb"
  local s=$1 pid tport out rss
  rm -rf "$work/state" "$work/leases" && mkdir -p "$work/state"
  if [[ $s == ingot ]]; then
    ip netns exec "$ns" "$INGOT_BIN" serve --listen 127.0.0.1 --dhcp full --dhcp-port 67 \
      --dhcp-range 127.0.1.1-127.0.1.250 --dhcp-netmask 255.0.0.0 --state-dir "$work/state" \
      --tftp-root "$root" --tftp-port 0 --http-port 0 >"$work/storm-ingot.log" 2>&1 &
    pid=$!
    for _ in $(seq 400); do
      tport=$(sed -n 's/.*tftp: listening on 127.0.0.1:\([0-9]*\).*/\1/p' "$work/storm-ingot.log")
      [[ -n $tport ]] && break
      sleep 0.05
    done
  else
    # --no-ping: every 127/8 address answers ICMP, so dnsmasq's conflict check would refuse all.
    ip netns exec "$ns" dnsmasq --keep-in-foreground --port=0 --conf-file=/dev/null --bind-interfaces --interface=lo \
      --no-ping --dhcp-range=127.0.1.1,127.0.1.250,255.0.0.0,1h --dhcp-leasefile="$work/leases" \
      --enable-tftp --tftp-root="$root" --tftp-max=1000 --quiet-tftp --quiet-dhcp \
      --log-facility="$work/storm-dnsmasq.log" --user=root &
    pid=$!
    tport=69
  fi
  if ! wait_udp_port 67 || ! wait_udp_port "${tport:-0}"; then
    kill "$pid"; wait "$pid" 2>/dev/null || true
    echo "999 0 0 0"
    return
  fi
  out=$(in_ns "$LOADGEN" storm --dhcp 127.0.0.1:67 --relay 127.0.0.2:67 --server "127.0.0.1:$tport" --file storm.bin \
    --clients "$CLIENTS" --concurrent 50 --blksize 1468 --expect-size $size --deadline 60 2>&1) || true
  rss=$(awk '/VmHWM/{print $2}' "/proc/$pid/status")
  kill "$pid"; wait "$pid" 2>/dev/null || true
  echo "$(field seconds "$(grep -o ' seconds=[0-9.]*' <<<"$out")") $(field dhcp_ok "$out") $(field tftp_ok "$out") $rss"
}
declare -A S OKS RSS
for s in ingot dnsmasq; do S[$s]=""; OKS[$s]=$CLIENTS; RSS[$s]=0; done
for ((i = 0; i < RUNS; i++)); do
  for s in ingot dnsmasq; do
    read -r secs dok tok rss < <(storm_once "$s")
    echo "# full storm $s run $i: ${secs}s dhcp_ok=$dok tftp_ok=$tok VmHWM=${rss}kB"
    S[$s]+="$secs "
    ((tok < OKS[$s])) && OKS[$s]=$tok
    ((rss > RSS[$s])) && RSS[$s]=$rss
  done
done
declare -A M
for s in ingot dnsmasq; do M[$s]=$(tr ' ' '\n' <<<"${S[$s]}" | grep . | median); done

for s in "${peers[@]}"; do
  result "storm tftp 50x512KiB seconds" "${T[ingot]}" "$s" "${T[$s]}" 1.0 lower
done
result "storm ${CLIENTS} clients dhcp+tftp 512KiB seconds" "${M[ingot]}" dnsmasq "${M[dnsmasq]}" 1.0 lower
result "storm clients served, worst run (of ${CLIENTS})" "${OKS[ingot]}" dnsmasq "${OKS[dnsmasq]}" 1.0 higher
result "storm server RSS MB (VmHWM) vs 64 MB budget" "$(awk -v k="${RSS[ingot]}" 'BEGIN{printf "%.1f", k/1024}')" \
  budget 64 1.0 lower
echo "# dnsmasq VmHWM $(awk -v k="${RSS[dnsmasq]}" 'BEGIN{printf "%.1f", k/1024}') MB"
