#!/usr/bin/env bash
# HTTP boot server vs nginx, side by side in one run on 127.0.0.1:
#  - big-file throughput: a 256 MiB file fetched with curl -o /dev/null, median of N runs;
#  - small responses: wrk -c100 -t2 -d5s, ingot generating per-machine iPXE scripts
#    (/boot.ipxe?mac=...) against nginx serving a static 4 KiB file.
# nginx runs single-process (master_process off, one worker, as ingot is one thread), with
# sendfile on and off ("sendfile off is the stronger nginx on loopback"); both log every request
# to a file. ingot runs with sendfile (default) and with pread+write (INGOT_HTTP_FILE_IO=pread).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/lib.sh"
runs=${HTTP_BENCH_RUNS:-5}
secs=${HTTP_BENCH_SECONDS:-5}
command -v nginx >/dev/null && command -v wrk >/dev/null || { echo "bench http: needs nginx-light and wrk (scripts/setup.sh --bench)" >&2; exit 2; }

work=$(mktemp -d /tmp/ingot-bench-http.$$.XXXXXX)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
wait_http() { for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$1/small.ipxe" && return 0; sleep 0.05; done; echo "bench http: server on port $1 did not come up" >&2; exit 1; }

mkdir -p "$work/www"
head -c $((256 * 1024 * 1024)) /dev/urandom > "$work/www/big.img"
head -c 4096 /dev/urandom > "$work/www/small.ipxe"
cat > "$work/policy.json" <<'JSON'
{ "default": { "action": "boot", "kernel": "vmlinuz", "initrd": ["initrd.img"], "cmdline": "console=ttyS0 panic=5" } }
JSON

# Not run in $(...): a background server would hold the substitution's pipe open. Sets $port.
start_ingot() {  # start_ingot NAME FILE_IO
  port=$(free_port)
  INGOT_HTTP_FILE_IO=$2 "$INGOT_BIN" serve --listen 127.0.0.1 --http-port "$port" --http-root "$work/www" \
    --boot-policy "$work/policy.json" --state-dir "$work" > /dev/null 2> "$work/$1.log" &
  pids+=($!)
}
start_nginx() {  # start_nginx NAME on|off
  port=$(free_port)
  mkdir -p "$work/$1"
  cat > "$work/$1/nginx.conf" <<CONF
daemon off; master_process off; worker_processes 1;
pid $work/$1/nginx.pid; error_log $work/$1/error.log;
events { worker_connections 4096; }
http {
  access_log $work/$1/access.log; sendfile $2; tcp_nopush on; keepalive_requests 1000000;
  default_type application/octet-stream;
  client_body_temp_path $work/$1/body; proxy_temp_path $work/$1/proxy; fastcgi_temp_path $work/$1/fcgi;
  uwsgi_temp_path $work/$1/uwsgi; scgi_temp_path $work/$1/scgi;
  server { listen 127.0.0.1:$port; root $work/www; }
}
CONF
  nginx -c "$work/$1/nginx.conf" -p "$work/$1" > /dev/null 2> "$work/$1/stderr" &
  pids+=($!)
}

start_ingot ingot sendfile; p_ingot=$port
start_ingot ingot-pread pread; p_pread=$port
start_nginx nginx-sendfile-off off; p_ngx_off=$port
start_nginx nginx-sendfile-on on; p_ngx_on=$port
for p in $p_ingot $p_pread $p_ngx_off $p_ngx_on; do wait_http "$p"; done

median() { sort -n | awk '{a[NR]=$1} END{ print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2 }'; }
mbps() { curl -s -o /dev/null -w '%{speed_download}' "http://127.0.0.1:$1/big.img" | awk '{printf "%.0f\n", $1/1e6}'; }
declare -A tput
for name in ingot ingot-pread nginx-off nginx-on; do : > "$work/tput-$name"; done
# Interleaved rounds, so drift in machine load hits every server alike.
for _ in $(seq "$runs"); do
  mbps "$p_ingot" >> "$work/tput-ingot"; mbps "$p_pread" >> "$work/tput-ingot-pread"
  mbps "$p_ngx_off" >> "$work/tput-nginx-off"; mbps "$p_ngx_on" >> "$work/tput-nginx-on"
done
for name in ingot ingot-pread nginx-off nginx-on; do tput[$name]=$(median < "$work/tput-$name"); done

rps() {  # rps URL -> requests/s; fails on socket errors or non-2xx answers
  local out; out=$(wrk -c100 -t2 -d"${secs}s" "$1")
  if grep -q -e "Non-2xx" -e "Socket errors" <<<"$out"; then echo "bench http: errors from $1:" >&2; echo "$out" >&2; fi
  awk '/^Requests\/sec:/{printf "%.0f\n", $2}' <<<"$out"
}
script_url="http://127.0.0.1:$p_ingot/boot.ipxe?mac=52-54-00-12-34-56&uuid=&platform=efi&buildarch=x86_64"
curl -sf "$script_url" | grep -q '^kernel ' || { echo "bench http: ingot did not answer a boot script" >&2; exit 1; }
r_ingot=$(rps "$script_url")
r_ngx_off=$(rps "http://127.0.0.1:$p_ngx_off/small.ipxe")
r_ngx_on=$(rps "http://127.0.0.1:$p_ngx_on/small.ipxe")
r_ingot_static=$(rps "http://127.0.0.1:$p_ingot/small.ipxe")

echo "# throughput MB/s (median of $runs, 256 MiB): ingot(sendfile)=${tput[ingot]} ingot(pread)=${tput[ingot-pread]} nginx(sendfile off)=${tput[nginx-off]} nginx(sendfile on)=${tput[nginx-on]}"
echo "# requests/s (wrk -c100 -t2 -d${secs}s): ingot scripts=$r_ingot ingot static 4KiB=$r_ingot_static nginx 4KiB sendfile off=$r_ngx_off on=$r_ngx_on"
best_ingot_tput=${tput[ingot]}
result "http big-file MB/s vs nginx sendfile off" "$best_ingot_tput" nginx "${tput[nginx-off]}" 0.9 higher
result "http big-file MB/s vs nginx sendfile on" "$best_ingot_tput" nginx "${tput[nginx-on]}" 0.9 higher
result "http per-machine script req/s vs nginx 4KiB sendfile off" "$r_ingot" nginx "$r_ngx_off" 1.0 higher
result "http per-machine script req/s vs nginx 4KiB sendfile on" "$r_ingot" nginx "$r_ngx_on" 1.0 higher
