# Shared by the upgrade tests: a work dir, `ingot serve` on a free loopback port holding the
# role "demo", installs that mimic the deploy, and the exactness check of an upgraded root.
# Needs: B (ingot), A (ingot-agent), w (work dir); sets: server, pids.
source "$(dirname "${BASH_SOURCE[0]}")/../support/script_lib.sh"
cleanup() {
  [[ -z ${mounted:-} ]] || umount "$mounted" 2>/dev/null || true
  [[ -z ${mounted2:-} ]] || umount "$mounted2" 2>/dev/null || true
  stop_pids
  rm -rf "$w"
}
trap cleanup EXIT
export SOURCE_DATE_EPOCH=1700000000
# The node's own files: the recipe's keep list and the deploy's node config (node-config.list).
KEEP_EXCLUDES=(--exclude=/var/lib/ingot --exclude=/etc/hostname --exclude=/var/lib/data --exclude=/etc/network.conf)

start_server() {
  mkdir -p "$w/roles" && : >"$w/roles/order"
  "$B" key generate --out "$w/state/keys" >/dev/null
  local port; port=$(free_port)
  "$B" serve --roles "$w/roles" --state-dir "$w/state" --listen 127.0.0.1 --http-port "$port" >"$w/serve.log" 2>&1 &
  pids+=($!)
  server="http://127.0.0.1:$port"
  for _ in $(seq 100); do curl -fsS "$server/images/v1/key.pub" >/dev/null 2>&1 && return 0; sleep 0.1; done
  cat "$w/serve.log"; fail "ingot serve did not start"
}

# build VERSION TREE: stores demo@VERSION (the server reads its store per request).
build() {
  mkdir -p "$w/demo"
  echo '{"keep": ["/etc/hostname", "/var/lib/data"]}' >"$w/demo/recipe.json"
  "$B" image build "$w/demo" --version "$1" --from-tree "$2" --store "$w/state/images" \
    --key "$w/state/keys/image-signing.key" >"$w/build-$1.log" 2>&1 || { cat "$w/build-$1.log"; fail "build $1"; }
}

# deploy VERSION ROOT: the image phase of a deploy, then the node's config files.
deploy() {
  "$A" install "demo@$1" --server "$server" --target "$2" >/dev/null || fail "install demo@$1 into $2"
  echo node-7 >"$2/etc/hostname"
  echo "node network config" >"$2/etc/network.conf"
  mkdir -p "$2/var/lib/data" && echo node-data >"$2/var/lib/data/db"
  echo /etc/network.conf >"$2/var/lib/ingot/node-config.list"
}

# clean_as VERSION ROOT: ROOT is exactly demo@VERSION outside the node's own files (content,
# type, mode, owner, mtime, hard links, nothing extra, nothing missing), and those are intact.
clean_as() {
  local fresh="$w/fresh-$1" out
  [[ -d $fresh ]] || "$A" install "demo@$1" --server "$server" --target "$fresh" >/dev/null || fail "fresh install of demo@$1"
  out=$(rsync -anciH --delete "${KEEP_EXCLUDES[@]}" --exclude='/var/lib/ingot' "$fresh/" "$2/")
  [[ -z $out ]] || { echo "$out" | head -20; return 1; }
  [[ $(cat "$2/var/lib/ingot/image/ref") == "demo@$1" ]] || { echo "image state says $(cat "$2/var/lib/ingot/image/ref")"; return 1; }
  [[ $(cat "$2/etc/hostname") == node-7 && $(cat "$2/etc/network.conf") == "node network config" &&
     $(cat "$2/var/lib/data/db") == node-data ]] || { echo "the node's own files changed"; return 1; }
  [[ -z $(find "$2" -name '*.ingot-new') ]] || { echo "temp files left"; return 1; }
}
