#!/bin/bash
# Bodies are read only once the request's head passed the API's gate: 200 connections that
# announce 1 MiB bodies without a token and send half of it grow the server's memory by under
# 16 MB (each costs its header, not its body), all get 401 before their body; a token-bearing
# body over the limit gets 413 before it is sent (Expect: 100-continue); the server answers
# throughout.
set -u
work=$(mktemp -d /tmp/ingot-api-gate.$$.XXXXXX)
source "$INGOT_SOURCE_DIR/tests/provisioner/api_lib.sh"

start_server "$work/state" || exit 1
rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$srv_pid/status"; }
before=$(rss_kb)
port=${INGOT_URL##*:}
python3 - "$port" "$work/answers" <<'PY'
import socket, sys, time
port, out = int(sys.argv[1]), sys.argv[2]
conns, half = [], b"[" * (512 * 1024)
for _ in range(200):
    s = socket.create_connection(("127.0.0.1", port))
    s.sendall(b"POST /api/v1/agent/facts HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
              b"Content-Length: 1048576\r\n\r\n")
    try:
        s.sendall(half)
    except OSError:
        pass  # the server answered and closed: exactly what should happen
    conns.append(s)
time.sleep(1)
codes = []
for s in conns:
    s.settimeout(5)
    try:
        codes.append(s.recv(64).split(b" ")[1].decode())
    except Exception:
        codes.append("none")
open(out, "w").write("\n".join(codes) + "\n")
PY
after=$(rss_kb)
check "200 half-sent bodies: all answered 401" eq "$(sort -u "$work/answers")" 401
check "RSS grew by under 16 MB ($before -> $after kB)" test $((after - before)) -lt 16384
head -c $((2 * 1024 * 1024)) /dev/zero | tr '\0' '[' >"$work/big.json"
code=$(curl -s -o "$work/body" -w '%{http_code}' -H "Authorization: Bearer $INGOT_TOKEN" -H 'Content-Type: application/json' \
  -H 'Expect: 100-continue' \
  --data-binary @"$work/big.json" "$INGOT_URL/api/v1/nodes")
check "over the API's body limit with a token: 413" eq "$code" 413
check "the server still answers" eq "$(status_of GET /api/v1/nodes "$INGOT_TOKEN")" 200
finish
