#!/usr/bin/env bash
# Integration: curl (and raw bytes over bash's /dev/tcp) against `ingot serve --http-port` on
# 127.0.0.1: static files with HEAD, Range, ETag/304; traversal refused; 431 and 413; 400 and
# close on garbage; per-machine iPXE scripts from a static policy; keep-alive reuse.
set -euo pipefail
bin=${INGOT_BIN:?}
work=$(mktemp -d /tmp/ingot-http-test.$$.XXXXXX)
pid=
cleanup() {
  [[ -n $pid ]] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
fails=0
check() {  # check NAME EXPECTED ACTUAL
  if [[ "$2" == "$3" ]]; then echo "ok   $1"; else echo "FAIL $1: expected '$2', got '$3'"; fails=$((fails + 1)); fi
}

mkdir -p "$work/root/sub" "$work/outside"
head -c 3000000 /dev/urandom > "$work/root/vmlinuz"
echo initrd > "$work/root/initrd.img"
echo "top secret" > "$work/outside/secret"
ln -s "$work/outside/secret" "$work/root/escape"
cat > "$work/policy.json" <<'JSON'
{ "default": { "action": "boot", "kernel": "vmlinuz", "initrd": ["initrd.img"], "cmdline": "console=ttyS0" },
  "machines": { "52:54:00:00:00:02": { "action": "local" }, "52:54:00:00:00:03": { "action": "ignore" } } }
JSON

for attempt in 1 2 3; do
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  "$bin" serve --listen 127.0.0.1 --http-port "$port" --http-root "$work/root" --boot-policy "$work/policy.json" \
    --state-dir "$work" 2> "$work/log" &
  pid=$!
  for _ in $(seq 50); do grep -q "listening on" "$work/log" && break; kill -0 $pid 2>/dev/null || break; sleep 0.1; done
  kill -0 $pid 2>/dev/null && break
  wait $pid || true; pid=
done
[[ -n $pid ]] || { echo "ingot serve did not start"; cat "$work/log"; exit 1; }
base=http://127.0.0.1:$port

# Static files
curl -sf "$base/vmlinuz" -o "$work/got"
check "GET is byte-identical" 0 "$(cmp -s "$work/got" "$work/root/vmlinuz"; echo $?)"
curl -sI "$base/vmlinuz" > "$work/head"
check "HEAD status" "HTTP/1.1 200 OK" "$(head -1 "$work/head" | tr -d '\r')"
check "HEAD Content-Length" 3000000 "$(grep -i '^content-length:' "$work/head" | tr -dc 0-9)"
check "HEAD sends no body" 0 "$(curl -s --head "$base/vmlinuz" -o /dev/null -w '%{size_download}')"
grep -qi '^last-modified: ' "$work/head" && check "Last-Modified present" yes yes || check "Last-Modified present" yes no
etag=$(grep -i '^etag:' "$work/head" | cut -d' ' -f2 | tr -d '\r')
check "ETag is strong and quoted" 1 "$([[ $etag == \"*\" ]] && echo 1 || echo 0)"
check "If-None-Match → 304" 304 "$(curl -s -o /dev/null -w '%{http_code}' -H "If-None-Match: $etag" "$base/vmlinuz")"
check "stale If-None-Match → 200" 200 "$(curl -s -o /dev/null -w '%{http_code}' -H 'If-None-Match: "x"' "$base/vmlinuz")"
check "Range → 206" 206 "$(curl -s -r 1000-1999 -o "$work/part" -w '%{http_code}' "$base/vmlinuz")"
check "Range bytes" 0 "$(cmp -s "$work/part" <(tail -c +1001 "$work/root/vmlinuz" | head -c 1000); echo $?)"
check "Content-Range" "bytes 1000-1999/3000000" \
  "$(curl -s -r 1000-1999 -D - -o /dev/null "$base/vmlinuz" | grep -i '^content-range:' | cut -d' ' -f2- | tr -d '\r')"
check "suffix Range" 10 "$(curl -s -r -10 -o /dev/null -w '%{size_download}' "$base/vmlinuz")"
check "Range past the end → 416" 416 "$(curl -s -r 3000000- -o /dev/null -w '%{http_code}' "$base/vmlinuz")"
check "multi-range → whole 200" 200 "$(curl -s -r 0-1,5-6 -o /dev/null -w '%{http_code}' "$base/vmlinuz")"
check "missing → 404" 404 "$(curl -s -o /dev/null -w '%{http_code}' "$base/nope")"
check "directory → 404" 404 "$(curl -s -o /dev/null -w '%{http_code}' "$base/sub")"

# Traversal: never served, whatever the spelling
for p in "/../outside/secret" "/sub/../../outside/secret" "/%2e%2e/outside/secret" "/%2E%2E%2foutside%2fsecret" \
         "/escape" "//etc/passwd" "/..%2f..%2f..%2fetc%2fpasswd"; do
  code=$(curl -s --path-as-is -o "$work/trav" -w '%{http_code}' "$base$p")
  check "traversal $p refused" refused "$([[ $code == 403 || $code == 404 ]] && ! grep -q -e secret -e root: "$work/trav" && echo refused || echo "$code")"
done

# Limits and malformed input
big=$(head -c 10000 /dev/zero | tr '\0' a)
check "oversized header → 431" 431 "$(curl -s -o /dev/null -w '%{http_code}' -H "X-Big: $big" "$base/vmlinuz")"
head -c 2000000 /dev/zero > "$work/body"
check "oversized body → 413" 413 "$(curl -s -o /dev/null -w '%{http_code}' --data-binary @"$work/body" "$base/boot.ipxe")"
check "POST to a GET route → 405" 405 "$(curl -s -o /dev/null -w '%{http_code}' -d x "$base/boot.ipxe")"
garbage=$(timeout 5 bash -c "exec 3<>/dev/tcp/127.0.0.1/$port; printf 'GARBAGE \x01\x02\r\n\r\n' >&3; cat <&3" | head -1 | tr -d '\r')
check "garbage → 400 and close" "HTTP/1.1 400 Bad Request" "$garbage"

# Per-machine iPXE scripts
check "chain script" "chain $base/boot.ipxe?mac=\${mac:hexhyp}&uuid=\${uuid}&platform=\${platform}&buildarch=\${buildarch}" \
  "$(curl -sf "$base/boot.ipxe" | sed -n 2p)"
script=$(curl -sf "$base/boot.ipxe?mac=52-54-00-00-00-01&uuid=&platform=efi&buildarch=x86_64")
check "default machine, UEFI" "#!ipxe|kernel $base/vmlinuz initrd=initrd.img console=ttyS0|initrd $base/initrd.img|boot" \
  "$(echo "$script" | paste -sd'|')"
script=$(curl -sf "$base/boot.ipxe?mac=52-54-00-00-00-01&platform=pcbios&buildarch=i386")
check "default machine, BIOS" "kernel $base/vmlinuz console=ttyS0" "$(echo "$script" | sed -n 2p)"
check "known MAC → local disk (BIOS)" "sanboot --no-describe --drive 0x80" \
  "$(curl -sf "$base/boot.ipxe?mac=52-54-00-00-00-02&platform=pcbios" | sed -n 2p)"
check "known MAC → local disk (UEFI)" "exit" "$(curl -sf "$base/boot.ipxe?mac=52:54:00:00:00:02&platform=efi" | sed -n 2p)"
check "ignored MAC → 404" 404 "$(curl -s -o /dev/null -w '%{http_code}' "$base/boot.ipxe?mac=52-54-00-00-00-03")"
check "bad MAC → 400" 400 "$(curl -s -o /dev/null -w '%{http_code}' "$base/boot.ipxe?mac=nonsense")"

# Keep-alive: three requests, one connection
conns=$(curl -s -o /dev/null -o /dev/null -o /dev/null -w '%{num_connects} ' \
  "$base/boot.ipxe" "$base/vmlinuz" "$base/boot.ipxe?mac=52-54-00-00-00-01")
check "keep-alive reuses the connection" "1 0 0" "$(echo $conns)"

# Still alive after all of the above, and the log says what each client got
check "server still answers" 200 "$(curl -s -o /dev/null -w '%{http_code}' "$base/initrd.img")"
check "log line per request" 1 "$(grep -c ' GET /boot.ipxe?mac=52-54-00-00-00-02&platform=pcbios 200 .*local disk' "$work/log")"
check "log names the 431" 1 "$(grep -c ' 431 ' "$work/log")"
if ((fails)); then echo "--- server log"; tail -40 "$work/log"; exit 1; fi
echo "all HTTP serve checks passed"
