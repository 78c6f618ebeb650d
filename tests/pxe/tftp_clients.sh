#!/usr/bin/env bash
# Real TFTP clients fetch a 64 MiB file byte-identical from `ingot serve` on 127.0.0.1:
# curl (default and --tftp-blksize 1468), atftp (blksize + windowsize) and tftp-hpa; and
# a traversal request and a write request through real clients fail.
set -euo pipefail
: "${INGOT_BIN:?set INGOT_BIN to the built ingot (ctest does)}"
source "$(dirname "$0")/tftp_test_lib.sh"
work=$(mktemp -d /tmp/ingot-tftp-clients.XXXXXX)
pid=
cleanup() {
  [[ -n $pid ]] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
mkdir -p "$work/root"
head -c $((64 * 1024 * 1024)) /dev/urandom >"$work/root/big.bin"
start_ingot_tftp "$work/root" "$work/log"

failures=0
check() {  # check NAME FILE
  if cmp -s "$2" "$work/root/big.bin"; then
    echo "ok: $1"
  else
    echo "FAIL: $1: $2 differs from the served file"
    failures=$((failures + 1))
  fi
  rm -f "$2"
}
cd "$work"
timeout 60 curl -sS --max-time 60 -o c1 "tftp://127.0.0.1:$port/big.bin" || true
check "curl" c1
timeout 60 curl -sS --max-time 60 --tftp-blksize 1468 -o c2 "tftp://127.0.0.1:$port/big.bin" || true
check "curl --tftp-blksize 1468" c2
timeout 60 atftp --option "blksize 1468" --option "windowsize 16" -g -r big.bin -l a1 127.0.0.1 "$port" >/dev/null || true
check "atftp blksize 1468 windowsize 16" a1
timeout 60 atftp --option "blksize 8192" --option "windowsize 4" --option "tsize 0" -g -r big.bin -l a2 127.0.0.1 "$port" >/dev/null || true
check "atftp blksize 8192 windowsize 4 tsize" a2
timeout 60 tftp -m binary 127.0.0.1 "$port" -c get big.bin h1 || true
check "tftp-hpa" h1

# Refusals seen through real clients: tftp-hpa sends the path unmodified (curl normalises "..").
out=$(timeout 10 tftp -m binary 127.0.0.1 "$port" -c get ../../etc/passwd h2 2>&1 || true)
if [[ $out == *"Access violation"* || $out == *"outside"* || $out == *"'..'"* ]]; then echo "ok: traversal refused"; else
  echo "FAIL: traversal: $out"; failures=$((failures + 1)); fi
echo hello >up.txt
out=$(timeout 10 tftp -m binary 127.0.0.1 "$port" -c put up.txt up.txt 2>&1 || true)
if [[ $out == *"read-only"* ]]; then echo "ok: write refused"; else
  echo "FAIL: write: $out"; failures=$((failures + 1)); fi
[[ ! -e root/up.txt ]] || { echo "FAIL: write created a file"; failures=$((failures + 1)); }
grep -c "got 'big.bin' 67108864 bytes" log | grep -qx 5 || { echo "FAIL: expected 5 completed transfers in the log"; failures=$((failures + 1)); }
((failures == 0)) || { cat log; exit 1; }
