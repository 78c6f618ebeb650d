# Shared by the recipe build tests: a key, a cache, skip rules (root for chroot/mount; the
# mirror apt is configured with must answer), and a reader for a file's content in a store.
set -euo pipefail
ingot=${INGOT_BIN:?}
src=${INGOT_SOURCE_DIR:?}
cache=${INGOT_CACHE_DIR:-/var/cache/ingot}/image-build
tmp=$(mktemp -d /var/tmp/ingot-build-test.$$.XXXX)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
skip() { echo "SKIP: $*"; exit 77; }

[[ $(id -u) == 0 ]] || skip "recipe builds need root (chroot, mount)"
mirror=$(awk '/^URIs:/{print $2; exit} /^deb /{print ($2 ~ /^\[/ ? $3 : $2); exit}' /etc/apt/sources.list.d/*.sources /etc/apt/sources.list 2>/dev/null || true)
[[ -n "$mirror" ]] || skip "no apt mirror configured"
curl -fsS --max-time 15 -o /dev/null "$mirror/dists/bookworm/InRelease" || skip "mirror $mirror unreachable"
mkdir -p "$cache"
"$ingot" key generate --out "$tmp/keys" >/dev/null

# build ROLE_DIR STORE [extra flags]: one full recipe build, its log shown on failure.
build() {
  local role=$1 store=$2; shift 2
  "$ingot" image build "$role" --store "$store" --key "$tmp/keys/image-signing.key" --cache "$cache" --work "$tmp" "$@" \
    >"$tmp/build.out" 2>&1 || { cat "$tmp/build.out" >&2; fail "build of $role into $store"; }
}

# content STORE IMAGE PATH: the file's bytes, read from its object (manifest -> sha256 -> zstd).
content() {
  local line sha
  line=$("$ingot" image show "$2" --store "$1" --manifest | grep -F "{\"path\":\"$3\"," || true)
  [[ -n "$line" ]] || fail "$3 is not in $2"
  sha=$(sed -n 's/.*"sha256":"\([0-9a-f]*\)".*/\1/p' <<<"$line")
  zstd -qdc "$1/objects/${sha:0:2}/$sha.zst"
}
has_path() {
  local m
  m=$("$ingot" image show "$2" --store "$1" --manifest)
  grep -qF "{\"path\":\"$3\"," <<<"$m"
}
