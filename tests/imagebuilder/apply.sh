#!/usr/bin/env bash
# `ingot image apply` against rsync as the referee: a fresh apply equals the source tree,
# n then n+1 equals a fresh n+1, a corrupt object is refused without touching the old file,
# a tampered manifest is refused, and 20 kill -9s at random points followed by a rerun always
# end clean.
set -euo pipefail
B=${INGOT_BIN:?}
source "$(dirname "${BASH_SOURCE[0]}")/../support/script_lib.sh"
make_work_dir ingot-apply
same() {  # same SRC DST: rsync finds nothing to change, content and metadata (keep list aside)
  local out
  out=$(rsync -anci --delete --exclude /etc/hostname --exclude /var/lib/data "$1/" "$2/")
  [[ -z $out ]] || { echo "$out" | head -20; fail "$2 differs from $1"; }
}

mk_v1() {
  local t=$1
  mkdir -p "$t/etc/app" "$t/bin" "$t/var/lib/data" "$t/usr/share/many"
  echo hello >"$t/etc/motd"; echo v1 >"$t/etc/app/conf"; echo old >"$t/etc/app/removed-in-v2"
  ln -s ../etc/motd "$t/bin/motd-link"
  head -c 400000 /dev/urandom >"$t/bin/blob"; chmod 755 "$t/bin/blob"
  for i in $(seq 1 300); do head -c 20000 /dev/urandom >"$t/usr/share/many/f$i"; done
  ln "$t/bin/blob" "$t/bin/blob-hardlink"
  touch -d 2024-01-01 "$t/etc/motd"
}
mk_v2() {
  local t=$1
  cp -a "$w/v1" "$t"
  echo v2 >"$t/etc/app/conf"; rm "$t/etc/app/removed-in-v2"
  mkdir -p "$t/opt/new"; echo added >"$t/opt/new/file"
  ln -sfn ../etc/app/conf "$t/bin/motd-link"
  head -c 1000 /dev/urandom >>"$t/usr/share/many/f7"
}

"$B" key generate --out "$w/keys" >/dev/null
mk_v1 "$w/v1"; mk_v2 "$w/v2"
# The role's recipe carries the keep list: what a deployed node keeps across upgrades.
mkdir -p "$w/demo"
echo '{"keep": ["/etc/hostname", "/var/lib/data"]}' >"$w/demo/recipe.json"
echo image-hostname >"$w/v1/etc/hostname"; echo image-hostname-2 >"$w/v2/etc/hostname"
for v in 1 2; do
  "$B" image build "$w/demo" --version $v --from-tree "$w/v$v" --store "$w/store" --key "$w/keys/image-signing.key" >/dev/null
done
apply() { "$B" image apply "$1" "$2" --store "$w/store" --key "$w/keys/image-signing.pub"; }

# 1. fresh apply
apply demo@1 "$w/t1" >/dev/null
same "$w/v1" "$w/t1"
# 2. n then n+1 equals a fresh n+1; the second apply reuses unchanged files
out=$(apply demo@2 "$w/t1")
echo "$out"
same "$w/v2" "$w/t1"
apply demo@2 "$w/fresh2" >/dev/null
same "$w/fresh2" "$w/t1"
[[ $out == *" 302 unchanged"* || $out == *"unchanged"* ]] || fail "apply n+1 did not report reused files"
echo "ok: n -> n+1 equals a fresh n+1"

# 2b. keep-list paths on a deployed node survive n -> n+1 untouched; everything else is n+1
apply demo@1 "$w/tk" >/dev/null
echo node-7 >"$w/tk/etc/hostname"; echo node-data >"$w/tk/var/lib/data/db"
touch -d 2020-02-02 "$w/tk/etc/hostname"; before=$(stat -c '%Y %s' "$w/tk/etc/hostname")
apply demo@2 "$w/tk" >/dev/null
[[ $(cat "$w/tk/etc/hostname") == node-7 && $(stat -c '%Y %s' "$w/tk/etc/hostname") == "$before" ]] ||
  fail "the keep-listed /etc/hostname was touched"
[[ $(cat "$w/tk/var/lib/data/db") == node-data ]] || fail "node data under a kept directory was lost"
out=$(rsync -anci --delete --exclude /etc/hostname --exclude /var/lib/data "$w/v2/" "$w/tk/")
[[ -z $out ]] || { echo "$out" | head; fail "outside the keep list the tree is not n+1"; }
echo "ok: keep-list paths untouched across n -> n+1"

# 3. a corrupt object is refused and the old file stays whole
apply demo@1 "$w/t3" >/dev/null
obj=$(sha256sum "$w/v2/etc/app/conf" | cut -c1-64)
zst=$(find "$w/store/objects" -name "$obj*" | head -1)
[[ -n $zst ]] || fail "object for etc/app/conf not found in the store"
cp "$zst" "$w/zst.bak"
printf '\xff\xff\xff\xff' | dd of="$zst" bs=1 seek=6 conv=notrunc status=none
if apply demo@2 "$w/t3" 2>"$w/err3"; then fail "apply of a corrupt object succeeded"; fi
cat "$w/err3"
[[ $(cat "$w/t3/etc/app/conf") == v1 ]] || fail "the old file was damaged by a refused object"
[[ ! -e "$w/t3/etc/app/conf.ingot-new" ]] || fail "a temp file was left behind"
cp "$w/zst.bak" "$zst"
echo "ok: corrupt object refused, old file intact"

# 4. a tampered manifest fails the signature check
cp -r "$w/store" "$w/store-bad"
sed -i 's/"demo"/"dem0"/' "$w/store-bad/images/demo/1/manifest.json"
if "$B" image apply demo@1 "$w/t4" --store "$w/store-bad" --key "$w/keys/image-signing.pub" 2>"$w/err4"; then
  fail "a tampered manifest was applied"
fi
grep -q "signature" "$w/err4" || { cat "$w/err4"; fail "the error does not name the signature"; }
[[ ! -e "$w/t4/etc" ]] || fail "something was written from a tampered manifest"
echo "ok: tampered manifest refused"

# 5. kill -9 at random points, 20 times, alternating targets versions; a rerun ends clean
apply demo@1 "$w/t5" >/dev/null
for i in $(seq 1 20); do
  v=$(( i % 2 + 1 ))
  d=$(awk -v s=$RANDOM 'BEGIN{srand(s); printf "%.3f", 0.01 + rand()*0.25}')
  timeout -s KILL "$d" "$B" image apply demo@$v "$w/t5" --store "$w/store" --key "$w/keys/image-signing.pub" \
    >/dev/null 2>&1 || true
done
apply demo@2 "$w/t5" >/dev/null
same "$w/v2" "$w/t5"
leftover=$(find "$w/t5" -name '*.ingot-new' | head -1)
[[ -z $leftover ]] || fail "temp file left after rerun: $leftover"
echo "ok: 20 kill -9 then rerun ends clean"
echo "PASS"
