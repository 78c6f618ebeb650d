#!/usr/bin/env bash
# Deltas end to end, against `ingot serve` on a free loopback port and curl: `ingot image delta`
# stores deltas only when worth it; GET /images/v1/deltas/B/N serves stored ones (immutable),
# builds missing ones lazily, 404s the rest and 400s hostile names; `ingot image apply` uses
# deltas for n -> n+1, n -> n+2 and n+1 -> n, and each result equals a fresh apply (rsync -anc);
# a corrupt delta or a drifted base falls back to the whole object with a clear log line.
set -euo pipefail
B=${INGOT_BIN:?}
source "$(dirname "${BASH_SOURCE[0]}")/../support/script_lib.sh"
make_work_dir ingot-delta
export SOURCE_DATE_EPOCH=1700000000
# edit FILE SEED: a new build of a binary: some bytes changed, a block inserted, one removed.
edit() {
  python3 - "$1" "$2" <<'PY'
import random, sys
p, seed = sys.argv[1], int(sys.argv[2])
r = random.Random(seed); b = bytearray(open(p, 'rb').read())
for _ in range(30): b[r.randrange(len(b))] ^= 0x5a
b[len(b)//3:len(b)//3] = r.randbytes(4000); del b[len(b)//2:len(b)//2 + 2000]
open(p, 'wb').write(b)
PY
}
same() {  # same A B: no difference in content or metadata
  local out; out=$(rsync -anci --delete "$1/" "$2/")
  [[ -z $out ]] || { echo "$out" | head -20; fail "$2 differs from $1"; }
}

mkdir -p "$w/v1/bin" "$w/v1/lib" "$w/v1/etc" "$w/v1/usr/share/doc" "$w/demo"
head -c 300000 /dev/urandom >"$w/v1/bin/prog"; chmod 755 "$w/v1/bin/prog"
head -c 200000 /dev/urandom >"$w/v1/lib/libx.so"
head -c 100000 /dev/urandom >"$w/v1/bin/rewritten"
seq 1 3000 >"$w/v1/etc/conf"
for i in 1 2 3 4 5; do echo "doc $i" >"$w/v1/usr/share/doc/d$i"; done
cp -a "$w/v1" "$w/v2"
edit "$w/v2/bin/prog" 1; edit "$w/v2/lib/libx.so" 2; head -c 100000 /dev/urandom >"$w/v2/bin/rewritten"
seq 1 3100 >"$w/v2/etc/conf"; echo new >"$w/v2/etc/added"; rm "$w/v2/usr/share/doc/d5"
cp -a "$w/v2" "$w/v3"
edit "$w/v3/bin/prog" 3; edit "$w/v3/lib/libx.so" 4
echo '{}' >"$w/demo/recipe.json"
state=$w/state
"$B" key generate --out "$state/keys" >/dev/null
for v in 1 2 3; do
  "$B" image build "$w/demo" --version $v --from-tree "$w/v$v" --store "$state/images" --key "$state/keys/image-signing.key" >/dev/null 2>&1
done
sha() { sha256sum "$1" | cut -c1-64; }

# 1. precompute 1 -> 2: deltas for the edited binaries, "not worth it" for the rewritten one
out=$("$B" image delta demo@1 demo@2 --store "$state/images" --json)
echo "$out"
jq() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }
[[ $(echo "$out" | jq '["deltas"]') -ge 3 ]] || fail "expected deltas for prog, libx.so and conf"
[[ $(echo "$out" | jq '["not_worth_it"]') -ge 1 ]] || fail "the rewritten file should not get a delta"
d_prog="$state/images/deltas/$(sha "$w/v1/bin/prog")/$(sha "$w/v2/bin/prog").zst"
[[ -f $d_prog ]] || fail "no stored delta for bin/prog"
none="$state/images/deltas/$(sha "$w/v1/bin/rewritten")/$(sha "$w/v2/bin/rewritten").none"
[[ -f $none && ! -f ${none%.none}.zst ]] || fail "the rewritten file's pair is not remembered as not worth it"
obj_size=$(stat -c %s "$state/images/objects/$(sha "$w/v2/bin/prog" | cut -c1-2)/$(sha "$w/v2/bin/prog").zst")
(( $(stat -c %s "$d_prog") * 10 < obj_size )) || fail "the prog delta is not much smaller than its object"
echo "ok: image delta stores deltas only when smaller"

# 2. the server
mkdir -p "$w/roles" && : >"$w/roles/order"
port=$(free_port)
"$B" serve --roles "$w/roles" --state-dir "$state" --listen 127.0.0.1 --http-port "$port" >"$w/serve.log" 2>&1 &
pids+=($!)
server="http://127.0.0.1:$port"
for _ in $(seq 100); do curl -fsS "$server/images/v1/key.pub" >/dev/null 2>&1 && break; sleep 0.1; done
url() { echo "$server/images/v1/deltas/$(sha "$1")/$(sha "$2")"; }
code() { curl -sS --path-as-is -o "$w/body" -D "$w/head" -w '%{http_code}' "$@"; }
[[ $(code "$(url "$w/v1/bin/prog" "$w/v2/bin/prog")") == 200 ]] || fail "stored delta not served"
cmp -s "$w/body" "$d_prog" || fail "served delta differs from the stored one"
grep -qi '^cache-control: .*immutable' "$w/head" || fail "stored delta without immutable caching headers"
lazy="$state/images/deltas/$(sha "$w/v1/bin/prog")/$(sha "$w/v3/bin/prog").zst"
[[ ! -f $lazy ]] || fail "1 -> 3 delta exists before it was asked for"
[[ $(code "$(url "$w/v1/bin/prog" "$w/v3/bin/prog")") == 200 ]] || fail "missing delta not built lazily"
[[ -f $lazy ]] && cmp -s "$w/body" "$lazy" || fail "lazily built delta not stored under its pair"
grep -q "built now" "$w/serve.log" || fail "no log line for the lazy build"
[[ $(code "$(url "$w/v1/bin/rewritten" "$w/v2/bin/rewritten")") == 404 ]] || fail "not-worth-it pair not 404"
[[ $(code "$server/images/v1/deltas/$(sha "$w/v1/bin/prog")/$(printf '%064d' 0)") == 404 ]] || fail "unknown object not 404"
h=$(sha "$w/v1/bin/prog")
for bad in "deltas/nothex/$h" "deltas/$h" "deltas/$h/${h^^}" "deltas/$h/../../objects/$h" "deltas/../key.pub" \
           "deltas/$h/$h/extra" "deltas/${h:0:63}/$h" "deltas/$h/%2e%2e%2fkey.pub"; do
  c=$(code "$server/images/v1/$bad")
  [[ $c == 400 ]] || fail "hostile delta path $bad answered $c, not 400"
done
kill -0 "${pids[0]}" || fail "the server died on hostile paths"
echo "ok: GET /images/v1/deltas: stored, lazily built, 404 when none, 400 for hostile names"

# 3. applies over HTTP through deltas equal fresh applies
apply() { "$B" image apply "$@" --server "$server"; }
for v in 1 2 3; do apply demo@$v "$w/fresh$v" >/dev/null; diff -r --no-dereference "$w/v$v" "$w/fresh$v" || fail "fresh apply of $v"; done
up() {  # up FROM TO N: a tree at FROM, applied TO; must use N deltas and equal a fresh TO
  rm -rf "$w/t"; cp -a "$w/fresh$1" "$w/t"
  out=$(apply demo@$2 "$w/t" 2>"$w/err")
  echo "$1 -> $2: $out"
  [[ $out =~ ([0-9]+)\ via\ deltas ]] && (( BASH_REMATCH[1] >= $3 )) || { cat "$w/err"; fail "$1 -> $2 did not use deltas"; }
  same "$w/fresh$2" "$w/t"
}
up 1 2 3; up 1 3 3; up 2 1 3; up 3 2 2  # prog, libx.so, conf (3 -> 2: conf is the same)
echo "ok: n -> n+1, n -> n+2, n+1 -> n and n+2 -> n+1 through deltas equal fresh applies"

# 4. a corrupt stored delta: the whole object comes instead, with a log line saying why
chmod u+w "$d_prog"
printf '\xff\xff\xff\xff' | dd of="$d_prog" bs=1 seek=40 conv=notrunc status=none
rm -rf "$w/t"; cp -a "$w/fresh1" "$w/t"
apply demo@2 "$w/t" >"$w/out" 2>"$w/err" || { cat "$w/err"; fail "apply with a corrupt delta failed"; }
cat "$w/err"
grep -q "bin/prog: delta .* refused: .*fetching the whole object" "$w/err" || fail "no clear log line for the corrupt delta"
same "$w/fresh2" "$w/t"
echo "ok: corrupt delta -> whole object"

# 5. a drifted base: without --from the engine hashes the file and asks for a delta from what is
# really there (none: whole object); with --from demo@1 it believes size+mtime, asks for the
# v1 delta, and fetch_via_delta sees the base does not hash to v1 before using it.
rm -rf "$w/t"; cp -a "$w/fresh1" "$w/t"
printf 'drift!' | dd of="$w/t/lib/libx.so" bs=1 seek=5000 conv=notrunc status=none
touch -r "$w/fresh1/lib/libx.so" "$w/t/lib/libx.so"
cp -a "$w/t" "$w/t-drift"
apply demo@2 "$w/t" >"$w/out" 2>"$w/err" || { cat "$w/err"; fail "apply over a drifted base failed"; }
same "$w/fresh2" "$w/t"
rm -rf "$w/t"; mv "$w/t-drift" "$w/t"
apply demo@2 "$w/t" --from demo@1 >"$w/out" 2>"$w/err" || { cat "$w/err"; fail "apply --from over a drifted base failed"; }
cat "$w/err"
grep -q "lib/libx.so: the base .* does not hash to .*fetching the whole object" "$w/err" || fail "no clear log line for the wrong base"
same "$w/fresh2" "$w/t"
echo "ok: wrong base -> whole object"

# 6. --from (the believed version) skips hashing unchanged files and still ends exact
rm -rf "$w/t"; cp -a "$w/fresh1" "$w/t"
out=$(apply demo@3 "$w/t" --from demo@1) || fail "apply --from"
[[ $out =~ ([0-9]+)\ via\ deltas ]] && (( BASH_REMATCH[1] >= 2 )) || fail "--from: no deltas: $out"
same "$w/fresh3" "$w/t"
# and from the local store, with the deltas `image delta` stored
rm -rf "$w/t"; cp -a "$w/fresh2" "$w/t"
"$B" image delta demo@2 demo@3 --store "$state/images" >/dev/null 2>&1
out=$("$B" image apply demo@3 "$w/t" --store "$state/images" --key "$state/keys/image-signing.pub")
[[ $out =~ ([0-9]+)\ via\ deltas ]] && (( BASH_REMATCH[1] >= 2 )) || fail "store source: no deltas: $out"
same "$w/fresh3" "$w/t"
echo "ok: --from and the store source"

# 7. a lazy build runs off the event loop: while the server builds a big delta, it still
# answers other requests (key.pub's log line comes before the delta's, which is logged when
# the delta's answer completes).
mkdir -p "$w/big1" "$w/big2"
head -c 40000000 /dev/urandom >"$w/big1/huge.bin"
cp "$w/big1/huge.bin" "$w/big2/huge.bin"; edit "$w/big2/huge.bin" 5
for v in 1 2; do
  "$B" image build big --version $v --from-tree "$w/big$v" --store "$state/images" --key "$state/keys/image-signing.key" >/dev/null 2>&1
done
before=$(wc -l <"$w/serve.log")
curl -sS -o "$w/big.delta" -w '%{http_code}' "$(url "$w/big1/huge.bin" "$w/big2/huge.bin")" >"$w/big.code" &
bigcurl=$!
# The build has started once its temp file exists in the store.
# (up to 15 s: under a loaded CI machine the request itself can take seconds to arrive)
for _ in $(seq 750); do [[ -n $(ls "$state/images/tmp") ]] && break; sleep 0.02; done
[[ -n $(ls "$state/images/tmp") ]] || fail "the big delta build did not start"
curl -fsS "$server/images/v1/key.pub" >/dev/null || fail "key.pub not served during a delta build"
wait "$bigcurl"
[[ $(cat "$w/big.code") == 200 ]] || fail "big delta: HTTP $(cat "$w/big.code")"
order=$(tail -n +"$((before + 1))" "$w/serve.log" | grep -o 'GET /images/v1/key.pub\|GET /images/v1/deltas/' | tr '\n' ' ')
echo "log order during the build: $order"
[[ $order == "GET /images/v1/key.pub GET /images/v1/deltas/ " ]] || fail "key.pub waited for the delta build (event loop blocked)"
echo "ok: delta builds run off the event loop"
