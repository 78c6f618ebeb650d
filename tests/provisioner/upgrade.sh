#!/usr/bin/env bash
# `ingot-agent upgrade --to` on directory roots against `ingot serve` on loopback (issue 8):
# v1 -> v2 (added, changed binary and config, removed, symlink retargeted, mode change, type
# change, hard link, same content under two modes; keep-list and node-config paths survive),
# v1 -> v3 directly (kernel change: reboot-pending, then --recover checks and reports done),
# v3 -> v2 downgrade, a failing post hook (rolled back to exact v2), a failing pre hook (nothing
# touched), drift with policy stop (nothing touched) and overwrite, a bad signature and a
# corrupt object (refused, nothing touched), the deploy-side state files, and a dry run.
set -euo pipefail
B=${INGOT_BIN:?}
A=${INGOT_AGENT_BIN:?}
w=$(mktemp -d /tmp/ingot-upgrade-XXXXXX)
source "$(dirname "$0")/upgrade_lib.sh"
start_server

hooks() {  # hooks TREE PRE_EXIT POST_EXIT
  mkdir -p "$1/usr/lib/ingot/upgrade"
  echo '{"pre": "/usr/lib/ingot/upgrade/pre", "post": "/usr/lib/ingot/upgrade/post", "reboot_paths": ["/boot/"]}' \
    >"$1/usr/lib/ingot/upgrade.json"
  printf '#!/bin/sh\necho "pre $INGOT_UPGRADE_FROM $INGOT_UPGRADE_TO $INGOT_UPGRADE_ROOT $INGOT_UPGRADE_REBOOT" >>/var/lib/ingot/hooks.log\nexit %s\n' "$2" >"$1/usr/lib/ingot/upgrade/pre"
  printf '#!/bin/sh\necho "post $INGOT_UPGRADE_FROM $INGOT_UPGRADE_TO $INGOT_UPGRADE_REBOOT $(cat /etc/app.conf)" >>/var/lib/ingot/hooks.log\nexit %s\n' "$3" >"$1/usr/lib/ingot/upgrade/post"
  chmod 755 "$1/usr/lib/ingot/upgrade/pre" "$1/usr/lib/ingot/upgrade/post"
}
v1=$w/v1
mkdir -p "$v1"/{bin,boot,etc/dir-to-file,usr/bin,usr/share/data,var/lib/data,mnt/point}
cp /bin/busybox "$v1/bin/busybox" && ln -s busybox "$v1/bin/sh" && ln -s busybox "$v1/bin/cat"
echo kernel-1 >"$v1/boot/vmlinuz"
head -c 300000 /dev/urandom >"$v1/usr/bin/app" && chmod 755 "$v1/usr/bin/app" && ln "$v1/usr/bin/app" "$v1/usr/bin/app-hl"
echo tool >"$v1/usr/bin/tool" && chmod 755 "$v1/usr/bin/tool"
echo v1 >"$v1/etc/app.conf"; echo other >"$v1/etc/other.conf"; echo gone >"$v1/etc/removed.conf"
echo inside >"$v1/etc/dir-to-file/x"
ln -s app.conf "$v1/etc/link"
echo image-hostname >"$v1/etc/hostname"; echo "image network default" >"$v1/etc/network.conf"
for i in $(seq 1 200); do head -c $((RANDOM % 5000 + 1)) /dev/urandom >"$v1/usr/share/data/f$i"; done
hooks "$v1" 0 0
build 1 "$v1"

v2=$w/v2
cp -a "$v1" "$v2"
head -c 300000 /dev/urandom >"$v2/usr/bin/app"             # a binary changed (its hard link follows)
echo v2 >"$v2/etc/app.conf"                                 # a config changed
rm "$v2/etc/removed.conf"                                   # removed
mkdir -p "$v2/opt/new" && echo added >"$v2/opt/new/file"    # added
ln -sfn other.conf "$v2/etc/link"                           # a symlink retargeted
chmod 700 "$v2/usr/bin/tool"                                # a mode change
rm -r "$v2/etc/dir-to-file" && echo now-a-file >"$v2/etc/dir-to-file"  # a type change
echo same >"$v2/usr/share/a" && echo same >"$v2/usr/share/b" && chmod 600 "$v2/usr/share/b"
echo image-hostname-2 >"$v2/etc/hostname"; echo "image network v2" >"$v2/etc/network.conf"
rm "$v2"/usr/share/data/f1{0,1,2}*; head -c 7000 /dev/urandom >"$v2/usr/share/data/f5"
build 2 "$v2"

v3=$w/v3
cp -a "$v2" "$v3"
echo kernel-3 >"$v3/boot/vmlinuz"; echo v3 >"$v3/etc/app.conf"; rm -r "$v3/opt/new"
build 3 "$v3"
v4=$w/v4; cp -a "$v3" "$v4"; echo v4 >"$v4/etc/app.conf"; rm "$v4/boot/vmlinuz"; hooks "$v4" 0 1; build 4 "$v4"
v5=$w/v5; cp -a "$v2" "$v5"; echo v5 >"$v5/etc/app.conf"; hooks "$v5" 1 0; build 5 "$v5"

up() { "$A" upgrade --server "$server" --no-reboot "$@"; }
snapshot() { (cd "$1" && find . -printf '%p %y %m %U %G %s %T@ %l\n' | sort; find . -type f -exec sha256sum {} + | sort) >"$2"; }

# 0. the deploy side: the image state files and the node-config list
r=$w/r; deploy 1 "$r"
for f in manifest.json manifest.sig ref key.pub; do [[ -s $r/var/lib/ingot/image/$f ]] || fail "deploy wrote no $f"; done
cmp -s "$r/var/lib/ingot/image/manifest.json" <(curl -fsS "$server/images/v1/demo@1/manifest.json") || fail "stored manifest differs"
clean_as 1 "$r" || fail "the deployed root is not demo@1"
python3 "$INGOT_SOURCE_DIR/tests/e2e/lib/tree_vs_manifest.py" "$r/var/lib/ingot/image/manifest.json" "$r" || fail "tree_vs_manifest"
echo "ok: deploy-side state files"

# 1. dry run: prints the plan, touches nothing
snapshot "$r" "$w/before"
out=$(up --root "$r" --to demo@2 --dry-run --json)
echo "$out"
python3 -c 'import json,sys; d=json.loads(sys.argv[1]); assert d["status"]=="dry-run" and d["data"]["added"]>=3 and d["data"]["removed"]>=10 and d["data"]["reboot"] is False, d' "$out" || fail "dry run"
snapshot "$r" "$w/after"; cmp -s "$w/before" "$w/after" || fail "the dry run touched the root"
echo "ok: dry run"

# 2. v1 -> v2
out=$(up --root "$r" --to demo@2 --json) || { echo "$out"; fail "upgrade 1 -> 2"; }
echo "$out"
clean_as 2 "$r" || fail "after 1 -> 2 the root is not exactly demo@2"
[[ $(stat -c %i "$r/usr/bin/app") == $(stat -c %i "$r/usr/bin/app-hl") ]] || fail "the hard link does not follow the new app"
[[ $(stat -c %i "$r/usr/share/a") != $(stat -c %i "$r/usr/share/b") ]] || fail "two modes share one inode"
grep -q "pre 1 2 $r 0" "$r/var/lib/ingot/hooks.log" && grep -q "post 1 2 0 v2" "$r/var/lib/ingot/hooks.log" || { cat "$r/var/lib/ingot/hooks.log"; fail "hooks"; }
[[ ! -e $r/var/lib/ingot/upgrade/objects && ! -e $r/var/lib/ingot/upgrade/undo ]] || fail "staging left behind"
echo "ok: v1 -> v2 exact, node files kept"

# 3. a failing post hook: rolled back to exact v2; a failing pre hook: nothing touched
if up --root "$r" --to demo@4 >"$w/out4" 2>&1; then fail "a failing post hook succeeded"; fi
grep -q "rolled_back" "$w/out4" || { cat "$w/out4"; fail "status is not rolled_back"; }
clean_as 2 "$r" || fail "after the failed post hook the root is not exactly demo@2"
echo "ok: post hook fails -> rolled back to exact v2"
snapshot "$r" "$w/before"
if up --root "$r" --to demo@5 >"$w/out5" 2>&1; then fail "a failing pre hook succeeded"; fi
grep -q "failed" "$w/out5" || { cat "$w/out5"; fail "status is not failed"; }
clean_as 2 "$r" || fail "after the failed pre hook the root is not demo@2"
snapshot "$r" "$w/after"; diff <(grep -v '/var/lib/ingot' "$w/before") <(grep -v '/var/lib/ingot' "$w/after") || fail "the pre hook failure touched the root"
echo "ok: pre hook fails -> untouched"

# 4. v2 -> v3 needs a reboot: reboot-pending until --recover checks the root; then downgrade v3 -> v2
up --root "$r" --to demo@3 >"$w/out3" 2>&1 || { cat "$w/out3"; fail "2 -> 3"; }
grep -q "reboot-pending" "$w/out3" || { cat "$w/out3"; fail "a kernel change did not ask for a reboot"; }
if up --root "$r" --to demo@2 >/dev/null 2>&1; then fail "an upgrade ran while a reboot was pending"; fi
"$A" upgrade --recover --root "$r" | tee "$w/rec" && grep -q "upgrade done" "$w/rec" || fail "--recover after the reboot"
clean_as 3 "$r" || fail "not exactly demo@3"
up --root "$r" --to demo@2 >/dev/null 2>&1 || fail "downgrade 3 -> 2"
"$A" upgrade --recover --root "$r" >/dev/null
clean_as 2 "$r" || fail "after the downgrade the root is not exactly demo@2"
echo "ok: v2 -> v3 (reboot) and downgrade v3 -> v2"

# 5. v1 -> v3 directly
r13=$w/r13; deploy 1 "$r13"
up --root "$r13" --to demo@3 >/dev/null 2>&1 || fail "1 -> 3"
"$A" upgrade --recover --root "$r13" >/dev/null
clean_as 3 "$r13" || fail "after 1 -> 3 the root is not exactly demo@3"
echo "ok: v1 -> v3 directly"

# 6. drift: stop touches nothing and names the paths; overwrite upgrades them too
rd=$w/rd; deploy 1 "$rd"
# What is mounted over the image (/proc, /dev on a live root) is not drift.
mount -t tmpfs -o mode=1777 "ingot-test-$$" "$rd/mnt/point" && mounted=$rd/mnt/point
mkdir -p "$rd/usr/share/data" && mount -t tmpfs "ingot-test-$$" "$rd/usr/share/data" && mounted2=$rd/usr/share/data
up --root "$rd" --to demo@2 --dry-run --drift stop >"$w/outm" 2>&1 || { cat "$w/outm"; fail "a mount over the image counted as drift"; }
umount "$mounted" "$mounted2"; mounted= ; mounted2=
echo tampered >"$rd/etc/other.conf"; chmod 600 "$rd/usr/bin/tool"
snapshot "$rd" "$w/before"
if up --root "$rd" --to demo@2 --drift stop >"$w/outd" 2>&1; then fail "drift with policy stop upgraded"; fi
grep -q "drift" "$w/outd" && grep -q "etc/other.conf" "$w/outd" || { cat "$w/outd"; fail "drift not reported"; }
snapshot "$rd" "$w/after"; cmp -s "$w/before" "$w/after" || fail "drift stop touched the root"
up --root "$rd" --to demo@4 --drift overwrite >/dev/null 2>&1 && fail "v4's post hook should fail"
clean_as_drift() { rsync -anciH --delete "${KEEP_EXCLUDES[@]}" --exclude=/etc/other.conf --exclude=/usr/bin/tool "$w/fresh-1/" "$1/"; }
[[ -z $(clean_as_drift "$rd") ]] || fail "rollback after overwrite is not demo@1 outside the drifted paths"
[[ $(cat "$rd/etc/other.conf") == other ]] || fail "rollback after overwrite did not restore n's content"
echo tampered >"$rd/etc/other.conf"
up --root "$rd" --to demo@2 --drift overwrite >/dev/null 2>&1 || fail "drift overwrite"
clean_as 2 "$rd" || fail "after drift overwrite the root is not exactly demo@2"
echo "ok: drift stop / overwrite"

# 7. refused: a bad signature, a corrupt object — nothing touched
rb=$w/rb; deploy 1 "$rb"
snapshot "$rb" "$w/before"
sigf=$(find "$w/state/images" -path "*demo*" -name "*.sig" | grep -E "(/2/|2\.sig)" | head -1)
cp "$sigf" "$w/sig.bak"
"$B" key generate --out "$w/otherkey" >/dev/null
tr 'A-Za-z' 'B-ZAb-za' <"$w/sig.bak" >"$sigf"
if up --root "$rb" --to demo@2 >"$w/outs" 2>&1; then fail "a bad signature was accepted"; fi
grep -qi "signature" "$w/outs" || { cat "$w/outs"; fail "no signature error"; }
cp "$w/sig.bak" "$sigf"
obj=$(sha256sum "$v2/etc/app.conf" | cut -c1-64); zst=$(find "$w/state/images/objects" -name "$obj*" | head -1)
[[ -n $zst ]] || fail "object of etc/app.conf not found"
cp "$zst" "$w/zst.bak"; printf '\xff\xff\xff\xff' | dd of="$zst" bs=1 seek=6 conv=notrunc status=none
if up --root "$rb" --to demo@2 >"$w/outc" 2>&1; then fail "a corrupt object was accepted"; fi
grep -q "corrupt\|hash\|refused\|differs\|mismatch" "$w/outc" || { cat "$w/outc"; fail "no clear error for the corrupt object"; }
grep -m1 "failed" "$w/outc"
snapshot "$rb" "$w/after"; diff <(grep -v '/var/lib/ingot' "$w/before") <(grep -v '/var/lib/ingot' "$w/after") || fail "a refused upgrade touched the root"
clean_as 1 "$rb" || fail "not demo@1 after refusals"
cp "$w/zst.bak" "$zst"
up --root "$rb" --to demo@2 >/dev/null 2>&1 || fail "the upgrade after the refusals"
clean_as 2 "$rb" || fail "not demo@2"
echo "ok: bad signature and corrupt object refused, nothing touched"

# 8. usage errors are clear
expect_err() {  # PATTERN CMD...: CMD fails and says PATTERN
  local pat=$1 out; shift
  if out=$("$@" 2>&1); then fail "$* succeeded"; fi
  [[ $out == *"$pat"* ]] || { echo "$out"; fail "$* did not say '$pat'"; }
}
expect_err "not a directory" "$A" upgrade --to demo@2 --root /nonexistent-$$
expect_err "overwrite or stop" "$A" upgrade --to demo@2 --server "$server" --root "$rb" --drift maybe
expect_err "handoff" "$A" upgrade --to demo@2 --root "$w/v1"
expect_err "no verified image state" "$A" upgrade --to demo@2 --server "$server" --root "$w/v1"
expect_err "exactly one of" "$A" upgrade --recover --loop
expect_err "Couldn't connect" "$A" upgrade --to demo@2 --server http://127.0.0.1:1 --root "$rb"
expect_err "HTTP 404" "$A" upgrade --to demo@9 --server "$server" --root "$rb"
echo "PASS"
