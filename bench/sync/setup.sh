# Sourced by bench/sync.sh and bench/upgrade.sh (after trees.sh and measure.sh): their set-up,
# and the two servers they compare, on 127.0.0.1, each on a free port, logging under $work, its
# PID appended to the caller's `pids`. Not run in $(...): a background server would hold the
# substitution's pipe open.

# image_bench_setup NAME: `runs` (RUNS, default 3), the cached trees n and n1 under $cache, and
# a fresh $work under /var/tmp.
image_bench_setup() {
  runs=${RUNS:-3}
  cache="${INGOT_CACHE_DIR:-/var/cache/ingot}/bench-sync"
  sync_trees_locked "$cache"
  work=$(mktemp -d "/var/tmp/ingot-bench-$1.$$.XXXX")
}

# start_image_server STATE: `ingot serve` over STATE's image store with no roles; sets
# http_port and server (its base URL).
start_image_server() {
  mkdir -p "$work/roles" && : >"$work/roles/order"
  http_port=$(free_port)
  "$INGOT_BIN" serve --roles "$work/roles" --state-dir "$1" --listen 127.0.0.1 --http-port "$http_port" >"$work/serve.log" 2>&1 &
  pids+=($!)
  server="http://127.0.0.1:$http_port"
}

# start_rsyncd NAME=PATH...: an rsync daemon serving each PATH read-only as module NAME, with
# numeric ids as root so owners come through unchanged; sets rsync_port and rs (its URL).
start_rsyncd() {
  local module
  rsync_port=$(free_port)
  {
    printf 'use chroot = no\nuid = root\ngid = root\nnumeric ids = yes\npid file = %s\n' "$work/rsyncd.pid"
    for module in "$@"; do printf '[%s]\n  path = %s\n  read only = yes\n' "${module%%=*}" "${module#*=}"; done
  } >"$work/rsyncd.conf"
  rsync --daemon --no-detach --config="$work/rsyncd.conf" --address=127.0.0.1 --port="$rsync_port" --log-file="$work/rsyncd.log" &
  pids+=($!)
  rs="rsync://127.0.0.1:$rsync_port"
}

# Both servers answering, or the bench stops with the server's log.
wait_servers() {  # wait_servers BENCH_NAME
  wait_port "$http_port" && wait_port "$rsync_port" || { echo "bench/$1: servers did not start" >&2; cat "$work/serve.log" >&2; exit 1; }
}
