#!/usr/bin/env bash
# `ingot image verify ROLE@V --target DIR`: clean on a fresh apply (quick and --full), then each
# kind of drift is found (missing, extra, type, mode, owner, symlink target, size, mtime, and
# with --full only, same-size same-mtime content), keep-list paths never count, exit codes
# 0/1/2 and --json.
set -euo pipefail
B=${INGOT_BIN:?}
source "$(dirname "${BASH_SOURCE[0]}")/../support/script_lib.sh"
make_work_dir ingot-drift

mkdir -p "$w/v1/etc/app" "$w/v1/bin" "$w/v1/var/lib/data" "$w/demo"
echo hello >"$w/v1/etc/motd"; echo conf-v1 >"$w/v1/etc/app/conf"; echo x >"$w/v1/etc/hostname"
head -c 50000 /dev/urandom >"$w/v1/bin/blob"; chmod 755 "$w/v1/bin/blob"
ln -s ../etc/motd "$w/v1/bin/link"; echo gone >"$w/v1/etc/removed"; mkdir "$w/v1/etc/dir-to-be"
echo '{"keep": ["/etc/hostname", "/var/lib/data"]}' >"$w/demo/recipe.json"
"$B" key generate --out "$w/keys" >/dev/null
"$B" image build "$w/demo" --version 1 --from-tree "$w/v1" --store "$w/store" --key "$w/keys/image-signing.key" >/dev/null
"$B" image apply demo@1 "$w/t" --store "$w/store" --key "$w/keys/image-signing.pub" >/dev/null
verify() { "$B" image verify demo@1 --target "$w/t" --store "$w/store" --pubkey "$w/keys/image-signing.pub" "$@"; }

verify >/dev/null || fail "quick verify of a fresh apply is not clean"
verify --full >/dev/null || fail "full verify of a fresh apply is not clean"
# Keep-list paths are the node's: changing or adding them is not drift.
echo node-7 >"$w/t/etc/hostname"; echo db >"$w/t/var/lib/data/db"
verify --full >/dev/null || fail "keep-list changes were reported as drift"
echo "ok: clean after a fresh apply; keep-list paths ignored"

# Same size, same mtime, other bytes: only --full can see it.
cp -p "$w/t/bin/blob" "$w/blob.orig"
printf 'XXXX' | dd of="$w/t/bin/blob" bs=1 seek=100 conv=notrunc status=none
touch -r "$w/blob.orig" "$w/t/bin/blob"
verify >/dev/null || fail "quick verify looked at content"
set +e; out=$(verify --full); rc=$?; set -e
[[ $rc == 1 && $out == *$'content\tbin/blob'* ]] || fail "--full missed changed content (rc=$rc): $out"
echo "ok: --full finds same-size same-mtime content changes, quick does not"

rm "$w/t/etc/removed"                                  # missing
echo extra >"$w/t/etc/extra"                           # extra
rmdir "$w/t/etc/dir-to-be"; echo f >"$w/t/etc/dir-to-be"  # type
chmod 600 "$w/t/etc/motd"                              # mode
chown 4242:4242 "$w/t/etc/app/conf"                    # owner
ln -sfn ../etc/app/conf "$w/t/bin/link"                # symlink target
touch -h -d @"$(stat -c %Y "$w/v1/bin/link")" "$w/t/bin/link" 2>/dev/null || true
echo more >>"$w/t/etc/app/conf"                        # size (and mtime)
touch -d 2001-01-01 "$w/t/etc/motd"                    # mtime
set +e; out=$(verify --json); rc=$?; set -e
[[ $rc == 1 ]] || fail "drift did not exit 1 (rc=$rc)"
echo "$out" | head -60
kinds() { python3 -c 'import json,sys; d=json.load(sys.stdin); print(" ".join(sorted(x["kind"]+":"+x["path"] for x in d["drift"])))'; }
got=$(echo "$out" | kinds)
for want in missing:etc/removed extra:etc/extra type:etc/dir-to-be mode:etc/motd owner:etc/app/conf \
            target:bin/link size:etc/app/conf mtime:etc/motd; do
  [[ " $got " == *" $want "* ]] || fail "quick verify did not report $want (got: $got)"
done
[[ $got != *hostname* && $got != *var/lib/data* ]] || fail "keep-list paths reported: $got"
[[ $(echo "$out" | python3 -c 'import json,sys; print(json.load(sys.stdin)["clean"])') == False ]] || fail "--json clean flag"
echo "ok: every kind of drift found"

# A re-apply repairs it all.
"$B" image apply demo@1 "$w/t" --store "$w/store" --key "$w/keys/image-signing.pub" >/dev/null
verify --full >/dev/null || fail "not clean after re-apply"

# Errors exit 2, not 1.
set +e
"$B" image verify demo@9 --target "$w/t" --store "$w/store" --pubkey "$w/keys/image-signing.pub" 2>"$w/err"; rc1=$?
verify --target "$w/nowhere" 2>"$w/err2"; rc2=$?
"$B" image verify demo@1 --target "$w/t" --store "$w/store" --pubkey "$w/keys/none.pub" 2>/dev/null; rc3=$?
set -e
[[ $rc1 == 2 && $rc2 == 2 && $rc3 == 2 ]] || fail "errors did not exit 2 ($rc1 $rc2 $rc3)"
cat "$w/err" "$w/err2"
echo "ok: errors exit 2"
