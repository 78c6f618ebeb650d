# Shared by the REST API script tests (api_*.sh): starts and stops `ingot serve --roles` on a
# free loopback port (by PID), plays the agent with curl, and reads JSON with jq.
# Needs: INGOT_BIN, INGOT_SOURCE_DIR; the caller sets $work (a temp dir).
source "$INGOT_SOURCE_DIR/tests/provisioner/power_lib.sh"
ingot=${INGOT_BIN:?}
api_roles=$INGOT_SOURCE_DIR/tests/provisioner/api_roles
bmc_harness=$INGOT_SOURCE_DIR/tests/provisioner/bmc
serve_extra=()

# On exit: the server stopped, then the BMC start_bmc started, then $work removed unless KEEP is
# set. A test with more to undo (a mount, background requests) defines its own cleanup after
# sourcing this; the trap calls whichever is defined last.
cleanup() {
  stop_server
  [ -z "${bmc_port:-}" ] || bash "$bmc_harness/bmc-sim.sh" stop "$work/bmc"
  [ -n "${KEEP:-}" ] || rm -rf "$work"
}
trap cleanup EXIT

# start_bmc PASS: OpenIPMI's ipmi_sim as the machines' BMC (user admin, password PASS) on a free
# port, its state in $work/bmc; sets bmc_port. A BMC that does not start ends the test.
start_bmc() {
  bmc_port=$(bash "$bmc_harness/bmc-sim.sh" free-port)
  bash "$bmc_harness/bmc-sim.sh" start "$work/bmc" "$bmc_port" admin "$1" >/dev/null || exit 1
}

free_tcp_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# start_server STATE_DIR [PORT]: sets srv_pid, INGOT_URL, INGOT_TOKEN (exported for the CLI).
# The log goes to STATE_DIR.log. Returns 1 if the server does not answer within 10 s.
start_server() {
  local state=$1 port=${2:-$(free_tcp_port)}
  # serve_extra: more `ingot serve` flags a test needs (an array; empty by default).
  "$ingot" serve --roles "$api_roles" --state-dir "$state" --listen 127.0.0.1 --http-port "$port" \
    "${serve_extra[@]}" >>"$state.log" 2>&1 </dev/null &
  srv_pid=$!
  export INGOT_URL=http://127.0.0.1:$port
  for _ in $(seq 1 100); do
    if [ -s "$state/admin.token" ] && curl -s -o /dev/null "$INGOT_URL/api/v1/roles"; then
      export INGOT_TOKEN=$(cat "$state/admin.token")
      return 0
    fi
    kill -0 "$srv_pid" 2>/dev/null || break
    sleep 0.1
  done
  echo "ingot serve did not start; its log:" >&2
  cat "$state.log" >&2
  return 1
}

# stop_server [SIGNAL]: stops the server started by start_server, by PID, and waits for it.
stop_server() {
  [ -n "${srv_pid:-}" ] || return 0
  kill "-${1:-TERM}" "$srv_pid" 2>/dev/null
  for _ in $(seq 1 50); do kill -0 "$srv_pid" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$srv_pid" 2>/dev/null && kill -KILL "$srv_pid" 2>/dev/null
  { wait "$srv_pid"; } 2>/dev/null
  srv_pid=
}

# status_of METHOD PATH TOKEN [BODY]: prints the HTTP status; the body goes to $work/body.
status_of() {
  local method=$1 path=$2 token=$3 body=${4:-}
  local auth=()
  [ -n "$token" ] && auth=(-H "Authorization: Bearer $token")
  local data=()
  [ -n "$body" ] && data=(--data-binary "$body" -H "Content-Type: application/json")
  curl -s -m 30 -o "$work/body" -w '%{http_code}' -X "$method" "${auth[@]}" "${data[@]}" "$INGOT_URL$path"
}

# agent METHOD PATH TOKEN [BODY]: the body of a request made with a node token.
agent() {
  status_of "$@" >/dev/null
  cat "$work/body"
}

# node_token MAC: the node token from the iPXE script the server hands that MAC (aa:bb:.. form).
# The server answers from memory and stores the token (and the node's move to inspecting) on
# its boot writer right after: wait until the token opens an agent route, as a ramdisk would.
node_token() {
  local tok
  tok=$(curl -s -m 10 "$INGOT_URL/boot.ipxe?mac=${1//:/-}&platform=pcbios" | grep -o 'ingot\.token=[0-9a-f]*' | cut -d= -f2)
  [ -n "$tok" ] && wait_for 10 token_works "$tok"
  echo "$tok"
}
token_works() {
  [ "$(curl -s -m 10 -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $1" "$INGOT_URL/api/v1/agent/upgrade")" != 403 ]
}

# facts_for MAC PRODUCT: a facts document for a one-disk machine with that NIC and product name.
facts_for() {
  printf '{"facts":[["system","product","name","%s"],["disk","sda","size","100"],["network","eth0","serial","%s"]]}' "$2" "$1"
}

# node_field NAME JQ: a field of `GET /api/v1/nodes/NAME` (the show document).
node_field() {
  status_of GET "/api/v1/nodes/$1" "$INGOT_TOKEN" >/dev/null
  jq -r "$2" <"$work/body"
}

# wait_for SECONDS COMMAND...: polls COMMAND every 0.2 s until it succeeds or time is up.
wait_for() {
  local deadline=$(($(date +%s) + $1))
  shift
  while ! "$@"; do
    [ "$(date +%s)" -ge "$deadline" ] && return 1
    sleep 0.2
  done
}
eq() { [ "$1" = "$2" ]; }
# For wait_for, which needs a command it can run again: FILE holds VALUE; a node's field is VALUE.
file_is() { [ "$(cat "$1" 2>/dev/null)" = "$2" ]; }
field_is() { [ "$(node_field "$1" "$2")" = "$3" ]; }
field_has() { has "$(node_field "$1" "$2")" "$3"; }
