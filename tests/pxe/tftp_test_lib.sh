# Shared by the TFTP script tests: start `ingot serve` with TFTP only on 127.0.0.1 and a free
# port (--tftp-port 0; the log names the port), optionally through a prefix such as
# `ip netns exec NS`. Sets pid and port; the caller's trap stops $pid.
#   start_ingot_tftp ROOT LOG [PREFIX...]
start_ingot_tftp() {
  local root=$1 log=$2
  shift 2
  "$@" "$INGOT_BIN" serve --listen 127.0.0.1 --tftp-root "$root" --tftp-port 0 --http-port 0 >"$log" 2>&1 &
  pid=$!
  port=
  for _ in $(seq 200); do
    port=$(sed -n 's/.*tftp: listening on 127.0.0.1:\([0-9]*\).*/\1/p' "$log")
    [[ -n $port ]] && return 0
    sleep 0.05
  done
  echo "FAIL: ingot serve did not start"
  cat "$log"
  exit 1
}
