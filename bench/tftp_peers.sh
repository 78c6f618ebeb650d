# Shared by bench/tftp.sh and bench/storm.sh: the run's namespace and work directory, and
# ingot and the peer TFTP servers on 127.0.0.1 inside it, each serving $root, each stopped by PID.
# Servers start through `ip netns exec` directly (it execs), so $! is the server's own PID.
# start_tftp_server NAME PORT_VAR: sets PORT_VAR (may be an array element) and appends the PID to server_pids.
atftpd_bin=/opt/ingot-peers/usr/sbin/atftpd
server_pids=()

in_ns() { ip netns exec "$ns" "$@"; }

# bench_setup NAME: the load generator, $work/$root, and this run's namespace, all cleaned up
# on exit; RUNS defaults to 5.
bench_setup() {
  LOADGEN="${INGOT_LOADGEN:-$INGOT_SOURCE_DIR/build/ci/bench/ingot-loadgen}"
  [[ -x $LOADGEN ]] || { echo "bench: build ingot-loadgen first (cmake --build --preset ci --target ingot-loadgen)" >&2; exit 2; }
  RUNS=${RUNS:-5}
  ns="ingot-bench-$1-$$"
  work=$(mktemp -d "/tmp/ingot-bench-$1.XXXXXX")
  root="$work/root"
  trap bench_cleanup EXIT
  make_namespace
  mkdir -p "$root"
  chmod 755 "$work" "$root"
}
bench_cleanup() { stop_servers; ip netns del "$ns" 2>/dev/null || true; rm -rf "$work"; }
median() { sort -g | awk '{v[NR]=$1} END{print v[int((NR+1)/2)]}'; }

# The run's namespace: loopback, plus a veth pair addressed from 198.18.0.0/15 only because
# glibc's getaddrinfo(AI_ADDRCONFIG) finds no IPv4 on a loopback-only host, and tftpd-hpa
# then refuses "-a 127.0.0.1:PORT". All traffic stays on 127.0.0.1.
make_namespace() {
  ip netns add "$ns"
  ip -n "$ns" link set lo up
  ip -n "$ns" link add v0 type veth peer name v1
  ip -n "$ns" addr add 198.18.0.1/30 dev v0
  ip -n "$ns" link set v0 up
  ip -n "$ns" link set v1 up
}

# A free UDP port on the namespace's loopback (ingot takes port 0 and logs its choice).
free_port() {
  in_ns python3 -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

wait_udp_port() {  # wait_udp_port PORT: until something listens on it (20 s: loaded machines)
  for _ in $(seq 400); do
    in_ns ss -Hlun "sport = :$1" | grep -q . && return 0
    sleep 0.05
  done
  echo "bench: nothing listening on udp port $1" >&2
  return 1
}

start_tftp_server() {
  local name=$1 p
  case $name in
    ingot)
      # Default log level: one line per transfer, as an operator would run it.
      ip netns exec "$ns" "$INGOT_BIN" serve --listen 127.0.0.1 --tftp-root "$root" --tftp-port 0 --http-port 0 \
        >"$work/ingot.log" 2>&1 &
      server_pids+=($!)
      for _ in $(seq 400); do
        p=$(grep -o 'listening on 127.0.0.1:[0-9]*' "$work/ingot.log" | cut -d: -f2 || true)
        [[ -n $p ]] && break
        sleep 0.05
      done ;;
    tftpd-hpa)
      p=$(free_port)
      # -L: foreground; it forks a child per transfer, as deployed.
      ip netns exec "$ns" in.tftpd -L -s "$root" -a "127.0.0.1:$p" &
      server_pids+=($!) ;;
    dnsmasq)
      p=69  # dnsmasq's TFTP port is fixed; the namespace keeps it private to this run
      ip netns exec "$ns" dnsmasq --keep-in-foreground --port=0 --listen-address=127.0.0.1 --bind-interfaces \
        --enable-tftp --tftp-root="$root" --tftp-max=1000 --quiet-tftp --conf-file=/dev/null \
        --pid-file="$work/dnsmasq.pid" --log-facility="$work/dnsmasq.log" &
      server_pids+=($!) ;;
    atftpd)
      p=$(free_port)
      ip netns exec "$ns" "$atftpd_bin" --daemon --no-fork --port "$p" --bind-address 127.0.0.1 --maxthread 1000 \
        --logfile /dev/null --user root --group root "$root" &
      server_pids+=($!) ;;
  esac
  wait_udp_port "$p"
  printf -v "$2" '%s' "$p"
}

stop_servers() {
  local p
  for p in "${server_pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${server_pids[@]}"; do wait "$p" 2>/dev/null || true; done
  server_pids=()
}
