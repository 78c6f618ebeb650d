#!/usr/bin/env bash
# The image commands end to end on a fixed tree (no network): key generate, build --from-tree
# twice into two stores (identical manifests), list/show/diff, verify (and its failures on a
# flipped object byte, a tampered manifest, a missing signature), gc after removing a version.
set -euo pipefail
ingot=${INGOT_BIN:?}
tmp=$(mktemp -d /tmp/ingot-image-cli.$$.XXXX)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
fail() { echo "FAIL: $*" >&2; exit 1; }

"$ingot" key generate --out keys >/dev/null
mkdir -p tree/etc tree/usr/bin
echo node > tree/etc/hostname
head -c 300000 /dev/urandom > tree/usr/bin/blob
echo shared > tree/usr/bin/a
export SOURCE_DATE_EPOCH=1700000000
build() { "$ingot" image build "$@" --key keys/image-signing.key >/dev/null 2>build.err || { cat build.err >&2; return 1; }; }
build tiny --from-tree tree --version 1 --store s1 --report r1.json
build tiny --from-tree tree --version 1 --store s2
cmp s1/images/tiny/1/manifest.json s2/images/tiny/1/manifest.json || fail "two builds of one tree differ"
grep -q '"image": "tiny@1"' r1.json || fail "report lacks the image name"

echo changed > tree/etc/hostname
rm tree/usr/bin/a
build tiny --from-tree tree --version 2 --store s1 --report r2.json
grep -q '"previous": "tiny@1"' r2.json || fail "report does not name the previous version"
"$ingot" image list --store s1 | grep -q '^tiny@2' || fail "list misses tiny@2"
"$ingot" image diff tiny@1 tiny@2 --store s1 2>/dev/null > diff.txt
grep -q '^- usr/bin/a$' diff.txt || fail "diff misses the removed file"
grep -q '^~ etc/hostname (content' diff.txt || fail "diff misses the changed file"
"$ingot" image show tiny@2 --store s1 | grep -q '"entries"' || fail "show"
out=$("$ingot" image build tiny --from-tree tree --version 2 --store s1 --key keys/image-signing.key 2>&1) \
  && fail "rebuilding an existing version must be refused"
grep -q "already exists" <<<"$out" || fail "refusal does not say why: $out"

verify() { "$ingot" image verify "$1" --store s1 --pubkey keys/image-signing.pub 2>verify.err; }
verify tiny@2 || { cat verify.err; fail "verify of an intact image"; }
obj=$(find s1/objects -name '*.zst' -size +10k | head -n1)
cp "$obj" obj.bak; chmod u+w "$obj"
printf '\x55' | dd of="$obj" bs=1 seek=100 conv=notrunc 2>/dev/null
verify tiny@2 && fail "verify passed with a flipped object byte"
grep -q "usr/bin/blob" verify.err || fail "verify did not name the corrupt path"
cp obj.bak "$obj"
man=s1/images/tiny/2/manifest.json
cp "$man" man.bak
sed -i 's/"mode":"0644"/"mode":"4755"/' "$man"
verify tiny@2 && fail "verify passed a tampered manifest"
grep -q "signature" verify.err || fail "tampered manifest not blamed on the signature"
cp man.bak "$man"
mv s1/images/tiny/2/manifest.sig sig.bak
verify tiny@2 && fail "verify passed without a signature"
mv sig.bak s1/images/tiny/2/manifest.sig
verify tiny@2 || fail "verify after restoring"

"$ingot" image gc --store s1 | grep -q "removed 0 objects" || fail "gc removed live objects"
rm -r s1/images/tiny/2
"$ingot" image gc --store s1 | grep -q "removed 1 objects" || fail "gc did not remove the object only tiny@2 used"
verify tiny@1 || fail "tiny@1 broken by gc"
echo "image CLI: ok"
