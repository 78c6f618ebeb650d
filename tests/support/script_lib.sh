# What the shell tests share (source it): `fail`, a free loopback port, the processes the test
# started (append their PIDs to `pids`), stopped by PID by `stop_pids` from its cleanup, and its
# work dir.
pids=()
stop_pids() {
  local p
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
}
fail() { echo "FAIL: $*"; exit 1; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# make_work_dir NAME: a fresh /tmp/NAME-XXXXXX in $w, and on exit `cleanup`: by default the
# test's processes stopped, then $w removed. A test with more to undo (mounts) defines its own
# `cleanup` after sourcing this; the trap calls whichever is defined last.
cleanup() {
  stop_pids
  rm -rf "$w"
}
make_work_dir() {
  w=$(mktemp -d "/tmp/$1-XXXXXX")
  trap cleanup EXIT
}
