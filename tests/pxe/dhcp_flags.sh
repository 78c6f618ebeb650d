#!/bin/bash
# Operator errors in `ingot serve --dhcp ...` stop the server with a message that names the
# flag or file and what would fix it; nothing is bound, nothing is overwritten.
set -euo pipefail
: "${INGOT_BIN:?}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# expect_error TEXT ARGS...: ingot serve ARGS must exit non-zero and print TEXT.
expect_error() {
  local text=$1 out
  shift
  if out=$("$INGOT_BIN" serve --http-port 0 --state-dir "$work/state" "$@" 2>&1); then
    fail "ingot serve $* started; expected: $text"
  fi
  grep -qF -- "$text" <<<"$out" || fail "ingot serve $*: expected '$text', got: $out"
}

expect_error "must not answer on every link" --dhcp full --dhcp-range 198.18.0.10-198.18.0.20
expect_error "needs --dhcp-range" --dhcp full --listen 127.0.0.1
expect_error "ends before it starts" --dhcp full --listen 127.0.0.1 --dhcp-range 127.0.0.200-127.0.0.100
expect_error "spans more than one subnet" --dhcp full --listen 127.0.0.1 --dhcp-range 127.0.0.10-127.0.1.10
expect_error "'nope' is not an IPv4 address" --dhcp full --listen 127.0.0.1 --dhcp-range 127.0.0.10-127.0.0.20 \
  --dhcp-router nope
expect_error "no-such-if0" --dhcp proxy --interface no-such-if0
expect_error "no local interface has this address" --dhcp proxy --listen 198.18.250.250
expect_error "is not full, proxy or off" --dhcp maybe

printf '52:54:00:00:00:01 127.0.0.5\nxx 127.0.0.6\n' >"$work/res.txt"
expect_error "res.txt:2: 'xx' is not a MAC" --dhcp full --listen 127.0.0.1 --dhcp-range 127.0.0.10-127.0.0.20 \
  --dhcp-netmask 255.255.255.0 --dhcp-reservations "$work/res.txt"

mkdir -p "$work/state"
echo '{"version":1,"leases":[{"mac":"zz"' >"$work/state/dhcp-leases.json"
expect_error "dhcp-leases.json: lease file is not a JSON object (move it aside" --dhcp full --listen 127.0.0.1 \
  --dhcp-range 127.0.0.10-127.0.0.20 --dhcp-port 0
grep -q '"zz"' "$work/state/dhcp-leases.json" || fail "the corrupt lease file was overwritten"
echo "PASS: DHCP operator errors are named and nothing is overwritten"
