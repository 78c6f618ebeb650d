#!/usr/bin/env bash
# Packed, parallel HTTP fetch against `ingot serve` on a free loopback port: POST
# /images/v1/objects/pack answers N objects byte-exact (checked against the store's files by a
# python reader) and refuses hostile requests with a clear 4xx; `ingot image apply --server`
# lays down a tree equal to the source (rsync -anc) and the signed manifest (image verify
# --full); a corrupt object inside a pack is refused and nothing is written in its place; the
# server killed mid-apply makes apply fail cleanly, and a rerun against a restarted server ends
# equal to the source.
set -euo pipefail
B=${INGOT_BIN:?}
source "$(dirname "${BASH_SOURCE[0]}")/../support/script_lib.sh"
make_work_dir ingot-packs
same() {  # same A B: no difference in content or metadata (mtimes are clamped by the store)
  local out; out=$(rsync -rlpgoDnci --delete "$1/" "$2/")
  [[ -z $out ]] || { echo "$out" | head -20; fail "$2 differs from $1"; }
}
export SOURCE_DATE_EPOCH=1700000000

# A tree like an OS's: many small files (packed), a few large ones (fetched by GET), repeats.
src=$w/src
mkdir -p "$src/usr/share/doc" "$src/usr/lib" "$src/etc"
python3 - "$src" <<'PY'
import os, random, sys
root = sys.argv[1]; r = random.Random(5)
for i in range(1500):
    d = os.path.join(root, "usr/share/doc", "pkg%d" % (i // 50))
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "f%d" % i), "wb") as f:
        f.write(r.randbytes(r.randrange(0, 12000)) if i % 3 else (b"text %d\n" % (i % 40)) * r.randrange(1, 300))
for i in range(4):
    with open(os.path.join(root, "usr/lib/big%d.so" % i), "wb") as f:
        f.write(r.randbytes(600000 + i * 400000))
PY
echo same >"$src/etc/a"; echo same >"$src/etc/b"
mkdir -p "$w/demo" && echo '{}' >"$w/demo/recipe.json"
state=$w/state
"$B" key generate --out "$state/keys" >/dev/null
"$B" image build "$w/demo" --version 1 --from-tree "$src" --store "$state/images" --key "$state/keys/image-signing.key" >/dev/null
mkdir -p "$w/roles" && : >"$w/roles/order"
port=$(free_port)
serve() {
  "$B" serve --roles "$w/roles" --state-dir "$state" --listen 127.0.0.1 --http-port "$port" >>"$w/serve.log" 2>&1 &
  server_pid=$!
  pids+=("$server_pid")
  for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$port/images/v1/key.pub" >/dev/null && return 0; sleep 0.1; done
  cat "$w/serve.log"; fail "ingot serve did not start"
}
serve
url=http://127.0.0.1:$port

# 1. a pack of N objects is byte-exact: the records are the store's files, in the asked order.
find "$state/images/objects" -name '*.zst' -printf '%f\n' | sed 's/\.zst$//' | sort >"$w/all"
sed -n 1,300p "$w/all" >"$w/want"
curl -fsS -X POST --data-binary @"$w/want" -H 'Content-Type: text/plain' "$url/images/v1/objects/pack" -o "$w/pack" \
  || fail "pack request refused"
python3 - "$w/pack" "$w/want" "$state/images/objects" <<'PY' || fail "pack answer is not the store's objects"
import os, struct, sys
data = open(sys.argv[1], "rb").read(); want = open(sys.argv[2]).read().split(); store = sys.argv[3]
assert data[:8] == b"INGOTPK1", "magic"
at = 8
for h in want:
    d, n = data[at:at+32], struct.unpack(">Q", data[at+32:at+40])[0]; at += 40
    assert d.hex() == h, "order"
    assert data[at:at+n] == open(os.path.join(store, h[:2], h + ".zst"), "rb").read(), "bytes of " + h
    at += n
assert data[at:] == bytes(40), "end record"
print("ok: a pack of %d objects is byte-exact" % len(want))
PY

# 2. hostile requests get a clear 4xx, never a stream.
code() { curl -s -o "$w/body" -w '%{http_code}' -X POST --data-binary "$1" "$url/images/v1/objects/pack"; }
[[ $(code 'not-hex') == 400 ]] || fail "bad hex not a 400"
grep -q 'line 1' "$w/body" || fail "400 does not say which line: $(cat "$w/body")"
[[ $(code '') == 400 ]] || fail "empty request not a 400"
[[ $(code "$(printf '%064d' 0)") == 404 ]] || fail "unknown object not a 404"
grep -q "no object 0000" "$w/body" || fail "404 does not name the object"
python3 -c 'import hashlib; print("\n".join(hashlib.sha256(str(i).encode()).hexdigest() for i in range(1025)))' >"$w/many"
[[ $(code @"$w/many") == 400 ]] || fail "1025 objects not a 400"
h=$(head -n1 "$w/want")
[[ $(code "$h"$'\n'"$h") == 400 ]] || fail "a repeated object not a 400"
[[ $(curl -s -o /dev/null -w '%{http_code}' "$url/images/v1/objects/pack") == 405 ]] || fail "GET on the pack route not a 405"
echo "ok: hostile pack requests are 4xx"

# 3. lay-down with packs equals the source and the signed manifest.
out=$("$B" image apply demo@1 "$w/t1" --server "$url") || fail "apply failed: $out"
echo "$out"
same "$src" "$w/t1"
"$B" image verify demo@1 --target "$w/t1" --full --store "$state/images" --pubkey "$state/keys/image-signing.pub" >/dev/null || fail "verify --full finds drift after a packed lay-down"
n_packs=$(grep -c 'POST /images/v1/objects/pack 200' "$w/serve.log" || true)
((n_packs >= 3)) || fail "apply used $n_packs packs (expected the small files in several)"
echo "ok: lay-down with $n_packs packs equals the source and the manifest"

# 3b. the manifest travels zstd-coded when asked (Vary on Accept-Encoding) and decodes to the
# stored bytes; without Accept-Encoding it is the stored file as is. Apply above asked for it.
m=$state/images/images/demo/1/manifest.json
[[ -f $m ]] || m=$(find "$state/images" -path '*demo/1/manifest.json' | head -n1)
curl -fsS -D "$w/mh" -H 'Accept-Encoding: zstd' -o "$w/m.zst" "$url/images/v1/demo@1/manifest.json" || fail "manifest GET (zstd) failed"
grep -qi '^content-encoding: zstd' "$w/mh" || { cat "$w/mh"; fail "no Content-Encoding: zstd on the manifest"; }
grep -qi '^vary: accept-encoding' "$w/mh" || fail "no Vary: Accept-Encoding on the manifest"
zstd -dcq "$w/m.zst" | cmp -s - "$m" || fail "zstd-coded manifest does not decode to the stored one"
(($(stat -c %s "$w/m.zst") * 3 < $(stat -c %s "$m"))) || fail "zstd-coded manifest is not smaller"
curl -fsS --compressed -o "$w/m.dec" "$url/images/v1/demo@latest/manifest.json" || fail "manifest GET --compressed failed"
cmp -s "$w/m.dec" "$m" || fail "curl --compressed manifest differs from the stored one"
curl -fsS -D "$w/mh0" -o "$w/m.id" "$url/images/v1/demo@1/manifest.json" || fail "manifest GET (identity) failed"
! grep -qi '^content-encoding' "$w/mh0" || fail "a client that did not ask got a coded manifest"
cmp -s "$w/m.id" "$m" || fail "identity manifest differs from the stored one"
curl -fsS -D "$w/mh1" -H 'Accept-Encoding: zstd;q=0, gzip' -o /dev/null "$url/images/v1/demo@1/manifest.json"
! grep -qi '^content-encoding' "$w/mh1" || fail "zstd;q=0 got a coded manifest"
# The apply of step 3 got the coded form too (one log line from it, one from the curl above).
coded=$(grep -c "GET /images/v1/demo@1/manifest.json 200 $(stat -c %s "$w/m.zst")B" "$w/serve.log" || true)
((coded >= 2)) || { grep manifest.json "$w/serve.log"; fail "apply did not fetch the zstd-coded manifest"; }
echo "ok: manifest zstd-coded on request ($(stat -c %s "$m") -> $(stat -c %s "$w/m.zst") bytes), identity otherwise"

# 4. a corrupt object inside a pack is refused; nothing is written in its place.
victim=$(cd "$src" && find usr/share/doc -type f -size +2k | sort >"$w/victims" && sed -n 100p "$w/victims")
vh=$(sha256sum "$src/$victim" | cut -d' ' -f1)
obj=$state/images/objects/${vh:0:2}/$vh.zst
cp "$obj" "$w/obj.bak"
python3 - "$obj" <<'PY'
import sys
p = sys.argv[1]; b = bytearray(open(p, "rb").read()); b[len(b) // 2] ^= 0xff; open(p, "wb").write(b)
PY
if out=$("$B" image apply demo@1 "$w/t2" --server "$url" 2>&1); then fail "apply took a corrupt object"; fi
echo "$out" | grep -q "$victim" || fail "the refusal does not name the file: $out"
[[ ! -e $w/t2/$victim ]] || fail "the corrupt object was written in place"
[[ -z $(find "$w/t2" -name '*.ingot-new') ]] || fail "a temp file was left behind"
cp "$w/obj.bak" "$obj"
"$B" image apply demo@1 "$w/t2" --server "$url" >/dev/null || fail "rerun after the repair failed"
same "$src" "$w/t2"
echo "ok: a corrupt object in a pack is refused, nothing written in place; the rerun finishes"

# 5. the server killed mid-apply: apply fails cleanly, a rerun against a new server finishes.
# The server is stopped (SIGSTOP) so the apply is surely mid-fetch when the kill comes.
"$B" image apply demo@1 "$w/t3" --server "$url" >"$w/apply3.log" 2>&1 &
apid=$!
pids+=("$apid")
for _ in $(seq 1 200); do [[ -n $(find "$w/t3" -type f 2>/dev/null | head -n1) ]] && break; sleep 0.01; done
kill -STOP "$server_pid"; sleep 0.3; kill -9 "$server_pid"; wait "$server_pid" 2>/dev/null || true
if wait "$apid"; then
  echo "note: apply finished before the kill (machine too fast for this tree): $(cat "$w/apply3.log")"
else
  grep -q "ingot image apply:" "$w/apply3.log" || fail "no clear error after the server died: $(cat "$w/apply3.log")"
  echo "apply after the kill: $(tail -n1 "$w/apply3.log")"
fi
# Whatever is there is whole: every file at its final name has the source's content.
(cd "$w/t3" && find . -type f ! -name '*.ingot-new' -print0 | xargs -0 -r sha256sum) >"$w/t3.sums"
(cd "$src" && sha256sum -c --quiet "$w/t3.sums") || fail "a half-written file at its final name"
serve
"$B" image apply demo@1 "$w/t3" --server "$url" >/dev/null || fail "rerun after the server restart failed"
same "$src" "$w/t3"
[[ -z $(find "$w/t3" -name '*.ingot-new') ]] || fail "temp files left after the rerun"
echo "ok: server killed mid-apply, apply failed cleanly, the rerun finished"
echo "PASS"
