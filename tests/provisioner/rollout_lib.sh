# Shared by the rollout API script tests (rollout_*.sh): a role `tiny` whose images are built
# from small trees into the server's own store, and a fleet of nodes driven to `configured`
# through the real deploy flow with curl as the agent (tokens in $work/tok.NAME).
# Needs: INGOT_BIN, INGOT_SOURCE_DIR; the caller sets $work (removed on exit unless KEEP is set).
source "$INGOT_SOURCE_DIR/tests/provisioner/api_lib.sh"
state=$work/state

# api_lib's cleanup, after a background `ingot node upgrade --wait` the test has not reaped.
wait_pid=
cleanup() {
  [ -n "$wait_pid" ] && kill "$wait_pid" 2>/dev/null
  stop_server
  [ -n "${KEEP:-}" ] || rm -rf "$work"
}

# The roles: `tiny`, the API tests' simulated machine, no deploy.json image, so the plan pins
# the newest stored tiny@N; `spare`, which no machine matches (a role without nodes).
api_roles=$work/roles
mkdir -p "$api_roles/tiny" "$api_roles/spare"
printf 'tiny *\nspare *\n' >"$api_roles/order"
echo "system product name 'No Such Machine'" >"$api_roles/spare/hardware.spec"
cp "$INGOT_SOURCE_DIR/tests/provisioner/api_roles/web/hardware.spec" "$api_roles/tiny/"
echo '{ "hostname": "tiny01-09" }' >"$api_roles/tiny/pools.json"

# make_tree V DIR: v1 a base; v2 changes a binary, adds a file, removes one; v3 also changes the
# kernel (a reboot) and carries an upgrade policy.
make_tree() {
  local v=$1 t=$2
  mkdir -p "$t/etc" "$t/usr/bin" "$t/boot" "$t/usr/lib/ingot" "$t/var/lib/ingot"
  echo "tiny $v" >"$t/etc/motd"
  echo "hostname-from-image" >"$t/etc/hostname"
  head -c 50000 /dev/zero | tr '\0' "$v" >"$t/usr/bin/app"
  echo kernel-1 >"$t/boot/vmlinuz"
  [ "$v" = 1 ] && echo old >"$t/etc/removed-in-2"
  [ "$v" -ge 2 ] && echo new >"$t/etc/added-in-2"
  if [ "$v" -ge 3 ]; then
    echo kernel-3 >"$t/boot/vmlinuz"
    echo '{"reboot_paths": ["/boot/"]}' >"$t/usr/lib/ingot/upgrade.json"
  fi
  # One mtime for every path: only content makes a change, whatever second each tree was made in.
  find "$t" -exec touch -h -d @1700000000 {} +
}

# build_image V: tiny@V into the server's store, signed with its key.
build_image() {
  rm -rf "$work/tree$1"
  make_tree "$1" "$work/tree$1"
  (cd "$work" && "$ingot" image build tiny --version "$1" --from-tree "$work/tree$1" --state-dir "$state" \
    --work "$work" >/dev/null 2>&1)
}

# start_tiny_server: the server's signing key, tiny@1 and the server; nodes deployed next get
# tiny@1 (the plan pins the newest stored image), then build_upgrades adds tiny@2 and tiny@3.
# Set-up failures end the test.
start_tiny_server() {
  "$ingot" key generate --state-dir "$state" >/dev/null || exit 1
  build_image 1 || exit 1
  start_server "$state" || exit 1
}
build_upgrades() { build_image 2 && build_image 3 || exit 1; }

# deploy_node NAME MAC: enrol → deploy → PXE (token) → facts → plan → deployed → callback.
deploy_node() {
  local name=$1 mac=$2 tok
  "$ingot" node add "$name" --mac "$mac" >/dev/null || return 1
  "$ingot" node deploy "$name" >/dev/null || return 1
  tok=$(node_token "$mac")
  [ -n "$tok" ] || return 1
  echo "$tok" >"$work/tok.$name"
  agent POST /api/v1/agent/facts "$tok" "$(facts_for "$mac" 'ApiTest Web')" >"$work/plan.$name"
  [ "$(status_of POST /api/v1/agent/report "$tok" '{"phase":"deployed","status":"done","message":"ok"}')" = 200 ] || return 1
  [ "$(status_of POST /api/v1/agent/callback "$tok" "{\"hostname\":\"$name\",\"role\":\"tiny\"}")" = 200 ]
}

tok() { cat "$work/tok.$1"; }

# lay_node_root NAME ROOT: tiny@1 laid into the directory ROOT as the deploy's image phase lays
# it, then the handoff files the agent reads there (the server's URL, NAME's token).
lay_node_root() {
  "${INGOT_AGENT_BIN:?}" install tiny@1 --server "$INGOT_URL" --target "$2" >/dev/null || return 1
  mkdir -p "$2/etc/ingot"
  printf '{"server": "%s"}\n' "$INGOT_URL" >"$2/etc/ingot/handoff.json"
  tok "$1" >"$2/etc/ingot/node.token"
}

# report NAME STATUS TO [ROLLOUT]: the agent's upgrade report; prints the HTTP status.
report() {
  local r=${4:-null}
  status_of POST /api/v1/agent/upgrade "$(tok "$1")" \
    "{\"status\":\"$2\",\"from\":\"\",\"to\":\"$3\",\"rollout\":$r,\"message\":\"$2 by test\",\"data\":{}}"
}
# poll NAME: the HTTP status of GET /api/v1/agent/upgrade; its body is in $work/body.
poll() { status_of GET /api/v1/agent/upgrade "$(tok "$1")"; }
# target_of NAME: the target the server gives NAME now ("none" on 204).
target_of() {
  local s
  s=$(poll "$1")
  if [ "$s" = 204 ]; then echo none; else jq -r .target <"$work/body"; fi
}
# rollout_field ID JQ
rollout_field() {
  status_of GET "/api/v1/rollouts/$1" "$INGOT_TOKEN" >/dev/null
  jq -r "$2" <"$work/body"
}
# node_status ID NAME: that node's status in the rollout.
node_status() { rollout_field "$1" ".nodes[] | select(.node == \"$2\") | .status"; }
target_is() { [ "$(target_of "$1")" = "$2" ]; }
rollout_is() { [ "$(rollout_field "$1" .state)" = "$2" ]; }
